"""The optional record field ``dwelling.waste_disposal`` (issue 14 items 4-5, issue 15 item 4)
through the web side: asked on the form only where a standard in use reads it, kept when not
asked, in the workbook (round trip), the ODK submissions and the API; a review under the
2027-2030 standard counts and lists the households that still lack the answer; the
deprivation columns of the tables come from the standard the households were decided under."""

from __future__ import annotations

import io
import json
from pathlib import Path

import fastexcel
import pytest
from django.urls import reverse

from giamngheo import record
from giamngheo.figures import indicators_of, tally
from giamngheo.web.accounts.models import Role
from giamngheo.web.api.models import ApiToken
from giamngheo.web.exchange.export import write_households
from giamngheo.web.exchange.importer import apply_import, plan_import
from giamngheo.web.exchange.submissions import plan_submissions
from giamngheo.web.exchange.template import build_template
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Review, Step
from giamngheo.web.reviews.questions import asked_fields, missing_answers

from .factories import make_household, run_review, users_with_roles
from .submitted import submitted

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures" / "submissions"
WASTE = "dwelling.waste_disposal"
QUESTION = record.field(WASTE).label["vi"]  # "Xử lý rác thải sinh hoạt"


@pytest.fixture
def commune_of(todays_place):
    commune, hamlet = todays_place  # the 2026 reviews are today's Tà Lài's
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    households = [make_household(commune, hamlet, f"TL-{n}", 1_200_000, deprived=n < 2)
                  for n in range(3)]
    return commune, hamlet, users[Role.COMMUNE_OFFICER], households


def open_review(commune_of, standard: str = "vn-2027-2030", until: Step = Step.SURVEY):
    """The 2026 annual review under ``standard``; under 2022-2025, a monthly one."""
    commune, hamlet, officer, households = commune_of
    kind = "regular" if standard == "vn-2022-2025" else "periodic"
    return run_review(commune, hamlet, officer, 2026, households, until=until,
                      standard=standard, kind=kind)


def test_the_question_is_asked_only_where_a_standard_in_use_reads_it(client, commune_of):
    commune, _hamlet, officer, households = commune_of
    client.force_login(officer)
    url = reverse("households:edit", args=[households[0].code])
    assert asked_fields([commune], households[0].registered_on) == set()
    assert 'name="waste_disposal"' not in client.get(url).content.decode()  # 2022-2025 only
    open_review(commune_of, standard="vn-2022-2025")
    assert 'name="waste_disposal"' not in client.get(url).content.decode()
    review = open_review(commune_of)
    assert asked_fields([commune], review.reference_date) == {WASTE}
    page = client.get(url).content.decode()
    assert 'name="waste_disposal"' in page and QUESTION in page
    data = submitted(page)
    assert data["waste_disposal"] == [""]  # not recorded
    data["waste_disposal"] = ["burned_open"]
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    households[0].refresh_from_db()
    assert households[0].waste_disposal == "burned_open"
    assert households[0].to_record(review.reference_date)["dwelling"]["waste_disposal"] \
        == "burned_open"


def test_an_answer_is_kept_where_the_question_is_no_longer_asked(client, commune_of):
    _commune, _hamlet, officer, households = commune_of
    review = open_review(commune_of)
    client.force_login(officer)
    url = reverse("households:edit", args=[households[1].code])
    Household.objects.filter(pk=households[1].pk).update(waste_disposal="collected")
    review.delete()  # no standard in use reads it now: still shown, since it is answered
    data = submitted(client.get(url).content.decode())
    assert data["waste_disposal"] == ["collected"]
    client.post(url, data, follow=True)
    households[1].refresh_from_db()
    assert households[1].waste_disposal == "collected"
    # a form built without the field (not asked, nothing recorded) leaves the value alone
    households[2].waste_disposal = ""
    households[2].save()
    url = reverse("households:edit", args=[households[2].code])
    data = submitted(client.get(url).content.decode())
    assert "waste_disposal" not in data
    Household.objects.filter(pk=households[2].pk).update(waste_disposal="dumped")
    client.post(url, {**data, "version": [str(Household.objects.get(
        pk=households[2].pk).version)]}, follow=True)
    assert Household.objects.get(pk=households[2].pk).waste_disposal == "dumped"


def test_the_workbook_carries_the_answer_and_reads_back_unchanged(commune_of, tmp_path):
    _commune, _hamlet, officer, households = commune_of
    Household.objects.filter(pk=households[0].pk).update(waste_disposal="treated_onsite")
    path = tmp_path / "xuat.xlsx"
    write_households(Household.objects.all(), path, lambda *_: True)
    book = fastexcel.read_excel(path.read_bytes())
    sheet = book.load_sheet("Hộ gia đình", dtypes="string").to_polars()
    assert sheet[QUESTION].to_list() == [
        record.WASTE_DISPOSAL.label("treated_onsite", "vi"), None, None]
    plan = plan_import(path, officer)
    assert plan.problems == [] and plan.counts["unchanged"] == 3
    headers = fastexcel.read_excel(build_template()).load_sheet(
        "Hộ gia đình", header_row=None, dtypes="string").to_polars().row(0)
    assert QUESTION in headers


