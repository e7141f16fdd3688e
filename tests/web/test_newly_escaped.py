"""Newly escaped households (docs/rules.md §7): recognised by an annual or a monthly regular
review, counted from the chair's decision; the 24-month window of continued benefits and the
36-month window of Social Policy Bank credit, each used by what it governs (eligibility lists,
the household page, the figures of the plan's targets)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Request
from giamngheo.web.reviews.statuses import escapes, newly_escaped, newly_escaped_on
from giamngheo.web.support.eligibility import eligible

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def escaped_monthly(place):
    """Poor in the lists of 2025; recognised as escaped by the monthly review of March 2025
    (decided 20/03/2025) on its request of form No. 04."""
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
    officer = users[Role.COMMUNE_OFFICER]
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    household.members.update(health_insurance=False)
    stays = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    run_review(commune, hamlet, officer, 2024, [household, stays])
    Household.objects.filter(pk=household.pk).update(income_monthly_per_capita=4_000_000,
                                                     water_source="piped", uses_internet=True)
    Request.objects.create(household=household, form="04", asks="escape",
                           filed_on=dt.date(2025, 3, 3), filed_by="Chủ hộ", received_by=officer)
    monthly = run_review(commune, hamlet, officer, 2025, [household], kind="regular")
    return commune, household, monthly, users


def test_a_monthly_review_makes_a_household_newly_escaped(escaped_monthly):
    commune, household, monthly, _users = escaped_monthly
    assert monthly.lists_date == dt.date(2025, 3, 20)
    assert escapes(commune, dt.date(2025, 4, 1)) == {household.pk: monthly}
    assert [(h.code, left) for h, left in newly_escaped(monthly, dt.date(2025, 4, 1))] == [
        ("TL-1", 24)]
    household.refresh_from_db()
    assert household.current_status == "not_poor"


def test_each_window_governs_its_own_benefits(escaped_monthly):
    commune, household, _monthly, _users = escaped_monthly
    # 30 months after the decision: the continued benefits have ended, the credit has not
    later = dt.date(2027, 9, 25)
    assert newly_escaped_on([commune], later) == {}
    credit = newly_escaped_on([commune], later, "social_policy_credit")
    assert credit[household.pk][1] == 6  # 30 whole months of 36 have passed
    insurance = eligible("health_insurance_card", [commune], later)
    assert household.pk not in {e.household.pk for e in insurance}
    loans = {e.household.pk: e for e in eligible("social_policy_loan", [commune], later)}
    assert (loans[household.pk].status, loans[household.pk].months_left) == (
        "newly_escaped", 6)
    soon = dt.date(2025, 6, 1)
    insurance = {e.household.pk: e for e in eligible("health_insurance_card", [commune], soon)}
    assert (insurance[household.pk].status, insurance[household.pk].months_left) == (
        "newly_escaped", 22)


def test_the_household_page_shows_both_windows(client, escaped_monthly):
    _commune, household, _monthly, users = escaped_monthly
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:detail", args=[household.code])).content.decode()
    assert 'id="newly-escaped"' in page and "Rà soát thường xuyên tháng 03/2025" in page
    assert "vay vốn Ngân hàng Chính sách xã hội" in page


def test_the_next_annual_review_counts_the_newly_escaped_in_the_health_insurance_target(
        escaped_monthly):
    commune, household, _monthly, users = escaped_monthly
    officer = users[Role.COMMUNE_OFFICER]
    review = run_review(commune, household.hamlet, officer, 2025,
                        list(Household.objects.filter(current_status="poor")))
    figures = review.figures.figures
    assert figures["newly_escaped"] == 1  # not listed again, still in its window
    assert figures["insurable"]["newly_escaped"] == 1  # its head, uninsured
    assert figures.get("insured", {}).get("newly_escaped", 0) == 0


def test_the_household_page_and_the_commune_agree_on_who_escaped(escaped_monthly):
    from giamngheo.web.reviews.statuses import escape_in, timeline

    commune, household, monthly, _users = escaped_monthly
    for one in Household.objects.filter(commune=commune):
        assert escape_in(timeline(one)) == escapes(commune, dt.date.today()).get(one.pk)
    assert escape_in(timeline(household)) == monthly
