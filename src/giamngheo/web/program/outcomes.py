"""What became of the households of a livelihood model: their status in the annual review
whose lists were in force when they joined, and in the first one after."""

from __future__ import annotations

from dataclasses import dataclass

from ...transitions import movement
from ..households.models import Household
from ..reviews.models import Review, ReviewEntry, Step
from .models import LivelihoodModel


@dataclass
class Outcome:
    household: Household
    joined_on: object
    before: str | None  # None: no closed review before joining
    after: str | None  # None: no closed review since (too early to tell)

    @property
    def movement(self) -> str | None:
        if self.before is None or self.after is None:
            return None
        return movement(self.before, self.after)


def outcomes(model: LivelihoodModel) -> list[Outcome]:
    reviews = list(Review.objects.filter(commune=model.commune, kind=Review.Kind.PERIODIC,
                                         step=Step.CLOSED).order_by("reference_date"))
    participations = list(model.participations.select_related("household"))
    listed = {(hid, rid): c for hid, rid, c in ReviewEntry.objects.filter(
        review__in=reviews, household__in=[p.household_id for p in participations])
        .values_list("household_id", "review_id", "classification")}

    def status(household: Household, review: Review | None) -> str | None:
        if review is None:
            return None
        if (household.pk, review.pk) in listed:
            return listed[household.pk, review.pk]
        return "not_poor" if household.registered_on <= review.reference_date else None

    out = []
    for p in participations:
        before = next((r for r in reversed(reviews) if r.reference_date <= p.joined_on), None)
        after = next((r for r in reviews if r.reference_date > p.joined_on), None)
        out.append(Outcome(p.household, p.joined_on, status(p.household, before),
                           status(p.household, after)))
    return out
