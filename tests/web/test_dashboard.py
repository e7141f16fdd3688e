"""The dashboard: targets with their actual values and lights, rates by commune, deprivations
with their contribution, budget execution; charts drawn as SVG on the page (no script, no
CDN) beside tables holding the same numbers, and an XLSX of those tables."""

from __future__ import annotations

import datetime as dt

import fastexcel
import pytest
from django.urls import reverse
from django.utils import timezone

from giamngheo.web.program.models import Activity, AssignedTarget, Funding
from giamngheo.web.reports.dashboard import dashboard

pytestmark = pytest.mark.django_db


def test_the_dashboard_of_a_district(client, area):
    district, commune, officer = area
    board = dashboard(district, 2024)  # the year 2024: the review held in it, lists of 2025
    assert (board.lists_year, board.year_closed, board.years) == (2025, True, [2023, 2024])
    water = next(p for p in board.progress if p.target.id == "hygienic_water")
    # poor and near-poor of 2025: TL-1, TL-3, DL-1; TL-1 and DL-1 lack hygienic water
    assert water.actual == pytest.approx(100 / 3) and water.light == "red"
    assert [y for y, _v in water.trend] == [2023, 2024]
    group_a = next(p for p in board.progress if p.target.id == "poor_group_a_reduction")
    assert group_a.baseline is not None  # the group A households of the 2024 lists
    rows = {r[0]: r for r in board.communes.rows}
    # households, % poor at the start (2 of 3), % poor and % near-poor at the end
    assert rows[commune.name][1:5] == [3, 66.67, 33.33, 33.33]
    contributions = [r[3] for r in board.deprivations.rows]
    assert sum(contributions) == pytest.approx(100, abs=0.1)  # M0 shared by the indicators
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard"), {"unit": district.pk, "year": 2024})
    html = page.content.decode()
    assert page.status_code == 200
    board = page.context["board"]  # with its charts
    assert html.count('<svg class="bar"') == sum(len(t.bars) for t in board.tables) > 4
    assert html.count('class="goal"') == len(board.progress)  # the goal on each target
    assert "<script" not in html and "http" not in html.split("<main>")[1].split("<footer")[0]
    assert "Tỷ lệ hộ nghèo theo xã" in html and commune.name in html


def test_an_area_target_and_the_budget(client, area):
    district, commune, officer = area
    AssignedTarget.objects.create(target="hygienic_water", unit=district, year=2024,
                                  value=30, recorded_by=officer)
    activity = Activity.objects.create(content="1", unit=commune, name="Hội nghị tuyên truyền",
                                       project="6", held_on=dt.date(2024, 3, 1), events=2)
    Funding.objects.create(activity=activity, source="district", allocated=10_000_000,
                           disbursed=12_500_000, settled=0, on=dt.date(2024, 3, 1))
    board = dashboard(district, 2024)
    water = next(p for p in board.progress if p.target.id == "hygienic_water")
    assert water.target.value == 30 and water.light == "green"  # the district's own goal
    budget = {r[0]: r for r in board.budget.rows}
    assert budget["Ngân sách huyện"][1:5] == [10_000_000, 12_500_000, 0, 125.0]
    assert budget["Tổng cộng"][1] == 10_000_000
    client.force_login(officer)
    response = client.get(reverse("reports:dashboard_xlsx"), {"unit": district.pk,
                                                              "year": 2024})
    book = fastexcel.read_excel(response.content)
    assert book.sheet_names == ["Chỉ tiêu", "Tỷ lệ theo xã", "Thiếu hụt", "Kinh phí"]
    sheet = book.load_sheet("Kinh phí", header_row=4).to_polars()
    total = next(r for r in sheet.rows() if r[0] == "Tổng cộng")
    assert total[2] == 12_500_000  # a number, not text
    targets = book.load_sheet("Chỉ tiêu", header_row=4).to_polars()
    water = next(r for r in targets.rows() if r[0] and "nước" in r[0])
    assert water[4:6] == (pytest.approx(100 / 3, abs=0.01), 30)


def test_another_area_is_not_shown(client, area, place):
    _district, _commune, _officer = area
    from .factories import users_with_roles
    dak_lua = _district.children.get(code="26119", valid_from=None)
    outsider = users_with_roles(dak_lua, "monitor")["monitor"]
    client.force_login(outsider)
    assert client.get(reverse("reports:dashboard"),
                      {"unit": _district.pk, "year": 2024}).status_code == 404
    page = client.get(reverse("reports:dashboard"))  # own area and this year by default
    assert page.status_code == 200 and "Đak Lua" in page.content.decode()
    assert f"Đak Lua, {timezone.localdate().year}</h1>" in page.content.decode()


@pytest.mark.parametrize("goal, state, words", [(30, "met", "đạt"), (35, "near", "gần đạt"),
                                                (60, "not_met", "không đạt")])
def test_a_targets_state_is_the_same_everywhere(client, area, goal, state, words):
    """One fact, one answer: the dashboard (page and XLSX), the program overview, the annual
    report and /api/targets word the state of a target alike (33.33% of hygienic water)."""
    import io

    import docx

    from giamngheo.web.api.models import ApiToken

    district, _commune, officer = area
    AssignedTarget.objects.create(target="hygienic_water", unit=district, year=2024,
                                  value=goal, recorded_by=officer)
    client.force_login(officer)
    params = {"unit": district.pk, "year": 2024}
    water_label = "Hộ nghèo, cận nghèo sử dụng nước sinh hoạt hợp vệ sinh"
    board = client.get(reverse("reports:dashboard"), params).context["board"]
    assert next(r for r in board.targets.rows if r[0] == water_label)[3] == words
    book = fastexcel.read_excel(client.get(reverse("reports:dashboard_xlsx"), params).content)
    sheet = book.load_sheet("Chỉ tiêu", header_row=4).to_polars()
    assert next(r for r in sheet.rows() if r[0] == water_label)[3] == words
    document = docx.Document(io.BytesIO(client.get(reverse("reports:report", args=["docx"]),
                                                   params).content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert next(r for r in table.rows if r.cells[0].text == water_label).cells[3].text == words
    key = ApiToken.issue(officer, "test")[1]
    api = client.get("/api/targets", {"unit": "734", "year": 2024},
                     HTTP_AUTHORIZATION=f"Bearer {key}").json()
    water = next(t for t in api if t["target"] == "hygienic_water")
    assert (water["state"], water["met"]) == (state, state == "met")
