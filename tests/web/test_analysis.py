"""The analysis pages: a closed review under another standard, and the support plan of a
commune or a district, computed in the background, accepted into planned support records
and commune targets by the roles that may; nothing else in the registry changes."""

from __future__ import annotations

import io

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Assignment, Role
from giamngheo.web.analysis import jobs
from giamngheo.web.analysis.models import CommuneTarget, SupportPlan, WhatIfRun
from giamngheo.web.households.models import Household, Member
from giamngheo.web.reports.tables import _support_received
from giamngheo.web.reviews.models import Review, ReviewEntry
from giamngheo.web.support.eligibility import eligible
from giamngheo.web.support.models import Support

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_the_request(monkeypatch):
    """The plan's background job runs at once (the thread's work, in the test's database)."""
    monkeypatch.setattr(jobs, "start", lambda target, plan_id, lang: target(plan_id, lang))


def person(name: str, role: str, unit) -> User:
    user = User.objects.create_user(name, password="pw")
    Assignment.objects.create(user=user, role=role, unit=unit)
    return user


def registry_state() -> list:
    """Everything an analysis must leave as it was."""
    return [list(Household.objects.order_by("pk").values()),
            list(Member.objects.order_by("pk").values()),
            list(ReviewEntry.objects.order_by("pk").values()),
            list(Review.objects.order_by("pk").values())]


def test_a_closed_review_under_another_standard(client, area):
    district, commune, officer = area
    review = Review.objects.filter(commune=commune, step="closed").latest("reference_date")
    entry = review.entries.get(household__code="TL-2")  # surveyed at 2,000,000 đ a person
    entry.record["income"] = {"monthly_per_capita": 2_000_000}
    entry.save()
    canbo = person("canbo", Role.COMMUNE_OFFICER, commune)
    client.force_login(canbo)
    before = registry_state()
    page = client.get(reverse("analysis:whatif_review", args=[review.pk]))
    assert "vn-2027-2030" in page.content.decode()
    response = client.post(reverse("analysis:whatif_review", args=[review.pk]),
                           {"standard": "vn-2027-2030"})
    run = WhatIfRun.objects.get()
    assert response.url == reverse("analysis:whatif", args=[run.pk])
    assert registry_state() == before  # nothing in the registry changes
    assert (run.run_by, run.standard_a, run.households) == (canbo, "vn-2022-2025", 3)
    assert len(run.inputs_sha256) == 64
    # TL-2 is of average living standard under the 2022 line (1,500,000 đ), near-poor
    # under the 2027 one (2,200,000 đ); TL-1 and TL-3 stay as they were
    assert run.changed == 1
    assert run.report["changed"][0]["id"] == "TL-2"
    assert run.report["matrix"]["average"]["near_poor"] == 1
    shown = client.get(response.url).content.decode()
    assert "chuẩn nghèo thu nhập thay đổi: thu nhập 2.000.000 đồng/người/tháng so với chuẩn " \
           "1.500.000 theo Chuẩn nghèo đa chiều 2022-2025 (NĐ 07/2021/NĐ-CP) và 2.200.000 theo " \
           "Chuẩn nghèo đa chiều 2027-2030 (NĐ 351/2025/NĐ-CP)" in shown
    workbook = client.get(reverse("analysis:whatif_xlsx", args=[run.pk]))
    sheets = pl.read_excel(io.BytesIO(workbook.content), sheet_id=0)
    assert sheets["Ma trận chuyển đổi"].height == 5
    assert AccessLog.objects.filter(user=canbo, what__startswith="what-if").count() == 1
    monitor = person("mttq", Role.MONITOR, commune)
    client.force_login(monitor)
    assert client.get(reverse("analysis:whatif", args=[run.pk])).status_code == 200
    assert client.get(reverse("analysis:whatif_xlsx", args=[run.pk])).status_code == 403
    stranger = person("other", Role.COMMUNE_OFFICER, district.children.exclude(
        pk=commune.pk).filter(level="commune").first())
    client.force_login(stranger)
    assert client.get(reverse("analysis:whatif", args=[run.pk])).status_code == 404
    assert client.post(reverse("analysis:whatif_review", args=[review.pk]),
                       {"standard": "vn-2027-2030"}).status_code == 404


