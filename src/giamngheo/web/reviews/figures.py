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
from ..memo import Memo
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


class Frozen(dict):
    """Stored figures as the caches hand them out: shared by every page that reads them, so
    no page may change them (``add`` them up into figures of its own to do so)."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("stored figures are shared: add them up (figures.add) to change them")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):  # copies and pickles: the same, still frozen
        return Frozen, (dict(self),)


def frozen(figures: dict[str, Any]) -> Frozen:
    """``figures`` (counts and the names of their standards, nested in dicts) made frozen."""
    return Frozen({key: frozen(value) if isinstance(value, dict) else value
                   for key, value in figures.items()})


# The stored figures of a review as of its ``computed_at`` (set on every save), parsed, and
# the figures added up from a list of such versions: a new version of a commune's figures
# (its review closed or reopened: ``refresh_figures``), a commune's figures gone or a new one
# make new keys. A province's communes for a few years fit in the first; the second holds an
# area's sums, one per year and set of communes.
_PARSED = Memo(4096)
_SUMS = Memo(512)

Version = tuple[int, int, int, dt.datetime]  # review, commune, year of the lists, computed at


def _versions(filters: dict[str, Any]) -> list[Version]:
    return list(ReviewFigures.objects.filter(**filters).values_list(
        "review_id", "commune_id", "year", "computed_at"))


def _parsed(versions: list[Version], filters: dict[str, Any]
            ) -> tuple[list[Version], list[Frozen]]:
    """The figures of ``versions`` (read with ``filters``), from the cache or read now. A row
    changed since its version was read: every row of ``filters`` read again in one statement,
    and those versions with their figures, never a mix of two moments."""
    found = [_PARSED.get((review, at)) for review, _c, _y, at in versions]
    missing = {review: at for (review, _c, _y, at), figures in zip(versions, found, strict=True)
               if figures is None}
    if not missing:
        return versions, found
    fetched = {review: (at, frozen(figures)) for review, at, figures in ReviewFigures.objects
               .filter(pk__in=missing).values_list("review_id", "computed_at", "figures")}
    if all(fetched.get(review, (None,))[0] == at for review, at in missing.items()):
        for review, (at, figures) in fetched.items():
            _PARSED.put((review, at), figures)
        return versions, [figures if figures is not None else fetched[review][1]
                          for (review, _c, _y, _at), figures in zip(versions, found, strict=True)]
    rows = [(review, commune, year, at, frozen(figures)) for review, commune, year, at, figures
            in ReviewFigures.objects.filter(**filters).values_list(
                "review_id", "commune_id", "year", "computed_at", "figures")]
    for review, _commune, _year, at, figures in rows:
        _PARSED.put((review, at), figures)
    return [row[:4] for row in rows], [row[4] for row in rows]


def _added(versions: list[Version], figures: list[Frozen]) -> Frozen:
    """The sum of ``figures`` (those of ``versions``, in that order)."""
    return _SUMS.get_or_make(tuple((review, at) for review, _c, _y, at in versions),
                             lambda: frozen(add(figures)))


def _ids(units: list[AdministrativeUnit]) -> list[int]:
    """The units' ids: what a filter sends (given the units, Django checks each one)."""
    return [unit.pk for unit in units]


def _refresh_missing(communes: list[AdministrativeUnit], year: int) -> None:
    """The figures of the closed annual reviews closed before figures were stored."""
    missing = Review.objects.filter(commune_id__in=_ids(communes), period_year=year, figures=None,
                                    kind=Review.Kind.PERIODIC, step=Step.CLOSED)
    for commune_id in set(missing.values_list("commune_id", flat=True)):
        refresh_figures(AdministrativeUnit.objects.get(pk=commune_id))


def stored_figures(communes: list[AdministrativeUnit], year: int
                   ) -> tuple[list[Version], list[Frozen]]:
    """The versions and the figures of the closed annual reviews of ``communes`` for the
    lists of ``year`` (those closed before figures were stored are computed now)."""
    _refresh_missing(communes, year)
    filters = {"commune_id__in": _ids(communes), "year": year}
    return _parsed(_versions(filters), filters)


def figures_by_commune(communes: list[AdministrativeUnit], year: int) -> dict[int, Frozen]:
    """commune id → the figures of its closed annual review for the lists of ``year`` (those
    closed before figures were stored are computed now)."""
    versions, figures = stored_figures(communes, year)
    return {commune: found for (_r, commune, _y, _at), found
            in zip(versions, figures, strict=True)}


