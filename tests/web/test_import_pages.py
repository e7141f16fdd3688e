"""The import pages: template download, upload, the dry run's report, the import; the web
process only queues the job, the worker runs it (here in the test's process, ``work_off``; the
real worker process in test_uploads.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.exchange.models import ImportJob, ImportRecord
from giamngheo.web.households.models import Household

from .factories import users_with_roles
from .test_excel_import import CHILD, HEAD, HOUSEHOLD, write


def upload(client, path, work_off):
    with path.open("rb") as handle:
        response = client.post(reverse("exchange:upload"), {"file": handle})
    work_off()
    return client.get(response["Location"])


@pytest.mark.django_db
def test_check_then_import_on_the_pages(client, place, tmp_path, work_off, settings):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.MONITOR)
    client.force_login(users[Role.COMMUNE_OFFICER])
    template = client.get(reverse("exchange:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = write(tmp_path / "loi.xlsx", {"Hộ gia đình": [HOUSEHOLD | {"Mã xã": "99999"}],
                                        "Thành viên": [HEAD]})
    page = upload(client, bad, work_off).content.decode()
    assert "Xã mã 99999 không thuộc địa bàn của bạn." in page and "Nhập ngay" not in page
    good = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    page = upload(client, good, work_off).content.decode()
    assert "1 hộ sẽ được thêm mới" in page and "Nhập ngay" in page
    job = ImportJob.objects.get(file_name="ds.xlsx")
    client.post(reverse("exchange:commit", args=[job.pk]))
    work_off()
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "Đã nhập." in page
    assert Household.objects.get(code="TL-100").members.count() == 2
    assert ImportRecord.objects.get().user == users[Role.COMMUNE_OFFICER]
    client.force_login(users[Role.MONITOR])
    assert client.get(reverse("exchange:upload")).status_code == 403
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_fails_clearly(client, place, tmp_path, work_off,
                                                      settings):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG not a workbook")
    page = upload(client, path, work_off).content.decode()
    assert "Tệp này không phải là tệp Excel (.xlsx)." in page
    assert not list((tmp_path / "imports").iterdir())  # a failed upload's file is deleted


@pytest.mark.django_db
def test_the_page_only_queues_the_check_one_file_at_a_time(client, place, tmp_path, settings,
                                                           work_off):
    settings.DATA_DIR = tmp_path
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    path = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    with path.open("rb") as handle:
        response = client.post(reverse("exchange:upload"), {"file": handle})
    job = ImportJob.objects.get()
    assert job.waiting and job.state == ImportJob.State.CHECKING  # nothing read here
    page = client.get(response["Location"]).content.decode()
    assert "chờ đến lượt" in page and 'http-equiv="refresh"' in page
    with path.open("rb") as handle:  # a second file while the first waits
        page = client.post(reverse("exchange:upload"), {"file": handle}).content.decode()
    assert "vẫn đang được xử lý" in page and ImportJob.objects.count() == 1
    assert work_off() == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and (job.done, job.total) == (1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Nhập ngay" in page and 'http-equiv="refresh"' not in page
