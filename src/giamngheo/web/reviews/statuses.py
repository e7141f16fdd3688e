"""What closed reviews decided: each household's status by a review, the movements between
two annual reviews, the households recognised as having escaped poverty (by an annual or a
monthly review) and the current status written on each household.

Only decisions move a household. An annual review decides every household registered and
living in the commune on its lists' date (its decision's): those it listed as classified, the
others registered by its reference date as not poor; a household registered after the
reference date and not listed, or taken off without leaving, is ``undecided``. A monthly review
decides only the households it listed; the others keep their status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from ...transitions import DECIDED, UNDECIDED, is_escape, months_left, movement, status_of
from ..households.models import Household, in_commune_on
from ..units.models import AdministrativeUnit
from .models import DEPARTURES, Review, ReviewEntry, ReviewError, Step, lists_changed

# the movements as the official tables head them (``giamngheo.transitions.MOVEMENTS``)
MOVEMENT_LABELS = {
    "remain_poor": gettext_lazy("still poor"),
    "poor_to_near_poor": gettext_lazy("escaped poverty, became near-poor"),
    "escaped_poverty": gettext_lazy("escaped poverty"),
    "poor_left": gettext_lazy("other decrease (moved away, died, merged)"),
    "poor_undecided": gettext_lazy("no decision this time (not a movement)"),
    "near_poor_to_poor": gettext_lazy("near-poor became poor"),
    "remain_near_poor": gettext_lazy("still near-poor"),
    "escaped_near_poverty": gettext_lazy("escaped near-poverty"),
    "near_poor_left": gettext_lazy("other decrease (moved away, died, merged)"),
    "near_poor_undecided": gettext_lazy("no decision this time (not a movement)"),
    "new_poor": gettext_lazy("newly poor"),
    "re_poor": gettext_lazy("fell back into poverty"),
    "joined_poor": gettext_lazy("other increase (moved in, split off)"),
    "undecided_to_poor": gettext_lazy("no decision the time before (not a movement)"),
    "new_near_poor": gettext_lazy("newly near-poor"),
    "joined_near_poor": gettext_lazy("other increase (moved in, split off)"),
    "undecided_to_near_poor": gettext_lazy("no decision the time before (not a movement)"),
    "remain_above": gettext_lazy("not poor"),
    "undecided": gettext_lazy("no decision"),
}
# the order in which decisions follow each other
DECISION_ORDER = ("decision__signed_on", "reference_date", "pk")


def statuses(review: Review, households: set[int] | None = None) -> dict[int, str]:
    """household id → its status by the closed review: poor, near_poor, average, not_poor or
    undecided (see the module's docstring); of the ``households`` given only (each status
    depends on the household's own rows)."""
    if not review.closed:
        raise ReviewError("Only a closed review gives a household's status.")
    listed: dict[int, str] = {}
    departed: set[int] = set()
    entries = review.entries.all()
    if households is not None:
        entries = entries.filter(household__in=households)
    for hid, classification, withdrawn in entries.values_list(
            "household_id", "classification", "withdrawn_because"):
        if withdrawn in DEPARTURES:
            departed.add(hid)
        else:
            listed[hid] = UNDECIDED if withdrawn else status_of(classification)
    if review.kind == Review.Kind.REGULAR:
        return {hid: status for hid, status in listed.items() if status != UNDECIDED}
    on = review.lists_date
    living = in_commune_on(review.commune, on).filter(registered_on__lte=on) \
        .filter(Q(left_on=None) | Q(left_on__gt=on))
    if households is not None:
        living = living.filter(pk__in=households)
    living = living.exclude(pk__in=listed.keys() | departed)
    others = {pk: unlisted_status(review, registered, left)
              for pk, registered, left in living.values_list("pk", "registered_on", "left_on")}
    return {**others, **listed}


def unlisted_status(review: Review, registered_on: dt.date, left_on: dt.date | None
                    ) -> str | None:
    """The status an annual review gives a household of its commune it did not list: not
    poor if registered by the reference date, undecided if registered later, None if it did
    not live there on the lists' date."""
    on = review.lists_date
    if registered_on > on or (left_on is not None and left_on <= on):
        return None
    return "not_poor" if registered_on <= review.reference_date else UNDECIDED


def closed_reviews(commune: AdministrativeUnit, kind: str | None = None) -> list[Review]:
    """The closed reviews of the commune's territory in the order of their decisions: its
    own and those of the communes it was formed from (their households moved to it), so
    that statuses, escapes and their windows read through a reorganisation."""
    reviews = Review.objects.filter(commune__in=commune.territory(), step=Step.CLOSED) \
        .select_related("decision")
    if kind:
        reviews = reviews.filter(kind=kind)
    return list(reviews.order_by(*DECISION_ORDER))


def closed_periodic_reviews(commune: AdministrativeUnit) -> list[Review]:
    return closed_reviews(commune, Review.Kind.PERIODIC)


def previous_annual(review: Review) -> Review | None:
    """The closed annual review whose lists were in force before ``review``'s."""
    earlier = [r for r in closed_periodic_reviews(review.commune)
               if r.period_year < review.period_year]
    return earlier[-1] if earlier else None


def movements(previous: Review, current: Review) -> dict[int, str]:
    """household id → its movement between two closed annual reviews (docs/rules.md §7)."""
    earlier_poor = set(ReviewEntry.objects.filter(
        review__commune=current.commune, review__step=Step.CLOSED,
        review__decision__signed_on__lt=previous.lists_date, classification="poor",
        withdrawn_because="").values_list("household_id", flat=True))
    return movements_between(statuses(previous), statuses(current), earlier_poor)


def movements_between(before: dict[int, str], after: dict[int, str],
                      earlier_poor: set[int]) -> dict[int, str]:
    return {pk: movement(before.get(pk), after.get(pk), was_poor_before=pk in earlier_poor)
            for pk in before.keys() | after.keys()}


@dataclass
class Decided:
    """One step of ``decisions``: a closed review, the statuses it decided, the households
    standing as escaped from poverty after it (id → the review that recognised it) and
    those that had been poor before it."""

    review: Review
    statuses: dict[int, str]
    escaped: dict[int, Review]
    poor_before: set[int]
    moves: Counter  # a monthly review's movements from each household's status before it


def decisions(commune: AdministrativeUnit, until: dt.date | None = None) -> Iterator[Decided]:
    """The commune's closed reviews (annual and monthly) in the order of their decisions,
    up to ``until``: an escape is a decision from poor to near-poor or above; a household
    decided poor again no longer stands as escaped. Movements from or to ``undecided`` are
    never escapes."""
    status: dict[int, str] = {}
    escaped: dict[int, Review] = {}
    poor: set[int] = set()
    for review in closed_reviews(commune):
        if until is not None and review.lists_date > until:
            break
        decided = statuses(review)
        before = set(poor)
        moves = Counter(movement(status.get(hid), new, was_poor_before=hid in poor)
                        for hid, new in decided.items()) \
            if review.kind == Review.Kind.REGULAR else Counter()
        for hid, new in decided.items():
            if is_escape(status.get(hid), new):
                escaped[hid] = review
            elif new == "poor":
                escaped.pop(hid, None)
                poor.add(hid)
        status.update(decided)
        yield Decided(review, decided, escaped, before, moves)


def escapes(commune: AdministrativeUnit, until: dt.date) -> dict[int, Review]:
    """household id → the closed review whose decision, on or before ``until``, recognised
    it as having escaped poverty, for the households still standing as escaped."""
    escaped: dict[int, Review] = {}
    for step in decisions(commune, until):
        escaped = step.escaped
    return dict(escaped)


def newly_escaped_on(communes, on: dt.date, window: str = "continued_benefits"
                     ) -> dict[int, tuple[Review, int]]:
    """household id → (the review that recognised its escape, months of the ``window``'s
    benefits left on ``on``) for the households of ``communes`` still in that window."""
    out = {}
    for commune in communes:
        for hid, review in escapes(commune, on).items():
            left = months_left(review.lists_date, on, window)
            if left > 0:
                out[hid] = (review, left)
    return out


def newly_escaped(review: Review, on: dt.date) -> list[tuple[Household, int]]:
    """The households ``review`` recognised as having escaped poverty, with the months of
    continued benefits left on ``on``."""
    before = _statuses_before(review)
    escaped = [hid for hid, new in statuses(review).items() if is_escape(before.get(hid), new)]
    households = Household.objects.filter(pk__in=escaped).select_related("hamlet") \
        .prefetch_related("members").order_by("code")
    return [(h, months_left(review.lists_date, on)) for h in households]


def _statuses_before(review: Review) -> dict[int, str]:
    status: dict[int, str] = {}
    for earlier in closed_reviews(review.commune):
        if earlier.pk == review.pk:
            break
        status.update(statuses(earlier))
    return status


def timeline(household: Household) -> list[tuple[Review, str, str]]:
    """(review, status, group) for every closed review that decided the household, newest
    first: by listing it, or for an annual review by its lists covering it."""
    out = []
    entries = {e.review_id: e for e in household.review_entries.only(  # one per review
        "review", "household", "classification", "poor_group", "withdrawn_because")}  # no record
    for review in closed_reviews(household.commune):
        entry = entries.get(review.pk)
        if entry is not None:
            if entry.withdrawn_because in DEPARTURES:
                continue
            status = UNDECIDED if entry.withdrawn_because else status_of(entry.classification)
            if review.kind == Review.Kind.REGULAR and status == UNDECIDED:
                continue
            out.append((review, status, entry.poor_group))
        elif review.kind == Review.Kind.PERIODIC and \
                household.commune_id_on(review.lists_date) == review.commune_id:
            status = unlisted_status(review, household.registered_on, household.left_on)
            if status is not None:
                out.append((review, status, ""))
    return out[::-1]


def escape_in(decided: list[tuple[Review, str, str]]) -> Review | None:
    """The review whose decision made the household of this ``timeline`` (newest first)
    newly escaped, if it still stands: the same rule as ``decisions``, on one household."""
    escaped, before = None, None
    for review, status, _group in reversed(decided):
        if is_escape(before, status):
            escaped = review
        elif status == "poor":
            escaped = None
        before = status
    return escaped


def refresh_current_status(commune: AdministrativeUnit) -> None:
    """Write on each household of the commune its status from the closed reviews: the latest
    annual review decides every household of its lists, the monthly reviews after it the
    households they decided. One UPDATE per review, set-based; undecided is left empty."""
    everyone = Household.objects.filter(commune=commune)
    reviews = closed_reviews(commune)
    periodic = [r.period_year for r in reviews if r.kind == Review.Kind.PERIODIC]
    # the latest annual lists: the commune's own, or (before its first annual review) those
    # of each commune it was formed from
    start = next((n for n, r in enumerate(reviews) if r.kind == Review.Kind.PERIODIC
                  and r.period_year == max(periodic)), 0) if periodic else 0
    everyone.update(current_status="", current_deprivations="", status_year=None)
    for review in reviews[start:]:
        households = everyone if review.commune_id == commune.pk else everyone.filter(
            pk__in=in_commune_on(review.commune, review.lists_date).values("pk"))
        entry = review.entries.filter(household=OuterRef("pk"))
        kept = entry.filter(withdrawn_because="", classification__in=DECIDED)
        decided = Subquery(kept.values("classification")[:1])
        deprived = Subquery(kept.values("deprivations")[:1])
        if review.kind == Review.Kind.PERIODIC:
            on = review.lists_date
            households.update(
                current_status=Case(
                    When(Exists(entry), then=Coalesce(decided, Value(""))),
                    When(left_on__lte=on, then=Value("")),
                    When(registered_on__lte=review.reference_date, then=Value("not_poor")),
                    default=Value("")),
                current_deprivations=Coalesce(deprived, Value("")))
            households.exclude(current_status="").update(status_year=review.period_year)
        else:
            households.filter(Exists(kept)).update(
                current_status=decided, current_deprivations=deprived,
                status_year=review.period_year)
    lists_changed.send(sender=Review, commune=commune)