def test_an_unknown_standard_is_refused(client, area):
    district, commune, officer = area
    review = Review.objects.filter(commune=commune, step="closed").latest("reference_date")
    client.force_login(officer)
    client.post(reverse("analysis:whatif_review", args=[review.pk]), {"standard": "x"})
    assert WhatIfRun.objects.count() == 0


def plan_data(**changes) -> dict:
    data = {"year": "2027", "objective": "lifted", "budget_provincial": "1.200.000",
            "kinds_provincial": ["health_insurance", "water", "latrine", "housing",
                                 "internet", "device"],
            **{f"cost_{k}": v for k, v in (("health_insurance", "1.263.600"),
                                           ("water", "6.000.000"), ("latrine", "10.000.000"),
                                           ("housing", "40.000.000"), ("internet", "1.200.000"),
                                           ("device", "3.500.000"))},
            **{f"{p}_{g}": v for g in ("group_b", "ethnic_minority", "children")
               for p, v in (("weight", "1"), ("min", "0"))}}
    data.update(changes)
    return data


def test_commune_plan_made_and_accepted(client, area):
    district, commune, officer = area
    canbo = person("canbo", Role.COMMUNE_OFFICER, commune)
    chair = person("chutich", Role.COMMUNE_CHAIR, commune)
    monitor = person("mttq", Role.MONITOR, commune)
    client.force_login(canbo)
    url = reverse("analysis:plan_new") + f"?unit={commune.pk}"
    assert "Kinh phí theo nguồn vốn" in client.get(url).content.decode()
    before = registry_state()
    response = client.post(url, plan_data())
    plan = SupportPlan.objects.get()
    assert response.url == reverse("analysis:plan", args=[plan.pk])
    assert plan.state == SupportPlan.State.DONE, plan.error
    assert registry_state() == before
    # TL-1 is the commune's only poor household: internet (1,200,000 đ) lifts it
    assert plan.plan["households_lifted"] == 1
    assert plan.plan["supports"] == [{"household": "TL-1", "support": "internet",
                                      "member": None, "cost": 1_200_000}]
    page = client.get(response.url).content.decode()
    assert "Hộ TL-1: 3 → 2 thiếu hụt nếu có dịch vụ internet (1.200.000 đ)" in page
    assert "Phê duyệt" in page
    workbook = client.get(reverse("analysis:plan_xlsx", args=[plan.pk]))
    sheets = pl.read_excel(io.BytesIO(workbook.content), sheet_id=0)
    assert sheets["Danh sách hỗ trợ"].row(0)[:5] == ("TL-1", commune.name, "dịch vụ internet",
                                                      None, 1_200_000)
    assert AccessLog.objects.filter(user=canbo, what__startswith="support plan").count() == 1
    client.force_login(monitor)
    page = client.get(response.url).content.decode()
    assert "Hộ TL-1: 3 → 2" in page and "Phê duyệt: ghi" not in page
    assert client.get(reverse("analysis:plan_xlsx", args=[plan.pk])).status_code == 403
    assert client.post(reverse("analysis:plan_accept", args=[plan.pk])).status_code == 403
    assert client.get(url).status_code == 403  # read-only roles make no plan
    client.force_login(chair)
    client.post(reverse("analysis:plan_accept", args=[plan.pk]))
    planned = Support.objects.get()
    assert (planned.status, planned.planned_year, planned.given_on) == ("planned", 2027, None)
    assert (planned.kind, planned.amount, planned.source) == ("telecom", 1_200_000,
                                                              "provincial")
    assert planned.household.code == "TL-1"
    target = CommuneTarget.objects.get()
    assert (target.commune, target.households_to_lift, target.budget) == (commune, 1,
                                                                         1_200_000)
    client.post(reverse("analysis:plan_accept", args=[plan.pk]))
    assert Support.objects.count() == 1  # accepted once only
    # planned is not given: the household still lacks internet in the tables and lists
    assert _support_received(district, 2027).rows[-1][1:] == [0, 0, 0, 0]
    # marked given by the commune's officer, with its date
    client.force_login(canbo)
    client.post(reverse("support:given", args=[planned.pk]),
                {"given_on": "2026-11-30", "unit": commune.pk, "year": 2027})
    planned.refresh_from_db()
    assert (planned.status, str(planned.given_on)) == ("given", "2026-11-30")


