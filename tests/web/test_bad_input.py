"""Hostile input, everywhere: oversized uploads and posts, wrong content types, path
traversal in file names, SQL and HTML injection in the search and form fields, forged ids of
another commune's objects. Each gets a 4xx or a clear message; nothing leaks (no other
commune's data in the answer) and nothing changes (every table compared before and after)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.api.models import ApiToken
from giamngheo.web.exchange.models import ImportJob
from giamngheo.web.households.models import Household
from giamngheo.web.program.models import Activity, LivelihoodModel, Task
from giamngheo.web.reviews.models import Review
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import users_with_roles

pytestmark = pytest.mark.django_db
SQL = "' OR 1=1; DROP TABLE households_household; --"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# tables a refused request may still write: sessions, the login throttle, the access log
MAY_CHANGE = ("django_session", "axes_", "accounts_accesslog", "api_apitoken")  # last used


def snapshot() -> dict[str, list]:
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not table.startswith(MAY_CHANGE):
                cursor.execute(f'SELECT * FROM "{table}"')
                rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


@pytest.fixture
def outsider(area):
    """A Đak Lua commune officer, and the objects of Tà Lài they must not reach."""
    district, ta_lai, officer = area
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    user = users_with_roles(dak_lua, Role.SURVEYOR)[Role.SURVEYOR]
    Assignment = user.assignments.model
    Assignment.objects.create(user=user, role=Role.COMMUNE_OFFICER, unit=dak_lua)
    activity = Activity.objects.create(content="1", unit=ta_lai, name="Hội nghị", project="6",
                                       held_on=dt.date(2025, 3, 1))
    model = LivelihoodModel.objects.create(commune=ta_lai, name="Nuôi bò",
                                           started_on=dt.date(2025, 1, 1))
    task = Task.objects.create(unit=ta_lai, agency="UBND xã", task="Báo cáo",
                               due_on=dt.date(2025, 6, 1))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, user, ta_lai, dak_lua, activity, model, task


def test_forged_ids_of_another_commune_reach_nothing(outsider, area):
    client, user, ta_lai, dak_lua, activity, model, task = outsider
    review = Review.objects.filter(commune=ta_lai).first()
    token = ApiToken.issue(user, "kiểm thử")[1]
    before = snapshot()
    refused = {
        "edit TL-1": client.post(reverse("households:edit", args=["TL-1"]),
                                 {"code": "TL-1", "address": "x"}),
        "read TL-1": client.get(reverse("households:detail", args=["TL-1"])),
        "review": client.post(reverse("reviews:act", args=[review.pk, "reopen"]),
                              {"step": review.step, "reason": "x"}),
        "lists": client.get(reverse("reviews:lists", args=[review.pk])),
        "funding": client.post(reverse("program:add_funding", args=["activity", activity.pk]),
                               {"source": "commune", "allocated": "1", "disbursed": "0",
                                "settled": "0"}),
        "model": client.post(reverse("program:model", args=[model.pk]),
                             {"code": "DL-1", "joined_on": "2025-01-02"}),
        "task": client.post(reverse("program:tasks") + f"?unit={ta_lai.pk}",
                            {"task": task.pk, f"t{task.pk}-status": "done",
                             f"t{task.pk}-done_on": "2025-01-02"}),
        "dashboard": client.get(reverse("reports:dashboard"), {"unit": ta_lai.pk}),
        "tables": client.get(reverse("reports:review_tables"),
                             {"unit": ta_lai.pk, "year": 2025}),
        "summary": client.get(reverse("households:summary", args=[ta_lai.pk])),
        "api read": client.get("/api/households/TL-1", HTTP_AUTHORIZATION=f"Bearer {token}"),
        "api update": client.put("/api/households/TL-1", json.dumps({"version": 1}),
                                 content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {token}"),
    }
    for name, response in refused.items():
        assert 400 <= response.status_code < 500, name
        assert "TL-1" not in response.content.decode() or name == "api read", name
    # forms that take a code or a unit say no in words
    page = client.post(reverse("support:list"), {"code": "TL-1", "kind": "water",
                                                 "given_on": "2025-01-02"})
    assert "Không có hộ nào trong địa bàn của bạn mang mã này." in page.content.decode()
    page = client.post(reverse("program:overview"), {
        "enter": "", "target": "officers_trained", "unit": ta_lai.pk, "year": 2024,
        "value": "50"})
    assert page.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in page.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("path, params", [
    ("households:list", {"q": SQL}), ("households:list", {"commune": SQL}),
    ("households:list", {"status": SQL, "indicator": SQL, "page": SQL}),
    ("households:list", {"q": HTML}), ("reports:dashboard", {"unit": SQL, "year": SQL}),
    ("reports:dashboard", {"year": "99999999999999999999"}),
    ("program:overview", {"year": SQL}), ("program:activities", {"unit": "-1"}),
    ("support:list", {"kind": SQL, "page": "-5"}), ("support:eligible", {"benefit": HTML}),
    ("reports:review_tables", {"unit": "1 OR 1=1", "year": "2025"}),
    ("reviews:list", {"commune": SQL}),
])
def test_injection_in_queries_is_harmless(outsider, path, params):
    client = outsider[0]
    before = snapshot()
    response = client.get(reverse(path), params)
    assert response.status_code in (200, 400, 404), (path, params)
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html  # echoed as text only
    assert snapshot() == before
    assert Household.objects.count() == 4  # the table is still there


def test_api_injection_and_wrong_types(outsider):
    client, user = outsider[:2]
    token = ApiToken.issue(user, "kiểm thử")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = snapshot()
    for query in ({"q": SQL}, {"commune": SQL}, {"status": HTML}, {"page": SQL}):
        assert client.get("/api/households", query, **auth).status_code in (200, 422), query
    assert client.post("/api/households", "not json {", content_type="text/plain",
                       **auth).status_code == 415
    assert client.post("/api/households", "not json {", content_type="application/json",
                       **auth).status_code == 400
    assert client.post("/api/households", "<xml/>", content_type="application/xml",
                       **auth).status_code == 415
    assert snapshot() == before


def test_html_typed_into_forms_is_shown_as_text(area):
    _district, commune, officer = area
    client = Client()
    client.force_login(officer)
    household = Household.objects.get(code="TL-1")
    Household.objects.filter(pk=household.pk).update(address=HTML)
    Activity.objects.create(content="1", unit=commune, name=HTML, project="6",
                            held_on=dt.date(2025, 3, 1))
    for url in (reverse("households:detail", args=["TL-1"]),
                reverse("program:activities") + f"?unit={commune.pk}&year=2025"):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;" in html and "<script>alert" not in html, url


def test_uploads_that_are_too_big_misnamed_or_not_workbooks(outsider, settings, tmp_path,
                                                             work_off):
    client = outsider[0]
    settings.DATA_DIR = tmp_path
    before = snapshot()
    huge = SimpleUploadedFile("lon.xlsx", b"0" * (26 * 1024 * 1024))
    page = client.post(reverse("exchange:upload"), {"file": huge}).content.decode()
    assert "Tệp lớn hơn 25 MB." in page
    assert snapshot() == before
    traversal = SimpleUploadedFile("../../../../etc/passwd.xlsx", b"not a workbook",
                                   content_type="application/x-msdownload")
    response = client.post(reverse("exchange:upload"), {"file": traversal})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.file_name == "passwd.xlsx"  # no folders
    assert Path(job.path).parent == tmp_path / "imports" and ".." not in job.path
    work_off()
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "không phải là tệp Excel" in page or "không đọc được" in page


def test_an_oversized_form_post_is_refused(outsider):
    client = outsider[0]
    before = snapshot()
    response = client.post(reverse("households:new"), {"address": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert snapshot() == before
