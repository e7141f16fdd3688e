"""Load test: concurrent officers against ``giamngheo serve`` (gunicorn) and PostgreSQL holding
a national-scale registry (SYNTHETIC DATA), on loopback only, bounded in users and time.

    DATABASE_URL=postgres://... uv run python benchmarks/load_test.py \
        [--users 50] [--seconds 300] [--province-officers 5] \
        [--restart-database-at 150 --pg-data /path/to/cluster]

Needs the registry of ``benchmarks/web_speed.py`` (``giamngheo manage generate_households``).
Starts gunicorn in production mode on a free loopback port; each simulated user holds a
session (made in the database, as a login would) and, with 1-3 s of thinking between
requests, does what its role does: a commune officer opens the household list of their
commune, searches a name, opens a household and saves its edit form (a real POST with its
CSRF token); a provincial officer opens the province's dashboard, the household list, the
result tables (XLSX) and the 6-month report (DOCX). Prints the count, errors, median, p95
and slowest of every kind of request, and of all pages together.

With ``--restart-database-at N`` PostgreSQL is restarted (``pg_ctl restart``) N seconds in:
requests during the restart may fail with the 503 page; the ones after it must succeed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlencode

from registry import national_registry


class FormFields(HTMLParser):
    """The fields a browser would post from the page's biggest POST form (the edit form, not
    the header's language switch)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.forms: list[list[tuple[str, str]]] = []
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.chosen: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form, self.fields = True, []
        elif not self.in_form:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self.select, self.chosen, self.first_option = a["name"], None, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in a:
                self.chosen = value
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            self.fields.append((self.select, self.chosen if self.chosen is not None else ""))
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append(self.fields)

    def biggest(self) -> list[tuple[str, str]]:
        return max(self.forms, key=len, default=[])


