"""The figures of a closed annual review (``giamngheo.figures``), from what it decided: every
household of its lists (the undecided ones included, apart), with the data each entry kept at
the survey (the registry's, for a household the review did not survey), the movements from the
annual review before it, and the newly escaped households (escaped by an annual or a monthly
review within the continued benefits' window). Stored in ``ReviewFigures`` when the commune's
lists change; an area's figures are the sum of its communes'."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from ...figures import add, tally
from ...transitions import months_left
from ..households.models import Household, Member, in_commune_on
from ..units.models import AdministrativeUnit, Succession
from .models import Review, ReviewFigures, Step, lists_changed
from .statuses import decisions, movements_between

MEMBER_FACTS = ("relation", "birth_date", "sex", "ethnicity", "health_insurance", "disability",
                "unable_to_work", "employment")


def review_figures(review: Review, status: dict[int, str], newly_escaped: set[int],
                   previous: dict[int, str] | None = None,
                   earlier_poor: set[int] | frozenset = frozenset()) -> dict[str, Any]:
    """The figures of ``review`` whose decided ``status`` is given; with the statuses of the
    annual review before it (``previous``), its movements."""
    figures = tally(_pairs(review, status, newly_escaped), review.standard_id)
    if previous is not None:
        figures["before"] = dict(Counter(previous.values()))
        figures["movements"] = dict(Counter(
            movements_between(previous, status, earlier_poor).values()))
    return figures


def _pairs(review: Review, status: dict[int, str], newly_escaped: set[int]):
    entries = {hid: (record, result) for hid, record, result in review.entries.filter(
        withdrawn_because="").exclude(record=None).values_list("household_id", "record",
                                                               "result")}
    scope = Household.objects.filter(
        Q(pk__in=in_commune_on(review.commune, review.lists_date).values("pk"))
        | Q(pk__in=review.entries.values("household_id")))
    members: dict[int, list[dict]] = {}
    for hid, *facts in Member.objects.filter(household__in=scope, left_on=None).exclude(
            household_id__in=entries.keys()).order_by(
            "household_id", "position").values_list("household_id", *MEMBER_FACTS):
        member = dict(zip(MEMBER_FACTS, facts, strict=True))
        member["birth_date"] = member["birth_date"].isoformat()
        members.setdefault(hid, []).append({k: v for k, v in member.items() if v is not None})
    reference = review.reference_date.isoformat()
    for hid, hamlet, farm, causes in scope.values_list("pk", "hamlet__name", "farm_household",
                                                       "poverty_causes"):
        if hid not in status:
            continue
        record, result = entries.get(hid, (None, None))
        record = dict(record or {"reference_date": reference, "members": members.get(hid, [])})
        record.update(farm_household=farm, poverty_causes=causes, hamlet=hamlet or "")
        result = {k: v for k, v in (result or {}).items()
                  if k in ("deprivations", "poor_group", "other_standards")}
        result.update(standard=review.standard_id, classification=status[hid],
                      newly_escaped=hid in newly_escaped)
        yield record, result


def refresh_figures(commune: AdministrativeUnit) -> None:
    """The figures of every closed annual review of the commune (each counts its movements
    from the one before and the escapes of every review before it, so all are redone); none
    for a review that is not closed."""
    by_year: dict[int, tuple[dict[int, str], set[int]]] = {}  # lists → statuses, poor before
    kept = []
    for step in decisions(commune):
        review = step.review
        if review.kind != Review.Kind.PERIODIC:
            continue
        if review.commune_id != commune.pk:  # a commune it was formed from: its lists
            statuses, poor = by_year.setdefault(review.period_year, ({}, set()))
            statuses.update(step.statuses)
            poor.update(step.poor_before)
            continue
        on = review.lists_date
        newly = {hid for hid, by in step.escaped.items()
                 if months_left(by.lists_date, on) > 0}
        earlier = [year for year in by_year if year < review.period_year]
        previous = by_year[max(earlier)] if earlier else None
        figures = review_figures(review, step.statuses, newly,
                                 previous[0] if previous else None,
                                 previous[1] if previous else frozenset())
        ReviewFigures.objects.update_or_create(review=review, defaults={
            "commune": commune, "year": review.period_year, "figures": figures})
        kept.append(review.pk)
        by_year[review.period_year] = (step.statuses, set(step.poor_before))
    ReviewFigures.objects.filter(commune=commune).exclude(review__in=kept).delete()


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


def territory_communes(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The communes whose figures make up ``unit`` in any year: its communes and those they
    were formed from (today's Xã Tà Lài: itself and 2024's Tà Lài, Phú Lập and Phú Thịnh). In
    a given year only one generation has closed reviews, so nothing is counted twice."""
    # every commune's ``territory()`` at once: a query per generation of reorganisations,
    # not one per commune
    found: dict[int, AdministrativeUnit] = {c.pk: c for c in unit.communes()}
    frontier = list(found)
    while frontier:
        earlier = [s.predecessor for s in Succession.objects.filter(
            successor__in=frontier).select_related("predecessor")]
        frontier = [u.pk for u in earlier if u.pk not in found]
        found.update((u.pk, u) for u in earlier)
    return sorted((c for c in found.values() if c.level == "commune"),
                  key=lambda c: (c.code, c.valid_from or dt.date.min))


def remapped(communes: list[AdministrativeUnit], by_commune: dict[int, dict]
             ) -> list[tuple[AdministrativeUnit, dict]]:
    """(commune, figures) for each of ``communes`` (today's), its figures added up from the
    communes it was formed from (a 2024 table of today's units)."""
    rows = []
    for commune in communes:
        parts = [by_commune[c.pk] for c in commune.territory() if c.pk in by_commune]
        if parts:
            rows.append((commune, add(parts)))
    return rows


def area_figures(unit: AdministrativeUnit, year: int) -> dict[str, Any] | None:
    """The figures of the lists of ``year`` of every commune of ``unit``, added up; None when
    no commune has a closed annual review for them."""
    found = figures_by_commune(territory_communes(unit), year)
    return add(found.values()) if found else None


def figures_by_year(unit: AdministrativeUnit) -> dict[int, dict]:
    """year of the lists → the area's figures added up from its communes'."""
    by_year: dict[int, list[dict]] = {}
    for year, figures in ReviewFigures.objects.filter(commune__in=territory_communes(unit)) \
            .values_list("year", "figures"):
        by_year.setdefault(year, []).append(figures)
    return {year: add(many) for year, many in sorted(by_year.items())}


def reviews_of(unit: AdministrativeUnit, year: int) -> list[Review]:
    """The closed annual reviews that made the lists of ``year`` in the area."""
    return list(Review.objects.filter(commune__in=territory_communes(unit), period_year=year,
                                      kind=Review.Kind.PERIODIC, step=Step.CLOSED)
                .select_related("commune", "decision").order_by("commune__code"))
