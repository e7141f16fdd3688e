"""Who should get a benefit and has not yet (docs/rules.md §8, ``rules/benefits.yaml``): the
households of the benefit's statuses (poor, near-poor, and newly escaped within the window that
governs the benefit: 24 months of continued benefits, 36 months of Social Policy Bank credit)
that still lack it, read from the latest decisions of the closed reviews (annual or monthly) and
the support recorded since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from ...figures import insured_from
from ...rules.parameters import default_registry, rule_entries
from ..households.models import Household, Member
from ..reviews.statuses import newly_escaped_on
from ..units.models import AdministrativeUnit
from .models import Support


def benefits() -> dict[str, dict]:
    return rule_entries("benefits.yaml", "benefits")


@dataclass
class Eligible:
    household: Household
    status: str  # poor, near_poor or newly_escaped
    member: Member | None = None
    months_left: int | None = None  # of the benefit's window, for a newly escaped one


def newly_escaped_households(communes, on: dt.date, window: str = "continued_benefits"
                             ) -> dict[int, int]:
    """household id → months of the ``window``'s benefits left on ``on``, for the households
    that escaped poverty (annual or monthly review) and are still in it."""
    return {hid: left for hid, (_review, left) in newly_escaped_on(communes, on, window).items()}


def eligible(benefit: str, communes: list[AdministrativeUnit], on: dt.date) -> list[Eligible]:
    rule = benefits()[benefit]
    statuses = [s for s in rule["statuses"] if s != "newly_escaped"]
    escaped = newly_escaped_households(communes, on, rule.get("newly_escaped_window",
                                                              "continued_benefits")) \
        if "newly_escaped" in rule["statuses"] else {}
    households = Household.objects.filter(
        Q(current_status__in=statuses) | Q(pk__in=escaped), commune__in=communes,
        status=Household.Status.ACTIVE).select_related("commune", "hamlet").order_by(
        "commune__code", "code")
    given = Support.objects.given().filter(kind=rule["kind"], household__in=households)
    lacking = rule["lacking"]

    def status_of(household: Household) -> str:
        return "newly_escaped" if household.pk in escaped and household.current_status \
            not in statuses else household.current_status

    if lacking == "member_without_health_insurance":
        age = insured_from(default_registry().national_for(on))
        covered = set(given.exclude(member=None).values_list("member_id", flat=True))
        born_by = dt.date(on.year - age, on.month, min(on.day, 28))
        members = Member.objects.filter(household__in=households, left_on=None,
                                        birth_date__lte=born_by).exclude(
            health_insurance=True).exclude(pk__in=covered).select_related(
            "household__commune", "household__hamlet").order_by("household__code",
                                                                 "position")
        return [Eligible(m.household, status_of(m.household), member=m,
                         months_left=escaped.get(m.household_id)) for m in members]
    if lacking.startswith("deprived."):
        households = households.filter(
            current_deprivations__contains=f" {lacking.removeprefix('deprived.')} ")
        given_to = set(given.values_list("household_id", flat=True))
    else:  # not_given_this_year
        given_to = set(given.filter(given_on__year=on.year).values_list("household_id",
                                                                        flat=True))
    return [Eligible(h, status_of(h), months_left=escaped.get(h.pk)) for h in households
            if h.pk not in given_to]


def windows_closing(communes, on: dt.date, within_months: int = 3) -> list[Eligible]:
    """Newly escaped households whose continued benefits end within ``within_months``."""
    escaped = {pk: left for pk, left in newly_escaped_households(communes, on).items()
               if left <= within_months}
    return [Eligible(h, "newly_escaped", months_left=escaped[h.pk]) for h in
            Household.objects.filter(pk__in=escaped).select_related("commune", "hamlet")
            .order_by("commune__code", "code")]