def test_cards_go_to_the_members_and_lists_keep_the_planned(client, area):
    district, commune, officer = area
    canbo = person("canbo", Role.COMMUNE_OFFICER, commune)
    client.force_login(canbo)
    # only health insurance paid: TL-1's head gets a card
    client.post(reverse("analysis:plan_new") + f"?unit={commune.pk}",
                plan_data(kinds_provincial=["health_insurance"], budget_provincial="2000000"))
    plan = SupportPlan.objects.get()
    assert plan.plan["supports"][0]["member"] == "1"
    client.post(reverse("analysis:plan_accept", args=[plan.pk]))
    card = Support.objects.get()
    head = Household.objects.get(code="TL-1").members.get(position=1)
    assert (card.member, card.kind, card.status) == (head, "health_insurance_card", "planned")
    lacking = {(e.household.code, e.member.position)
               for e in eligible("health_insurance_card", district.communes(),
                                 __import__("datetime").date(2026, 12, 1))}
    assert ("TL-1", 1) in lacking  # planned, not given yet


def test_district_plan_with_sources_caps_and_floors(client, area):
    district, commune, officer = area
    area_officer = person("huyen", Role.AREA_OFFICER, district)
    canbo = person("canbo", Role.COMMUNE_OFFICER, commune)
    client.force_login(area_officer)
    url = reverse("analysis:plan_new") + f"?unit={district.pk}"
    page = client.get(url).content.decode()
    assert "Giới hạn theo xã" in page
    dak_lua = Household.objects.get(code="DL-1").commune
    response = client.post(url, plan_data(
        budget_provincial="1.300.000", kinds_provincial=["internet"],
        budget_commune="6.000.000", kinds_commune=["water"],
        **{f"cap_{dak_lua.pk}": "0"}))
    plan = SupportPlan.objects.get()
    assert plan.state == SupportPlan.State.DONE, plan.error
    # Đak Lua may receive nothing: only TL-1 is supported, by the provincial budget
    assert [s["household"] for s in plan.plan["supports"]] == ["TL-1"]
    assert plan.report["method"] == "mip"
    assert all(s["spent"] <= s["budget"] for s in plan.report["sources"])
    floors = client.post(url, plan_data(**{f"floor_{dak_lua.pk}": "2"}))
    failed = SupportPlan.objects.get(pk=floors.url.rstrip("/").split("/")[-1])
    assert failed.state == SupportPlan.State.FAILED and "tối thiểu" in failed.error
    assert "kinh phí không đủ" in client.get(floors.url).content.decode()
    client.force_login(canbo)
    assert client.get(response.url).status_code == 404  # the district's plan is not theirs
    client.force_login(area_officer)
    client.post(reverse("analysis:plan_accept", args=[plan.pk]))
    assert Support.objects.filter(status="planned").count() == 1


def test_one_plan_at_a_time(client, area, monkeypatch):
    district, commune, officer = area
    client.force_login(person("canbo", Role.COMMUNE_OFFICER, commune))
    monkeypatch.setattr(jobs, "start", lambda target, plan_id, lang: None)  # still computing
    url = reverse("analysis:plan_new") + f"?unit={commune.pk}"
    first = client.post(url, plan_data())
    second = client.post(url, plan_data())
    assert SupportPlan.objects.count() == 1 and second.url == first.url
    page = client.get(first.url).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page