def figures_by_review(reviews: list[Review]) -> dict[int, Frozen]:
    """review id → its stored figures."""
    filters = {"review__in": [review.pk for review in reviews]}
    versions, figures = _parsed(_versions(filters), filters)
    return {review: found for (review, _c, _y, _at), found
            in zip(versions, figures, strict=True)}


def added(rows: list[tuple[AdministrativeUnit, dict]]) -> dict[str, Any]:
    """The figures of ``rows`` (commune, figures) added up: kept while the same stored
    figures (the same objects, which no one changes) are added up in the same order."""
    parts = [figures for _commune, figures in rows]
    if not all(isinstance(figures, Frozen) for figures in parts):
        return add(parts)
    key = ("objects", *map(id, parts))
    kept = _SUMS.get(key)
    # the parts are kept with their sum: alive, their ids name no other figures meanwhile
    if kept is None or any(a is not b for a, b in zip(kept[0], parts, strict=True)):
        kept = (parts, frozen(add(parts)))
        _SUMS.put(key, kept)
    return kept[1]


def territory_communes(unit: AdministrativeUnit,
                       communes: list[AdministrativeUnit] | None = None
                       ) -> list[AdministrativeUnit]:
    """The communes whose figures make up ``unit`` in any year: its communes (``communes``
    when already found) and those they were formed from (today's Xã Tà Lài: itself and 2024's
    Tà Lài, Phú Lập and Phú Thịnh). In a given year only one generation has closed reviews,
    so nothing is counted twice."""
    # every commune's ``territory()`` at once: a query per generation of reorganisations,
    # not one per commune
    found: dict[int, AdministrativeUnit] = {
        c.pk: c for c in (unit.communes() if communes is None else communes)}
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
        if len(parts) == 1 and isinstance(parts[0], Frozen):
            rows.append((commune, parts[0]))  # its own figures: the sum of one, unchanged
        elif parts:
            rows.append((commune, add(parts)))
    return rows


def area_figures(unit: AdministrativeUnit, year: int,
                 territory: list[AdministrativeUnit] | None = None) -> dict[str, Any] | None:
    """The figures of the lists of ``year`` of every commune of ``unit`` (``territory``:
    its ``territory_communes`` when already found), added up; None when no commune has a
    closed annual review for them."""
    communes = territory_communes(unit) if territory is None else territory
    _refresh_missing(communes, year)
    filters = {"commune_id__in": _ids(communes), "year": year}
    versions = _versions(filters)
    if not versions:
        return None
    kept = _SUMS.get(tuple((review, at) for review, _c, _y, at in versions))
    return kept if kept is not None else _added(*_parsed(versions, filters))


def figures_by_year(unit: AdministrativeUnit,
                    territory: list[AdministrativeUnit] | None = None) -> dict[int, dict]:
    """year of the lists → the area's figures added up from its communes' (``territory``:
    its ``territory_communes`` when already found)."""
    filters = {"commune_id__in": _ids(territory_communes(unit) if territory is None
                                      else territory)}
    versions = _versions(filters)
    by_year = _by_year(versions)
    sums = {year: _SUMS.get(tuple((review, at) for review, _c, _y, at in found))
            for year, found in by_year.items()}
    if any(found is None for found in sums.values()):
        versions, figures = _parsed(versions, filters)
        of = dict(zip(versions, figures, strict=True))  # a review's version: one row
        sums = {year: _added(found, [of[version] for version in found])
                for year, found in _by_year(versions).items()}
    return dict(sorted(sums.items()))


def _by_year(versions: list[Version]) -> dict[int, list[Version]]:
    found: dict[int, list[Version]] = {}
    for version in versions:
        found.setdefault(version[2], []).append(version)
    return found


def reviews_of(unit: AdministrativeUnit, year: int,
               territory: list[AdministrativeUnit] | None = None) -> list[Review]:
    """The closed annual reviews that made the lists of ``year`` in the area (``territory``:
    its ``territory_communes`` when already found)."""
    communes = territory_communes(unit) if territory is None else territory
    return list(Review.objects.filter(commune_id__in=_ids(communes), period_year=year,
                                      kind=Review.Kind.PERIODIC, step=Step.CLOSED)
                .select_related("commune", "decision").order_by("commune__code"))
