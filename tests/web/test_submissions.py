"""ODK Central and KoboToolbox exports of the review questionnaire, imported into a review's
survey step through the same dry run and matching as a workbook."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from giamngheo.web.accounts.models import Role
from giamngheo.web.exchange.importer import apply_import
from giamngheo.web.exchange.submissions import parse_submissions, plan_submissions
from giamngheo.web.exchange.workbook import WorkbookError
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Step

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures" / "submissions"
EXPORTS = ["kobo.xlsx", "kobo.json", "central.zip", "central.json"]


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_reads_as_the_same_household(name):
    parsed = parse_submissions(FIXTURES / name)
    assert parsed.problems == []
    row = parsed.households["TL-100"]
    assert row.values == {
        "code": "TL-100", "commune": "26131", "hamlet": "Ấp 4", "area": "rural",
        "has_dwelling": True, "walls": "durable", "frame": "durable", "roof": "non_durable",
        "floor_area_m2": 45.5, "water_source": "unprotected_dug_well", "latrine": "septic",
        "uses_internet": True, "devices": ["smartphone", "tv"],
        "income_monthly_per_capita": 1_100_000}
    head, child = (m.values for m in parsed.members["TL-100"])
    assert (head["full_name"], head["id_number"], head["birth_date"], head["relation"]) == (
        "Điểu Thị Mai", "075190004321", dt.date(1990, 4, 12), "head")
    assert (child["position"], child["school_level"], child["stunted"]) == (2, "primary", False)


@pytest.fixture
def review(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    household = make_household(commune, hamlet, "TL-100", 3_000_000, deprived=False)
    other = make_household(commune, hamlet, "TL-200", 3_000_000, deprived=False)
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2026, [household],
                        until=Step.SURVEY)
    return review, household, other, users[Role.COMMUNE_OFFICER]


def test_submissions_update_the_listed_household_then_the_review_classifies_it(review):
    review, household, _other, officer = review
    plan = plan_submissions(FIXTURES / "central.zip", review, officer)
    assert plan.problems == [] and plan.counts["update"] == 1
    apply_import(plan, officer)
    household.refresh_from_db()
    assert household.water_source == "unprotected_dug_well"
    assert list(household.members.order_by("position").values_list("full_name", flat=True)) \
        == ["Điểu Thị Mai", "K' Bình"]  # the head of the fixture replaced member 1, a child added
    review.classify()
    entry = review.entries.get(household=household)
    assert entry.classification == "poor"  # income under the line, 3 deprivations
    assert {"water", "health_insurance"} <= {
        code for code, deprived in entry.result["deprivations"].items() if deprived is True}
    assert entry.record["members"][1]["relation"] == "child"


def test_a_household_not_listed_in_the_review_is_refused(review, tmp_path):
    review, _household, _other, officer = review
    data = json.loads((FIXTURES / "kobo.json").read_text())
    data["results"][0]["household/household_code"] = "TL-200"
    path = tmp_path / "kobo.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    plan = plan_submissions(path, review, officer)
    assert [p.message for p in plan.problems] == [
        "Hộ TL-200 không có trong danh sách của đợt rà soát này."]


def test_submissions_only_in_the_survey_step(place):
    commune, hamlet = place
    officer = users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    household = make_household(commune, hamlet, "TL-100", 3_000_000, deprived=False)
    review = run_review(commune, hamlet, officer, 2026, [household], until=Step.MEETING)
    with pytest.raises(WorkbookError, match="bước 2"):
        plan_submissions(FIXTURES / "kobo.xlsx", review, officer)
    assert Household.objects.count() == 1


@pytest.mark.parametrize("name, content", [("x.json", b"{not json"), ("x.json", b'{"a": 1}'),
                                           ("x.zip", b"PK broken"), ("x.txt", b"hello")])
def test_unreadable_exports(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError):
        parse_submissions(path)


def test_a_wrong_answer_is_reported_with_the_question(tmp_path):
    shutil.copy(FIXTURES / "central.json", tmp_path / "c.json")
    data = json.loads((tmp_path / "c.json").read_text())
    data["value"][0]["dwelling"]["water_source"] = "rain_barrel"
    data["value"][0]["members"][1]["birth_date"] = "2015-02-30"
    (tmp_path / "c.json").write_text(json.dumps(data))
    parsed = parse_submissions(tmp_path / "c.json")
    assert {(p.row, p.column) for p in parsed.problems} == {(1, "water_source"),
                                                            (1, "birth_date")}


def test_the_officer_imports_submissions_from_the_review_page(client, review, tmp_path,
                                                              settings, work_off):
    from django.urls import reverse

    from giamngheo.web.exchange.models import ImportJob

    settings.DATA_DIR = tmp_path
    review, household, _other, officer = review
    client.force_login(officer)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "ODK Central" in page
    with (FIXTURES / "central.zip").open("rb") as handle:
        response = client.post(reverse("exchange:upload"), {"file": handle,
                                                            "review": review.pk})
    work_off()
    page = client.get(response["Location"]).content.decode()
    assert "1 hộ sẽ được cập nhật" in page
    job = ImportJob.objects.get()
    assert job.review == review and job.path.endswith(".zip")
    client.post(reverse("exchange:commit", args=[job.pk]))
    work_off()
    household.refresh_from_db()
    assert household.members.count() == 2