def test_bad_money_is_refused_with_its_field(client, area):
    district, commune, officer = area
    client.force_login(person("canbo", Role.COMMUNE_OFFICER, commune))
    url = reverse("analysis:plan_new") + f"?unit={commune.pk}"
    page = client.post(url, plan_data(budget_provincial="1,5")).content.decode()
    assert SupportPlan.objects.count() == 0 and "số nguyên" in page
    page = client.post(url, plan_data(budget_provincial="")).content.decode()
    assert "ít nhất một nguồn vốn" in page
    page = client.post(url, plan_data(kinds_provincial=[])).content.decode()
    assert "Chọn các loại hỗ trợ" in page


def test_planned_support_needs_a_year_and_given_a_date(area):
    district, commune, officer = area
    household = Household.objects.get(code="TL-1")
    with pytest.raises(ValidationError):
        Support(household=household, kind="water", status="planned",
                recorded_by=officer).full_clean()
    with pytest.raises(ValidationError):
        Support(household=household, kind="water", recorded_by=officer).full_clean()


def test_a_what_if_shows_figures_to_the_finance_officer_and_households_to_readers(client,
                                                                                    area):
    """The finance officer reads figures, never households (ROLE_MAY): the what-if run shows
    them its counts and its matrix, not the households that change with their incomes; the
    standards are named, never shown by their code."""
    district, commune, officer = area
    review = Review.objects.filter(commune=commune, step="closed").latest("reference_date")
    entry = review.entries.get(household__code="TL-2")  # near-poor under the 2027 line
    entry.record["income"] = {"monthly_per_capita": 2_000_000}
    entry.save()
    client.force_login(person("canbo", Role.COMMUNE_OFFICER, commune))
    client.post(reverse("analysis:whatif_review", args=[review.pk]),
                {"standard": "vn-2027-2030"})
    run = WhatIfRun.objects.get()
    household = run.report["changed"][0]["id"]
    read = client.get(reverse("analysis:whatif", args=[run.pk])).content.decode()
    assert household in read
    assert "Chuẩn nghèo đa chiều 2022-2025" in read and "→ vn-2027-2030" not in read
    index = client.get(reverse("analysis:index"), {"unit": commune.pk}).content.decode()
    assert f"({review.standard_id})" not in index
    client.force_login(person("taichinh", Role.FINANCE_OFFICER, district))
    page = client.get(reverse("analysis:whatif", args=[run.pk]))
    assert page.status_code == 200
    shown = page.content.decode()
    assert household not in shown and "đồng/người/tháng" not in shown
    assert "vn-2022-2025" not in shown and "Chuẩn nghèo đa chiều 2022-2025" in shown


def test_a_plan_shows_figures_to_the_finance_officer_and_households_to_readers(client, area):
    """The what-if's rule for the support plan too: its page lists the households with their
    supports and explanations to the roles that read households, the finance officer reads
    its money and counts only; its workbook, every household in it, is never theirs."""
    district, commune, officer = area
    client.force_login(person("canbo", Role.COMMUNE_OFFICER, commune))
    client.post(reverse("analysis:plan_new") + f"?unit={commune.pk}", plan_data())
    plan = SupportPlan.objects.get()
    page = reverse("analysis:plan", args=[plan.pk])
    read = client.get(page).content.decode()
    assert "Hộ TL-1: 3 → 2" in read and 'href="/households/TL-1/"' in read
    client.force_login(person("taichinh", Role.FINANCE_OFFICER, district))
    for query in ("", f"?commune={commune.pk}&page=1"):
        shown = client.get(page + query)
        assert shown.status_code == 200
        figures = shown.content.decode()
        assert "1.200.000 đ" in figures and "Kinh phí theo nguồn" in figures
        assert "TL-1" not in figures and "Hộ TL-1" not in figures
        assert 'id="households"' not in figures
    assert client.get(reverse("analysis:plan_xlsx", args=[plan.pk])).status_code == 403
