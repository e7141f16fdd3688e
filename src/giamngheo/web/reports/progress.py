"""Each target of the plan for an area and a year: the goal the area was given (its assigned
target, else the plan's), the actual value from the stored figures of its closed reviews (or
the value officers entered), whether it is met, and the trend over the years."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ...figures import add, count
from ...plans import Target
from ...plans.actuals import actual_of
from ..program.models import AssignedTarget, EnteredValue, the_plan
from ..units.models import AdministrativeUnit
from .models import ReviewFigures

# within this many points of the goal a target that is not met is "near" (amber)
NEAR_MARGIN = 5.0


@dataclass
class Progress:
    target: Target  # with the goal the area was given as its value
    assigned: AssignedTarget | None
    actual: float | None
    baseline: float | None
    trend: list[tuple[int, float | None]]

    @property
    def met(self) -> bool | None:
        return self.target.met(self.actual, self.baseline)

    @property
    def achieved(self) -> float | None:
        """What the comparison is made on: the actual value, or for a reduction the % by
        which the baseline was reduced."""
        if self.target.comparison != "reduce_by_pct":
            return self.actual
        if self.actual is None or not self.baseline:
            return None
        return 100 * (self.baseline - self.actual) / self.baseline

    @property
    def light(self) -> str:
        """green (met), amber (within NEAR_MARGIN points), red, or grey (no figure)."""
        if self.met is None:
            return "grey"
        if self.met:
            return "green"
        gap = self.target.value - self.achieved if self.target.comparison != "<=" and \
            self.target.comparison != "<" else self.achieved - self.target.value
        return "amber" if gap <= NEAR_MARGIN else "red"


def figures_by_year(unit: AdministrativeUnit) -> dict[int, dict]:
    """year → the area's figures added up from its communes'."""
    by_year: dict[int, list[dict]] = {}
    for year, figures in ReviewFigures.objects.filter(commune__in=unit.communes()) \
            .values_list("year", "figures"):
        by_year.setdefault(year, []).append(figures)
    return {year: add(many) for year, many in sorted(by_year.items())}


def target_progress(unit: AdministrativeUnit, year: int,
                    by_year: dict[int, dict] | None = None) -> list[Progress]:
    plan = the_plan()
    by_year = figures_by_year(unit) if by_year is None else by_year
    assigned = {a.target: a for a in AssignedTarget.objects.filter(
        plan_id=plan.id, unit=unit, year=year)}
    entered: dict[str, dict[int, float]] = {}
    for target_id, entered_year, value in EnteredValue.objects.filter(
            plan_id=plan.id, unit=unit).values_list("target", "year", "value"):
        entered.setdefault(target_id, {})[entered_year] = float(value)
    # "the start of the period": the earliest lists before the year
    first = next((f for y, f in by_year.items() if y < year), None)
    out = []
    for target in plan.targets:
        given = assigned.get(target.id)
        goal = dataclasses.replace(target, value=float(given.value)) if given else target
        baseline = None
        if target.comparison == "reduce_by_pct":
            baseline = float(given.baseline) if given and given.baseline is not None else (
                count(first, "poor_group", "A") if first else None)
        if target.method == "entered":
            trend = sorted(entered.get(target.id, {}).items())
        else:
            trend = [(y, actual_of(target.measure, f)) for y, f in by_year.items()]
        actual = dict(trend).get(year)
        out.append(Progress(goal, given, actual, baseline, trend))
    return out
