"""The import pages: template download, upload, the dry run's report, the import; the job runs
in a background thread with its progress on the page."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.exchange import jobs
from giamngheo.web.exchange.models import ImportJob, ImportRecord
from giamngheo.web.households.models import Household

from .factories import users_with_roles
from .test_excel_import import CHILD, HEAD, HOUSEHOLD, write


@pytest.fixture
def inline(monkeypatch):
    """Jobs run in the request, so that the test's transaction sees them."""
    monkeypatch.setattr(jobs, "start", lambda target, job_id, lang: target(job_id, lang))


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("exchange:upload"), {"file": handle}, follow=True)


@pytest.mark.django_db
def test_check_then_import_on_the_pages(client, place, tmp_path, inline, settings):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.MONITOR)
    client.force_login(users[Role.COMMUNE_OFFICER])
    template = client.get(reverse("exchange:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = write(tmp_path / "loi.xlsx", {"Hộ gia đình": [HOUSEHOLD | {"Mã xã": "99999"}],
                                        "Thành viên": [HEAD]})
    page = upload(client, bad).content.decode()
    assert "Xã mã 99999 không thuộc địa bàn của bạn." in page and "Nhập ngay" not in page
    good = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    page = upload(client, good).content.decode()
    assert "1 hộ sẽ được thêm mới" in page and "Nhập ngay" in page
    job = ImportJob.objects.get(file_name="ds.xlsx")
    page = client.post(reverse("exchange:commit", args=[job.pk]), follow=True).content.decode()
    assert "Đã nhập." in page
    assert Household.objects.get(code="TL-100").members.count() == 2
    assert ImportRecord.objects.get().user == users[Role.COMMUNE_OFFICER]
    client.force_login(users[Role.MONITOR])
    assert client.get(reverse("exchange:upload")).status_code == 403
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_fails_clearly(client, place, tmp_path, inline, settings):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG not a workbook")
    page = upload(client, path).content.decode()
    assert "Tệp này không phải là tệp Excel (.xlsx)." in page


@pytest.mark.django_db(transaction=True)
def test_the_check_runs_in_the_background_and_shows_its_progress(client, place, tmp_path,
                                                                  settings):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    path = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    with path.open("rb") as handle:
        response = client.post(reverse("exchange:upload"), {"file": handle})
    job = ImportJob.objects.get()
    for _ in range(100):
        job.refresh_from_db()
        if not job.running:
            break
        time.sleep(0.1)
    assert job.state == ImportJob.State.CHECKED and (job.done, job.total) == (1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Nhập ngay" in page and 'http-equiv="refresh"' not in page
