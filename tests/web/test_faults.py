"""Faults, for real: a process killed (SIGKILL) in the middle of an import or of a review's
classification leaves the database as it was; a read-only or unreachable database gives a
clear 503 page; connections dropped by the database (a restart) are made again."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from giamngheo.web.households.models import Household

from .fresh import fresh_database, giamngheo

ROOT = Path(__file__).parents[2]
SETUP = """
from django.contrib.auth.models import User
from giamngheo.web.accounts.models import Assignment
from giamngheo.web.units.models import AdministrativeUnit as Unit
user = User.objects.create_user("canbo")
Assignment.objects.create(user=user, role="commune_officer",
                          unit=Unit.objects.get(level="district", code="734", valid_from=None))
"""
CLASSIFY = """
import datetime as dt
from django.contrib.auth.models import User
from giamngheo.web.reviews.models import Review, Step
from giamngheo.web.units.models import AdministrativeUnit as Unit
commune = Unit.objects.get(level="commune", code="26131", valid_from=None)
review = Review.objects.create(commune=commune, kind="periodic", period_year=2027,
    reference_date=dt.date(2026, 10, 15), standard_id="vn-2022-2025",
    opened_by=User.objects.get(username="canbo"))
review.list_households(commune.households.all(), "added")
review.advance(User.objects.get(username="canbo"))
print("classifying", flush=True)
review.classify()
print("classified", flush=True)
"""


def kill_after(command: list[str], env, signal_line: str, delay: float) -> str:
    """Run ``command``, SIGKILL it ``delay`` seconds after it printed ``signal_line``;
    returns what it printed."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    printed = []
    for line in process.stdout:
        printed.append(line)
        if signal_line in line:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(printed)
    return "".join(printed + [process.stdout.read()])


def count(open_database, table: str, where: str = "") -> int:
    database = open_database()
    cursor = database.cursor()
    cursor.execute(f"SELECT COUNT(*) FROM {table} {where}")
    value = cursor.fetchone()[0]
    database.close()
    return value


@pytest.mark.django_db
def test_a_killed_import_or_classification_changes_nothing(tmp_path):
    env, open_database = fresh_database(tmp_path / "db", "killed")
    for args in (["migrate", "--verbosity", "0"], ["load_units"], ["shell", "-c", SETUP]):
        done = giamngheo(env, "manage", *args)
        assert done.returncode == 0, done.stderr
    spec = importlib.util.spec_from_file_location(
        "synthetic_workbook", ROOT / "benchmarks" / "synthetic_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    workbook = tmp_path / "ho-gia-dinh.xlsx"
    module.write_workbook(workbook, 6000, ["26131"])
    command = [sys.executable, "-m", "giamngheo", "manage", "import_households", str(workbook),
               "--user", "canbo", "--commit"]

    # the dry run's summary ("thêm mới 6000 hộ, ...") comes just before the import starts
    printed = kill_after(command, env, "thêm mới 6000 hộ", delay=1.0)
    assert "Đã nhập" not in printed  # killed before the end
    for table in ("households_household", "households_member", "exchange_importrecord",
                  "households_historicalhousehold"):
        assert count(open_database, table) == 0, table
    if connection.vendor == "sqlite":
        database = open_database()
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        database.close()

    done = subprocess.run(command, env=env, capture_output=True, text=True)  # again, whole
    assert done.returncode == 0, done.stderr
    assert count(open_database, "households_household") == 6000

    printed = kill_after([sys.executable, "-m", "giamngheo", "manage", "shell", "-c",
                          CLASSIFY], env, "classifying", delay=1.0)
    assert "classified" not in printed
    assert count(open_database, "reviews_reviewentry") == 6000  # the listing was committed
    assert count(open_database, "reviews_reviewentry", "WHERE classification <> ''") == 0


@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_gives_a_clear_page(area):
    _district, _commune, officer = area
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    household = Household.objects.get(code="TL-1")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON" if connection.vendor == "sqlite"
                       else "SET default_transaction_read_only = on")
    try:
        response = client.post(reverse("households:edit", args=["TL-1"]), {
            "code": "TL-1", "address": "Ấp mới"})
        response = client.post(reverse("support:list"), {
            "code": "TL-1", "kind": "water", "given_on": "2025-01-02", "amount": "100.000"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF" if connection.vendor == "sqlite"
                           else "SET default_transaction_read_only = off")
    page = response.content.decode()
    assert response.status_code == 503 and "Thao tác vừa rồi chưa được lưu." in page
    assert "Traceback" not in page and "không ghi được" in page
    assert household.support.count() == 0


def get(live_server, client, path: str) -> int:
    """A request to the live server (a real request cycle: the test client skips the
    connection checks) with the client's session."""
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    request = urllib.request.Request(f"{live_server.url}{path}", headers={"Cookie": cookie})
    try:
        return urllib.request.urlopen(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_dropped_connections_are_made_again(client, live_server, area):
    """What a database restart does to the application: its connections are cut."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to restart; the PostgreSQL run does this")
    import psycopg

    _district, _commune, officer = area
    client.force_login(officer)
    assert get(live_server, client, reverse("households:list")) == 200
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
                         dbname="postgres", autocommit=True) as admin:
        cut = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()",
                            [settings["NAME"]]).fetchone()[0]
    assert cut >= 1
    connection.close()  # this thread's was cut too; the test's own teardown needs one
    assert get(live_server, client, reverse("households:list")) == 200


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_gives_a_clear_page(area):
    _district, _commune, officer = area
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    if connection.vendor == "sqlite":
        pytest.skip("an embedded SQLite database cannot be unreachable")
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 9  # nothing listens there
    try:
        response = client.get(reverse("households:list"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert response.status_code == 503
    assert "không kết nối được cơ sở dữ liệu" in response.content.decode()
