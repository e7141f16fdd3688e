"""What an upload costs the server (issue 12): the largest workbook accepted, checked then
imported, and each hostile upload of the penetration test, all sent to ``giamngheo serve``
(gunicorn, and the worker beside it) as a browser sends them, on a new SQLite database of
SYNTHETIC data. Prints per file: size, outcome, time until the job ended, the peak memory
(resident) of the job's process, and the peak of the web processes and of the whole server.

    uv run python benchmarks/upload_safety.py [--households 76000] [--workers 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
HOST = "giamngheo.example.vn"
PASSWORD = "Tà-Lài-rà-soát-2026"
SETUP = f"""
import datetime as dt
from django.contrib.auth.models import User
from giamngheo.web.accounts.models import Assignment
from giamngheo.web.reviews.models import Review
from giamngheo.web.units.models import AdministrativeUnit as Unit
commune = Unit.objects.get(level="commune", code="26131", valid_from=None)
user = User.objects.create_user("canbo", password="{PASSWORD}")
Assignment.objects.create(user=user, role="commune_officer", unit=commune)
print(Review.objects.create(commune=commune, kind="periodic", period_year=2027,
    reference_date=dt.date(2026, 10, 15), standard_id="vn-2022-2025", opened_by=user,
    step="survey").pk)
"""


def module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def giamngheo(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "giamngheo", *args], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return done.stdout


def last_job(database: Path) -> tuple[str, dict]:
    with sqlite3.connect(database) as connection:
        state, report = connection.execute(
            "SELECT state, report FROM exchange_importjob ORDER BY created DESC LIMIT 1"
        ).fetchone()
    return state, json.loads(report)


def wait_for_job(database: Path) -> tuple[str, dict, float]:
    start = time.monotonic()
    while True:
        state, report = last_job(database)
        if state not in ("checking", "importing") and "peak_memory_mb" in report:
            return state, report, time.monotonic() - start
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=76_000,
                        help="households of the largest workbook (76,000: 24.6 MB)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="giamngheo-uploads-"))
    env = {**os.environ, "GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY":
           secrets.token_urlsafe(50), "GIAMNGHEO_ALLOWED_HOSTS": HOST,
           "GIAMNGHEO_DATA_DIR": str(folder / "data"),
           "GIAMNGHEO_STATIC_ROOT": str(ROOT / "var" / "test-static"),
           "DJANGO_SETTINGS_MODULE": "giamngheo.web.settings"}
    env.pop("DATABASE_URL", None)
    giamngheo(env, "manage", "migrate", "--verbosity", "0")
    giamngheo(env, "manage", "load_units")
    review = giamngheo(env, "manage", "shell", "-c", SETUP).strip().splitlines()[-1]
    database = folder / "data" / "giamngheo.sqlite3"

    os.environ.update(env)
    import django

    django.setup()
    hostile = module(ROOT / "benchmarks" / "hostile_files.py")
    workbooks = module(ROOT / "benchmarks" / "synthetic_workbook.py")
    servers = module(ROOT / "tests" / "web" / "servers.py")
    headers = ([c.header for c in module_columns("household_columns")]
               + [c.header for c in module_columns("member_columns") if c.key != "household"])
    files = [
        ("largest accepted", workbooks_file(workbooks, folder, args.households)),
        ("A1 + XFD1048576", hostile.sparse_corners(folder / "goc.xlsx", headers=headers)),
        ("one 1 GB cell", hostile.huge_cell(folder / "o-lon.xlsx")),
        ("ODK zip, 1 GB CSV", hostile.central_zip_bomb(folder / "odk-central.zip")),
        ("1,048,576 rows", hostile.million_rows(folder / "trieu-dong.xlsx")),
        ("XML entities", hostile.entity_workbook(folder / "thuc-the.xlsx")),
    ]
    print(f"job's process limited to {env.get('GIAMNGHEO_JOB_MEMORY_MB', '1536')} MB of "
          f"address space; {args.workers} web workers\n")
    print(f"{'file':<20} {'size':>8}  {'outcome':<44} {'time':>7} {'job peak':>9} "
          f"{'web peak':>9}")
    with servers.serving(env, workers=args.workers) as server:
        web, worker = server.web(), server.worker()
        browser = servers.Browser(server.base, HOST)
        browser.log_in("canbo", PASSWORD)
        peaks = []
        for label, path in files:
            sent = browser.post("/exchange/import/", {"review": review} if path.suffix ==
                                ".zip" else {}, files={"file": (path.name, path.read_bytes())})
            state, report, seconds = wait_for_job(database)
            outcome = report.get("error") or (
                f"{state}: {report['counts']['create']:,} households, "
                f"{report['counts']['members']:,} members, {report['problem_count']} problems")
            rows = [(label, path, outcome, seconds, report["peak_memory_mb"])]
            if state == "checked" and not report["problem_count"]:
                browser.post(sent.headers["Location"] + "commit/", {})
                state, report, seconds = wait_for_job(database)
                rows.append(("  then imported", None, state, seconds, report["peak_memory_mb"]))
            for name, file, text, took, peak in rows:
                peaks.append(peak)
                size = f"{file.stat().st_size / 1e6:.1f} MB" if file else ""
                web_peak = max(servers.rss_mb(pid, "VmHWM") for pid in web)
                print(f"{name:<20} {size:>8}  {text[:44]:<44} {took:>6.1f}s {peak:>6} MB "
                      f"{web_peak:>6} MB", flush=True)
        total = sum(servers.rss_mb(pid, "VmHWM") for pid in web) + servers.rss_mb(
            worker, "VmHWM") + max(peaks)
        print(f"\npeak of each web process: {max(servers.rss_mb(p, 'VmHWM') for p in web)} MB;"
              f" of the worker: {servers.rss_mb(worker, 'VmHWM')} MB; the server at most "
              f"(web processes + worker + the largest job): {total} MB")


def module_columns(name: str):
    from giamngheo.web.exchange import columns

    return getattr(columns, name)()


def workbooks_file(workbooks, folder: Path, households: int) -> Path:
    path = folder / f"{households}-ho.xlsx"
    workbooks.write_workbook(path, households, ["26131"])
    return path


if __name__ == "__main__":
    main()
