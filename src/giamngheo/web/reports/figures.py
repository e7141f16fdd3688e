"""A closed annual review's figures (``giamngheo.figures``) from what it recorded: the
household data each entry kept at the survey (the registry's, for a household the review did
not survey), stored in ``ReviewFigures`` when the commune's lists change."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from ...figures import POOR_OR_NEAR, add, tally
from ..households.models import Household, Member
from ..reviews.models import (
    Review,
    Step,
    closed_periodic_reviews,
    lists_changed,
    movements,
    statuses,
)
from ..units.models import AdministrativeUnit
from .models import ReviewFigures

MEMBER_FACTS = ("relation", "birth_date", "sex", "ethnicity", "health_insurance", "disability",
                "unable_to_work")


def review_figures(review: Review, previous: Review | None) -> dict[str, Any]:
    status = statuses(review)
    figures = tally(_pairs(review, status), review.standard_id)
    if previous is not None:
        figures["before"] = {k: v for k, v in Counter(statuses(previous).values()).items()
                             if k in POOR_OR_NEAR}
        figures["movements"] = dict(Counter(movements(previous, review).values()))
    return figures


def _pairs(review: Review, status: dict[int, str]):
    entries = {hid: rest for hid, *rest in review.entries.values_list(
        "household_id", "poor_group", "deprivations", "record", "result__other_standards")}
    scope = Household.objects.filter(
        Q(commune=review.commune, registered_on__lte=review.reference_date)
        | Q(pk__in=review.entries.values("household_id")))
    members: dict[int, list[dict]] = {}
    surveyed = review.entries.exclude(record=None).values("household_id")  # have their own
    for hid, *facts in Member.objects.filter(household__in=scope, left_on=None).exclude(
            household__in=surveyed).order_by(
            "household_id", "position").values_list("household_id", *MEMBER_FACTS):
        member = dict(zip(MEMBER_FACTS, facts, strict=True))
        member["birth_date"] = member["birth_date"].isoformat()
        members.setdefault(hid, []).append(member)
    reference = review.reference_date.isoformat()
    for hid, farm, causes in scope.values_list("pk", "farm_household", "poverty_causes"):
        poor_group, key, record, others = entries.get(hid, ("", None, None, None))
        record = dict(record or {"reference_date": reference, "members": members.get(hid, [])})
        record.update(farm_household=farm, poverty_causes=causes)
        result = {"standard": review.standard_id, "classification": status.get(hid)}
        if key is not None:
            result.update(poor_group=poor_group or None, other_standards=others,
                          deprivations=dict.fromkeys(key.split(), True))
        yield record, result


def refresh_figures(commune: AdministrativeUnit) -> None:
    """The figures of every closed annual review of the commune (each counts its movements
    from the one before, so all are redone); none for a review that is not closed."""
    closed = closed_periodic_reviews(commune)
    ReviewFigures.objects.filter(commune=commune).exclude(review__in=closed).delete()
    for previous, review in zip([None, *closed], closed, strict=False):
        ReviewFigures.objects.update_or_create(review=review, defaults={
            "commune": commune, "year": review.period_year,
            "figures": review_figures(review, previous)})


@receiver(lists_changed)
def _lists_changed(sender, commune: AdministrativeUnit, **kwargs) -> None:
    refresh_figures(commune)


def figures_by_commune(communes: list[AdministrativeUnit], year: int) -> dict[int, dict]:
    """commune id → the figures of its closed annual review for the lists of ``year`` (those
    closed before figures were stored are computed now)."""
    missing = Review.objects.filter(commune__in=communes, period_year=year, figures=None,
                                    kind=Review.Kind.PERIODIC, step=Step.CLOSED)
    for commune_id in set(missing.values_list("commune_id", flat=True)):
        refresh_figures(AdministrativeUnit.objects.get(pk=commune_id))
    return dict(ReviewFigures.objects.filter(commune__in=communes, year=year)
                .values_list("commune_id", "figures"))


def area_figures(communes: list[AdministrativeUnit], year: int) -> dict[str, Any] | None:
    found = figures_by_commune(communes, year)
    return add(found.values()) if found else None
