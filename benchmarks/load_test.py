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
and slowest of every kind of request, and of all pages together; beside them the CPU each
kind costs, in the application (gunicorn's worker) and in PostgreSQL (the backend serving that
worker), from ``benchmarks/cpu_hooks.py``; then the CPU of every process of the server and of the
database cluster over the run divided by the requests served (what caps the requests a second a
machine can serve), the statements PostgreSQL ran (``pg_stat_statements``, when the cluster
preloads it) and the machine's load during the run (other work on a shared machine shows there:
the CPU figures are per process and stay true, the latencies do not).

With ``--restart-database-at N`` PostgreSQL is restarted (``pg_ctl restart``) N seconds in:
requests during the restart may fail with the 503 page; the ones after it must succeed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import pathlib
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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
            # a box without a value posts "on", as a browser does (HTML's default value)
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.fields.append((a["name"], a.get("value") or default))
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

    def request(self, method: str, path: str, body: str | None = None,
                kind: str = "other") -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Load-Kind": kind,
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


TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_ms(root: int) -> float:
    """CPU milliseconds used so far by process ``root`` and every process below it, the ones
    already ended included (their time is in their parent's children time)."""
    children: dict[int, list[int]] = defaultdict(list)
    used: dict[int, int] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry.name))
        used[int(entry.name)] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        total += used.get(pid, 0)
        frontier += children.get(pid, [])
    return 1000 * total / TICK