def test_odk_submissions_bring_the_answer(commune_of, tmp_path):
    commune, hamlet, officer, _households = commune_of
    household = make_household(commune, hamlet, "TL-100", 3_000_000, deprived=False)
    review = run_review(commune, hamlet, officer, 2026, [household], until=Step.SURVEY,
                        standard="vn-2027-2030")
    data = json.loads((FIXTURES / "kobo.json").read_text())
    data["results"][0]["dwelling/waste_disposal"] = "dumped"
    data["results"][0] = {k: commune.code if v == "26131" else v  # today's Tà Lài
                          for k, v in data["results"][0].items()}
    path = tmp_path / "kobo.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    plan = plan_submissions(path, review, officer)
    assert plan.problems == []
    apply_import(plan, officer)
    household.refresh_from_db()
    assert household.waste_disposal == "dumped"
    review.classify()
    entry = review.entries.get(household=household)
    assert entry.result["deprivations"]["waste"] is True


def test_the_api_schema_reads_and_writes_the_answer(client, commune_of):
    _commune, _hamlet, officer, households = commune_of
    key = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(officer, 'test')[1]}"}
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert set(schema["HouseholdIn"]["properties"]["waste_disposal"]["enum"]) == {
        "", *record.WASTE_DISPOSAL.codes}
    url = f"/api/households/{households[0].code}"

    def put(body):
        return client.put(url, json.dumps(body), content_type="application/json", **key)

    body = client.get(url, **key).json()
    assert body["waste_disposal"] == ""
    response = put({**body, "waste_disposal": "collected"})
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["waste_disposal"] == "collected"
    assert Household.objects.get(pk=households[0].pk).waste_disposal == "collected"
    again = put(saved)  # read, sent back untouched: the same household
    assert again.status_code == 200
    assert {k: v for k, v in again.json().items() if k != "version"} == {
        k: v for k, v in saved.items() if k != "version"}
    assert put({**again.json(), "waste_disposal": "in_the_river"}).status_code in (400, 422)


def test_a_review_counts_and_lists_the_households_lacking_the_answer(client, commune_of):
    _commune, _hamlet, officer, households = commune_of
    Household.objects.filter(pk=households[0].pk).update(waste_disposal="collected")
    Household.objects.filter(pk=households[1].pk).update(has_dwelling=False)  # not asked
    review = open_review(commune_of)
    [missing] = missing_answers(review)
    assert [h.code for h in missing.households] == [households[2].code]
    client.force_login(officer)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert ("1 hộ cần trả lời câu hỏi về xử lý rác thải sinh hoạt trước khi phân loại"
            in page)
    assert reverse("households:edit", args=[households[2].code]) in page
    assert reverse("households:edit", args=[households[0].code]) not in page
    # the review's questionnaire asks it; one for a 2022-2025 review does not
    survey = _xlsform_names(client, f"?review={review.pk}")
    assert "waste_disposal" in survey
    older = open_review(commune_of, standard="vn-2022-2025", until=Step.LISTING)
    assert missing_answers(older) == []
    assert "waste_disposal" not in _xlsform_names(client, f"?review={older.pk}")
    assert client.get(reverse("exchange:xlsform") + "?review=999999").status_code == 404


def _xlsform_names(client, query: str) -> list[str]:
    content = client.get(reverse("exchange:xlsform") + query).content
    survey = fastexcel.read_excel(io.BytesIO(content).getvalue()).load_sheet(
        "survey", dtypes="string").to_polars()
    return survey["name"].to_list()


def test_deprivation_columns_come_from_the_standard_of_the_decisions():
    def pairs(standard: str):
        result = {"classification": "poor", "standard": standard, "deprivations": {}}
        return [({"reference_date": "2026-10-15", "members": []}, result)]

    older = indicators_of(tally(pairs("vn-2022-2025")), "vi")
    newer = indicators_of(tally(pairs("vn-2027-2030")), "vi")
    assert "information_assets" in older and "waste" not in older and len(older) == 12
    assert "waste" in newer and "information_assets" not in newer
    assert newer["waste"] == "Thu gom, xử lý rác thải sinh hoạt"
    assert indicators_of(None, "vi") == {}


def test_the_2026_annual_review_applies_2027_2030_and_its_monthly_reviews_2022_2025(
        client, commune_of):
    commune, _hamlet, officer, _households = commune_of
    client.force_login(officer)

    def opened(kind: str, year: int, day: str) -> str:
        response = client.post(reverse("reviews:list"), {
            "commune": commune.pk, "kind": kind, "period_year": year, "reference_date": day,
            "standard_id": ""}, follow=True)
        assert response.status_code == 200
        return Review.objects.get(commune=commune, kind=kind, period_year=year,
                                  reference_date=day).standard_id

    assert opened("periodic", 2027, "2026-10-15") == "vn-2027-2030"  # the lists of 2027
    assert opened("regular", 2026, "2026-03-15") == "vn-2022-2025"