class User:
    def __init__(self, port: int, session: str, rng: random.Random) -> None:
        self.port, self.rng = port, rng
        self.cookies = {"sessionid": session}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"https://127.0.0.1{path}"}
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                                 timeout=60)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name] = rest.split(";")[0]
                return response.status, content
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection = None  # gunicorn closed a kept-alive connection
                if attempt == 2:
                    raise
        raise AssertionError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--province-officers", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--restart-database-at", type=int)
    parser.add_argument("--pg-data", help="the PostgreSQL cluster's data folder (pg_ctl -D)")
    args = parser.parse_args()
    env = {**os.environ, "GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY": secrets.token_urlsafe(50),
           "GIAMNGHEO_ALLOWED_HOSTS": "127.0.0.1", "GIAMNGHEO_PROXIES": "0"}
    os.environ.update(env)
    province = national_registry(args.households)
    from django.contrib.auth.models import User as Account
    from django.contrib.sessions.backends.db import SessionStore

    from giamngheo.web.accounts.models import Assignment, Role
    from giamngheo.web.households.models import Household, Member
    communes = province.communes()
    names = list(Member.objects.filter(household__commune__in=communes[:20], relation="head")
                 .values_list("full_name", flat=True)[:2000])

    def session_of(username: str, role: str, unit) -> str:
        account, created = Account.objects.get_or_create(username=username)
        if created:
            Assignment.objects.create(user=account, role=role, unit=unit)
        store = SessionStore()
        store["_auth_user_id"] = str(account.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = account.get_session_auth_hash()
        store.create()
        return store.session_key

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [sys.executable, "-m", "giamngheo", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None:
                sys.exit(server.stderr.read())
            time.sleep(0.2)

    # warm-up, not counted: every worker loads its templates, URLs and translations once
    warm = User(port, session_of("load-warm-up", Role.AREA_OFFICER, province),
                random.Random(0))
    for n in range(4 * workers):
        warm.request("GET", ["/households/", f"/reports/dashboard/?unit={province.pk}&year=2025",
                             "/households/?" + urlencode({"q": names[n % len(names)]})][n % 3])

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    after_restart = {"requests": 0, "errors": 0}
    restarted_at: list[float] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + args.seconds

    def timed(user: User, kind: str, method: str, path: str, body: str | None = None,
              expect: int = 200) -> bytes:
        began = time.monotonic()
        try:
            status, content = user.request(method, path, body)
        except Exception:  # noqa: BLE001  (a dropped connection is an error to count)
            status, content = 0, b""
        spent = 1000 * (time.monotonic() - began)
        with lock:
            timings[kind].append(spent)
            failed = status != expect
            if failed:
                errors[kind] += 1
            if restarted_at and began > restarted_at[0] + 10:
                after_restart["requests"] += 1
                after_restart["errors"] += failed
        return content

    def commune_officer(n: int) -> None:
        rng = random.Random(n)
        commune = communes[n % len(communes)]
        user = User(port, session_of(f"load-commune-{n}", Role.COMMUNE_OFFICER, commune), rng)
        codes = list(Household.objects.filter(commune=commune).values_list("code", flat=True)
                     [:500])
        while time.monotonic() < stop:
            action = rng.random()
            if action < 0.35:
                timed(user, "household list (commune)", "GET",
                      f"/households/?page={rng.randint(1, 100)}")
            elif action < 0.55:
                timed(user, "search by name", "GET",
                      "/households/?" + urlencode({"q": rng.choice(names)}))
            elif action < 0.8:
                timed(user, "household page", "GET", f"/households/{rng.choice(codes)}/")
            else:
                code = rng.choice(codes)
                page = timed(user, "edit form", "GET", f"/households/{code}/edit/")
                form = FormFields()
                form.feed(page.decode("utf-8", "replace"))
                fields = form.biggest()
                fields = [(k, f"Tổ {rng.randint(1, 30)}, ấp {rng.randint(1, 6)}")
                          if k == "address" else (k, v) for k, v in fields]
                timed(user, "save household (POST)", "POST", f"/households/{code}/edit/",
                      urlencode(fields), expect=302)
            time.sleep(rng.uniform(1, 3))

    def province_officer(n: int) -> None:
        rng = random.Random(1000 + n)
        user = User(port, session_of(f"load-province-{n}", Role.AREA_OFFICER, province), rng)
        while time.monotonic() < stop:
            action = rng.random()
            if action < 0.4:
                timed(user, "dashboard (province)", "GET",
                      f"/reports/dashboard/?unit={province.pk}&year=2025")
            elif action < 0.7:
                timed(user, "household list (province)", "GET",
                      f"/households/?page={rng.randint(1, 20)}")
            elif action < 0.85:
                timed(user, "result tables XLSX (province)", "GET",
                      f"/reports/review-tables.xlsx?unit={province.pk}&year=2025")
            else:
                timed(user, "6-month report DOCX (province)", "GET",
                      f"/reports/report.docx?unit={province.pk}&year=2025&half=1")
            time.sleep(rng.uniform(1, 3))

    def restart_database() -> None:
        time.sleep(args.restart_database_at)
        restarted_at.append(time.monotonic())
        # the restarted server logs to a file: an inherited pipe would never be closed
        subprocess.run(["runuser", "-u", "postgres", "--", "pg_ctl", "-D", args.pg_data,
                        "-l", f"{args.pg_data}/restart.log", "restart", "-m", "fast", "-w"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PATH": "/usr/lib/postgresql/15/bin:"
                            + os.environ["PATH"]})
        print(f"PostgreSQL restarted {time.monotonic() - restarted_at[0]:.1f} s after the "
              f"stop began", flush=True)

    threads = [threading.Thread(target=province_officer, args=(n,))
               for n in range(args.province_officers)]
    threads += [threading.Thread(target=commune_officer, args=(n,))
                for n in range(args.users - args.province_officers)]
    if args.restart_database_at is not None:
        threads.append(threading.Thread(target=restart_database, daemon=True))
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        if not thread.daemon:
            thread.join()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)

    elapsed = time.monotonic() - start
    total = sum(len(t) for t in timings.values())
    print(f"{args.users} users ({args.province_officers} provincial officers) for "
          f"{elapsed:.0f} s, gunicorn with {workers} workers: {total:,} requests "
          f"({total / elapsed:.1f}/s), {sum(errors.values())} errors")
    print(f"{'request':42} {'count':>6} {'errors':>6} {'median':>7} {'p95':>7} {'max':>7}  (ms)")
    pages: list[float] = []
    for kind, spent in sorted(timings.items()):
        spent.sort()
        if "XLSX" not in kind and "DOCX" not in kind:
            pages += spent
        print(f"{kind:42} {len(spent):6} {errors[kind]:6} {statistics.median(spent):7.0f} "
              f"{spent[int(0.95 * (len(spent) - 1))]:7.0f} {spent[-1]:7.0f}")
    pages.sort()
    print(f"{'all pages (not the downloads)':42} {len(pages):6} {'':6} "
          f"{statistics.median(pages):7.0f} {pages[int(0.95 * (len(pages) - 1))]:7.0f} "
          f"{pages[-1]:7.0f}   (goal: p95 under 500 ms, no error)")
    if restarted_at:
        print(f"after the restart (from 10 s on): {after_restart['requests']} requests, "
              f"{after_restart['errors']} errors")


if __name__ == "__main__":
    main()