def machine_cpu() -> tuple[int, int]:
    """(busy, all) jiffies of the machine's CPUs since it started."""
    fields = [int(f) for f in pathlib.Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def postgres_root() -> int | None:
    """The postmaster's process id (the database on this machine), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        stat = pathlib.Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None  # not on this machine
    return int(stat.rpartition(")")[2].split()[1])


def statements_reset() -> bool:
    """Whether pg_stat_statements is there (the cluster preloads it); its figures emptied."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            cursor.execute("SELECT pg_stat_statements_reset()")
    except DatabaseError:
        return False
    return True


def print_statements(requests: int) -> None:
    """The statements PostgreSQL ran for the application, most time first, per request."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT calls, total_exec_time, query FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
            "AND query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC")
        rows = cursor.fetchall()
    calls = sum(r[0] for r in rows)
    spent = sum(r[1] for r in rows)
    print(f"PostgreSQL (pg_stat_statements): {calls / requests:.1f} statements a request, "
          f"{spent / requests:.2f} ms of execution a request; the ten longest in all:")
    print(f"{'calls/request':>13} {'ms/call':>8} {'ms/request':>10}  statement")
    for n, total, query in rows[:10]:
        print(f"{n / requests:13.2f} {total / n:8.2f} {total / requests:10.2f}  "
              f"{' '.join(query.split())[:110]}")


REFERENCE_WORK = """
import sys, time
def work():
    began = time.process_time()
    "".join(sorted(str(n * 7919 % 10007) for n in range(20_000)))
    return 1000 * (time.process_time() - began)
while sys.stdin.readline():
    print(work(), flush=True)
"""


class ReferenceWork:
    """A process of its own doing a fixed piece of work (sorting 20,000 short strings) when
    asked, and telling the ms of CPU it cost: on a crowded machine every process gets less
    done with a millisecond of CPU (shared caches and cores), so the CPU figures of two runs
    compare only beside this one."""

    def __init__(self) -> None:
        self.worker = subprocess.Popen([sys.executable, "-c", REFERENCE_WORK], text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def cost(self) -> float:
        assert self.worker.stdin is not None and self.worker.stdout is not None
        self.worker.stdin.write("\n")
        self.worker.stdin.flush()
        return float(self.worker.stdout.readline())

    def close(self) -> None:
        assert self.worker.stdin is not None
        self.worker.stdin.close()
        self.worker.wait()


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
    cpu_log = tempfile.mkdtemp(prefix="giamngheo-cpu-")
    env = {**os.environ, "GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY": secrets.token_urlsafe(50),
           "GIAMNGHEO_ALLOWED_HOSTS": "127.0.0.1", "GIAMNGHEO_PROXIES": "0",
           "GIAMNGHEO_CPU_LOG_DIR": cpu_log, "GUNICORN_CMD_ARGS": "--config " + str(
               pathlib.Path(__file__).with_name("cpu_hooks.py"))}
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
                             "/households/?" + urlencode({"q": names[n % len(names)]})][n % 3],
                     kind="warm-up")
    # every user's session and commune made before the clock starts: only requests are counted
    provincials = [session_of(f"load-province-{n}", Role.AREA_OFFICER, province)
                   for n in range(args.province_officers)]
    officers = [(session_of(f"load-commune-{n}", Role.COMMUNE_OFFICER, communes[n % len(communes)]),
                 list(Household.objects.filter(commune=communes[n % len(communes)])
                      .values_list("code", flat=True)[:500]))
                for n in range(args.users - args.province_officers)]
    database = postgres_root()
    with_statements = statements_reset()
    cpu_before = (tree_cpu_ms(server.pid), tree_cpu_ms(database) if database else 0.0,
                  machine_cpu(), time.process_time())
    loads: list[float] = []

    reference: list[float] = []
    reference_work = ReferenceWork()
    quiet_reference = min(reference_work.cost() for _ in range(10))  # before the users start

    def sample_load() -> None:
        """The load average and the CPU a fixed piece of work costs, every 5 s."""
        while time.monotonic() < stop:
            loads.append(float(pathlib.Path("/proc/loadavg").read_text().split()[0]))
            reference.append(reference_work.cost())
            time.sleep(5)

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
            status, content = user.request(method, path, body, kind)
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
        session, codes = officers[n]
        user = User(port, session, rng)
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
        user = User(port, provincials[n], rng)
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
    sampler = threading.Thread(target=sample_load)
    threads.append(sampler)
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        if not thread.daemon and thread is not sampler:
            thread.join()
    elapsed = time.monotonic() - start
    sampler.join()  # its last piece of work done
    reference_work.close()
    if restarted_at:  # the cluster's processes and this test's connection ended with it
        database, with_statements = None, False
    busy, every = machine_cpu()
    app_ms = tree_cpu_ms(server.pid) - cpu_before[0]
    database_ms = (tree_cpu_ms(database) - cpu_before[1]) if database else 0.0
    busy, every = busy - cpu_before[2][0], every - cpu_before[2][1]
    users_ms = 1000 * (time.process_time() - cpu_before[3])
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:  # a worker still busy with a long request
        server.kill()
        server.wait()
    per_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for log in pathlib.Path(cpu_log).glob("*.tsv"):
        for line in log.read_text().splitlines():
            kind, app_ns, db_ns = line.split("\t")
            per_kind[kind][0] += 1
            per_kind[kind][1] += int(app_ns) / 1e6
            per_kind[kind][2] += int(db_ns) / 1e6

    total = sum(len(t) for t in timings.values())
    print(f"{args.users} users ({args.province_officers} provincial officers) for "
          f"{elapsed:.0f} s, gunicorn with {workers} workers: {total:,} requests "
          f"({total / elapsed:.1f}/s), {sum(errors.values())} errors")
    print(f"{'request':42} {'count':>6} {'errors':>6} {'median':>7} {'p95':>7} {'max':>7} "
          f"{'CPU app':>8} {'CPU db':>7}  (ms; CPU a request)")
    pages: list[float] = []
    for kind, spent in sorted(timings.items()):
        spent.sort()
        if "XLSX" not in kind and "DOCX" not in kind:
            pages += spent
        served, app, db = per_kind.get(kind, (0, 0.0, 0.0))
        print(f"{kind:42} {len(spent):6} {errors[kind]:6} {statistics.median(spent):7.0f} "
              f"{spent[int(0.95 * (len(spent) - 1))]:7.0f} {spent[-1]:7.0f} "
              f"{app / max(served, 1):8.1f} {db / max(served, 1):7.1f}")
    pages.sort()
    served = sum(v[0] for k, v in per_kind.items() if k != "warm-up")
    print(f"{'all pages (not the downloads)':42} {len(pages):6} {'':6} "
          f"{statistics.median(pages):7.0f} {pages[int(0.95 * (len(pages) - 1))]:7.0f} "
          f"{pages[-1]:7.0f}   (goal: p95 under 300 ms, no error)")
    print(f"{'all requests, as each was served':42} {served:6} {'':30} "
          f"{sum(v[1] for k, v in per_kind.items() if k != 'warm-up') / max(served, 1):8.1f} "
          f"{sum(v[2] for k, v in per_kind.items() if k != 'warm-up') / max(served, 1):7.1f}")
    print(f"CPU of every process over the run, per request: application {app_ms / total:.1f} ms "
          f"(gunicorn and its workers, the import worker), PostgreSQL "
          + (f"{database_ms / total:.1f} ms (the whole cluster)" if database else "not measured")
          + f"; in all {(app_ms + database_ms) / total:.1f} ms (goal: at most 25 ms), "
          f"at most {1000 * (os.cpu_count() or 1) / max((app_ms + database_ms) / total, 0.1):.0f}"
          f" requests a second on {os.cpu_count()} cores")
    cores = 10 * elapsed * (os.cpu_count() or 1)  # ms of CPU the machine had, over 100
    print(f"the machine during the run: {100 * busy / max(every, 1):.0f}% of its "
          f"{os.cpu_count()} cores busy (this test's server {app_ms / cores:.0f}%, database "
          f"{database_ms / cores:.0f}%, simulated users {users_ms / cores:.0f}%; the rest is "
          f"other work), load average {statistics.mean(loads or [0]):.1f} "
          f"(highest {max(loads or [0]):.1f}); a fixed piece of work cost "
          f"{statistics.median(reference or [0]):.1f} ms of CPU (median; the machine alone: "
          f"{quiet_reference:.1f} ms before the users started)")
    if with_statements:
        print_statements(total)
    if restarted_at:
        print(f"after the restart (from 10 s on): {after_restart['requests']} requests, "
              f"{after_restart['errors']} errors")


if __name__ == "__main__":
    main()
