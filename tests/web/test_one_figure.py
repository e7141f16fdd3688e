"""One definition of each figure (issue 13, "Done when"): an area built by hand, whose
households, rates and movements are counted here on paper, reads the same on the review's
lists page, the dashboard, the commune summary, the result tables, the report and the API;
and a province's figures are what it and every unit below recorded."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.api.models import ApiToken
from giamngheo.web.households.models import Household
from giamngheo.web.program.models import (
    Activity,
    EnteredValue,
    Funding,
    Task,
    activities_in,
    budget_by_source,
    funding_in,
    outputs_by_content,
)
from giamngheo.web.program.progress import target_progress
from giamngheo.web.reports.dashboard import dashboard
from giamngheo.web.reports.tables import result_tables
from giamngheo.web.reviews.models import Step
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def by_hand(place):
    """Tà Lài: two annual reviews (2023, 2024); Đak Lua: one (2024). On paper, the lists of
    2025 in Tà Lài hold 6 households: P1 poor; N1 near-poor; P2 (escaped) and A1 not poor;
    U1 (could not be surveyed) and L1 (registered after the reference date) undecided; M1
    moved away before the decision and is not counted. Poverty rate 1/6 = 16,67%; movements
    of the poor: 3 at the start, 1 escaped, 1 without a decision, 1 at the end."""
    commune, hamlet = place
    district = commune.parent
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    dak_hamlet = Unit.objects.create(code="26119-01", name="Ấp 1", kind="ap", level="hamlet",
                                     parent=dak_lua)
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
    officer, chair = users[Role.COMMUNE_OFFICER], users[Role.COMMUNE_CHAIR]
    h = {code: make_household(commune, hamlet, code, income, deprived)
         for code, income, deprived in (("P1", 1_000_000, True), ("P2", 1_000_000, True),
                                        ("U1", 1_000_000, True), ("N1", 1_400_000, False),
                                        ("M1", 1_400_000, False), ("A1", 5_000_000, False))}
    run_review(commune, hamlet, officer, 2023, list(h.values()))
    Household.objects.filter(pk=h["P2"].pk).update(income_monthly_per_capita=4_000_000,
                                                   water_source="piped", uses_internet=True)
    Household.objects.filter(pk=h["U1"].pk).update(has_dwelling=None, water_source="",
                                                   uses_internet=None)
    h["U1"].members.update(health_insurance=None, employment="")
    review = run_review(commune, hamlet, officer, 2024, list(h.values()), until=Step.DECISION)
    review.withdraw(review.entries.get(household=h["U1"]), "not_surveyed",
                    dt.date(2024, 11, 25), "Cả hộ đi làm ăn xa", officer)
    review.withdraw(review.entries.get(household=h["M1"]), "moved", dt.date(2024, 11, 20),
                    "", officer)
    late = make_household(commune, hamlet, "L1", 1_000_000, deprived=True)
    Household.objects.filter(pk=late.pk).update(registered_on=dt.date(2024, 11, 20))
    review.advance(chair)
    other = make_household(dak_lua, dak_hamlet, "D1", 1_000_000, deprived=True)
    run_review(dak_lua, dak_hamlet, officer, 2024, [other])
    return district, commune, review, users


def test_every_page_file_report_and_the_api_give_the_same_figures(client, by_hand):
    district, commune, review, users = by_hand
    officer = users[Role.COMMUNE_OFFICER]
    client.force_login(officer)
    expected = (6, 1, 1, 2)  # households, poor, near-poor, without a decision

    # the review's lists page
    page = client.get(reverse("reviews:lists", args=[review.pk]))
    total = page.context["summary"][-1]
    assert (total.households, total.poor, total.near_poor, total.undecided) == expected
    assert "16,67" in page.content.decode()
    # the commune summary
    page = client.get(reverse("households:summary", args=[commune.pk]))
    total = page.context["summary"][-1]
    assert (total.households, total.poor, total.near_poor, total.undecided) == expected
    assert "16,67" in page.content.decode()
    # the dashboard of the district for 2024 (the review held in 2024, lists of 2025), as
    # the district's officer reads it
    client.force_login(users_with_roles(district, Role.AREA_OFFICER)[Role.AREA_OFFICER])
    page = client.get(reverse("reports:dashboard"), {"unit": district.pk, "year": 2024})
    row = next(r for r in page.context["board"].communes.rows if r[0] == commune.name)
    assert row[1:7] == [6, 50.0, 16.67, 16.67, 2, 1]  # 3 poor of 6 at the start
    assert "16,67" in page.content.decode()
    # the result tables
    tables = {t.key: t for t in result_tables(district, 2025)}
    summary = {r[0]: r for r in tables["summary"].rows}
    assert [summary[commune.name][i] for i in (1, 3, 4, 5, 10)] == [6, 1, 16.67, 1, 2]
    assert [summary["Tổng cộng"][i] for i in (1, 3, 4, 10)] == [7, 2, 28.57, 2]
    moves = dict(zip(tables["poor_movements"].headers,
                     next(r for r in tables["poor_movements"].rows if r[0] == commune.name),
                     strict=True))
    assert (moves["đầu kỳ"], moves["giảm: thoát nghèo"], moves["cuối kỳ"]) == (3, 1, 1)
    assert moves["giảm: chưa có kết quả kỳ này (không phải biến động)"] == 1
    near = dict(zip(tables["near_poor_movements"].headers,
                    next(r for r in tables["near_poor_movements"].rows
                         if r[0] == commune.name), strict=True))
    assert (near["đầu kỳ"], near["giảm: giảm khác (chuyển đi, chết, nhập hộ)"],
            near["cuối kỳ"]) == (2, 1, 1)
    dak_lua = next(r for r in tables["poor_movements"].rows if r[0] == "Xã Đak Lua")
    assert dak_lua[1] == "chưa có kỳ rà soát trước"
    # the annual report of 2024
    client.force_login(officer)
    response = client.get(reverse("reports:report", args=["docx"]),
                          {"unit": commune.pk, "year": 2024})
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tỷ lệ hộ nghèo đầu năm 50,00%, cuối năm 16,67%" in text
    assert "Trong năm có 1 hộ thoát nghèo" in text
    rates = next(t for t in document.tables if t.rows[0].cells[1].text == "hộ gia đình")
    end = [c.text for c in rates.rows[-1].cells]
    assert end[1:7] == ["6", "1", "16,67", "1", "16,67", "2"]
    # the API
    key = ApiToken.issue(officer, "test")[1]
    figures = client.get("/api/indicators", {"unit": commune.code, "year": 2025},
                         HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (figures["households"], figures["by_status"]["poor"], figures["undecided"],
            figures["poor_rate"]) == (6, 1, 2, 16.67)
    assert figures["by_status"] == {"poor": 1, "near_poor": 1, "not_poor": 2, "undecided": 2}


def test_a_province_is_what_it_and_every_unit_below_recorded(by_hand):
    district, commune, _review, users = by_hand
    province = district.parent
    officer = users[Role.COMMUNE_OFFICER]
    recorded = {}
    for n, unit in enumerate((province, district, commune), start=1):
        activity = Activity.objects.create(content="4.1", unit=unit, name=f"Tập huấn {n}",
                                           project="7", held_on=dt.date(2024, 3, n),
                                           events=n, participants=10 * n, officers_trained=n)
        Funding.objects.create(activity=activity, source="provincial", on=dt.date(2024, 3, n),
                               allocated=n * 1_000_000, disbursed=n * 500_000, settled=0)
        Task.objects.create(unit=unit, agency="Cơ quan", task=f"Nhiệm vụ {n}",
                            due_on=dt.date(2024, 5, n))
        EnteredValue.objects.create(target="officers_trained", unit=unit, achieved=n,
                                    of=n + 1, as_of=dt.date(2024, 6, n), recorded_by=officer)
        recorded[unit.pk] = n
    whole = sum(recorded.values())  # 6
    for unit, units in ((province, 3), (district, 2), (commune, 1)):
        expected = sum(range(4 - units, 4))  # commune 3; district 2+3; province 1+2+3
        outputs = {r["content"]: r for r in outputs_by_content(activities_in(unit, 2024))}
        assert (outputs["4.1"]["activities"], outputs["4.1"]["events"]) == (units, expected)
        total = budget_by_source(funding_in(unit, 2024))[-1]
        assert total["allocated"] == expected * 1_000_000
        trained = next(p for p in target_progress(unit, 2024)
                       if p.target.id == "officers_trained")
        assert trained.counts == (expected, expected + units, units)
    province_budget = budget_by_source(funding_in(province, 2024))[-1]
    assert province_budget["disbursed"] == whole * 500_000
    assert province_budget["allocated"] >= budget_by_source(funding_in(district, 2024))[-1][
        "allocated"]  # never smaller than its only district's
    board = dashboard(province, 2024)
    assert board.budget.rows[-1][1] == whole * 1_000_000
    assert {r[0] for r in board.communes.rows} == {commune.name, "Xã Đak Lua"}
    assert Task.objects.filter(unit__in=province.below()).count() == 3
