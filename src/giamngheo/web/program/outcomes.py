"""What became of the households of a livelihood model: their status by the decision in force
when they joined, and by the first annual review after (``reviews.statuses.timeline``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...transitions import movement
from ..households.models import Household
from ..reviews.models import Review
from ..reviews.statuses import timeline
from .models import LivelihoodModel


@dataclass
class Outcome:
    household: Household
    joined_on: dt.date
    before: str | None  # None: no closed review before joining
    after: str | None  # None: no closed annual review since (too early to tell)

    @property
    def movement(self) -> str | None:
        if self.before is None or self.after is None:
            return None
        return movement(self.before, self.after)


def outcomes(model: LivelihoodModel) -> list[Outcome]:
    out = []
    for p in model.participations.select_related("household__commune"):
        decided = timeline(p.household)[::-1]  # oldest first
        before = next((s for r, s, _g in reversed(decided)
                       if r.lists_date <= p.joined_on), None)
        after = next((s for r, s, _g in decided if r.lists_date > p.joined_on
                      and r.kind == Review.Kind.PERIODIC), None)
        out.append(Outcome(p.household, p.joined_on, before, after))
    return out
