"""Each target of the plan for an area and a year: the goal the area was given (its assigned
target, else the plan's), the actual value from the stored figures of its closed reviews (or
the counts officers entered at it and every unit below), whether it is met, and the trend.

A plan's year Y is measured on the annual review held in Y (the lists of Y+1): the state at
the end of the year. A value with unknown answers is never met (``giamngheo.plans.actuals``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ...figures import count
from ...plans import Target
from ...plans.actuals import measure_of
from ..reviews.figures import figures_by_year
from ..units.models import AdministrativeUnit
from .models import AssignedTarget, area_unit_ids, entered_counts, the_plan

LIGHTS = {"met": "green", "near": "amber", "not_met": "red", "unknown": "grey"}


@dataclass
class Progress:
    target: Target  # with the goal the area was given as its value
    assigned: AssignedTarget | None
    actual: float | None
    baseline: float | None
    trend: list[tuple[int, float | None]]  # (year of the review, value)
    unknown: int = 0  # households (persons) whose answer is not known
    apart: int = 0  # households counted apart (no working-age member able to work)
    counts: tuple[int, int, int] | None = None  # entered: achieved, out of, units

    @property
    def state(self) -> str:
        """met, near, not_met or unknown: ``Target.state``, the one definition."""
        return self.target.state(self.actual, self.baseline, self.unknown)

    @property
    def met(self) -> bool | None:
        return None if self.state == "unknown" else self.state == "met"

    @property
    def achieved(self) -> float | None:
        """What the comparison is made on: the actual value, or for a reduction the % by
        which the baseline was reduced."""
        return self.target.achieved(self.actual, self.baseline)

    @property
    def goal(self) -> float:
        """Where the goal sits on the same scale as ``achieved`` (a percentage)."""
        return self.target.value

    @property
    def light(self) -> str:
        """The state's colour: green (met), amber (near), red (not met), grey (unknown)."""
        return LIGHTS[self.state]


def target_progress(unit: AdministrativeUnit, year: int, lists_year: int | None = None,
                    until: dt.date | None = None,
                    by_year: dict[int, dict] | None = None) -> list[Progress]:
    """The plan's targets for ``year`` in the area, measured on the lists of ``lists_year``
    (``year + 1`` by default: the review held in ``year``) and on the values entered up to
    ``until`` (the end of the year by default)."""
    plan = the_plan()
    lists_year = year + 1 if lists_year is None else lists_year
    until = until or dt.date(year, 12, 31)
    by_year = figures_by_year(unit) if by_year is None else by_year
    assigned = {a.target: a for a in AssignedTarget.objects.filter(
        plan_id=plan.id, unit=unit, year=year)}
    entered = entered_counts(plan.id, area_unit_ids(unit), year, until)
    # "the start of the period": the earliest lists before those measured
    first = next((f for y, f in by_year.items() if y < lists_year), None)
    out = []
    for target in plan.targets:
        given = assigned.get(target.id)
        goal = dataclasses.replace(target, value=float(given.value)) if given else target
        baseline = None
        if target.comparison == "reduce_by_pct":
            baseline = float(given.baseline) if given and given.baseline is not None else (
                count(first, "poor_group", "A") if first else None)
        if target.method == "entered":
            counts = entered.get(target.id)
            actual = 100 * counts[0] / counts[1] if counts and counts[1] else None
            out.append(Progress(goal, given, actual, baseline, [], counts=counts))
            continue
        measured = measure_of(target.measure, by_year[lists_year]) \
            if lists_year in by_year else None
        trend = [(y - 1, measure_of(target.measure, f).value) for y, f in by_year.items()]
        out.append(Progress(goal, given, measured.value if measured else None, baseline,
                            trend, measured.unknown if measured else 0,
                            measured.apart if measured else 0))
    return out


def target_text(target: Target) -> str:
    if target.comparison == "reduce_by_pct":
        return _("reduce by %(value)s%%") % {"value": f"{target.value:g}"}
    sign = {">=": "≥", "<=": "≤"}.get(target.comparison, target.comparison)
    return f"{sign} {target.value:g}%"


def state_text(line: Progress) -> str:
    """The state as the dashboard, the overview, the reports and their spreadsheets word it."""
    if line.state == "unknown":
        return _("no figure") if line.actual is None else _("cannot be told")
    return {"met": _("met"), "near": _("near the target"), "not_met": _("not met")}[line.state]


def actual_text(line: Progress) -> str:
    """The value as a report words it, with the unknown answers and the households counted
    apart beside it."""
    if line.actual is None:
        return _("to be entered") if line.target.method == "entered" else _("no data")
    if line.target.comparison == "reduce_by_pct":
        text = _("%(n)s households of group A") % {"n": f"{line.actual:g}"}
        if line.baseline:
            text += " " + _("(%(base)s at the start of the period: %(change)s%%)") % {
                "base": f"{line.baseline:g}",
                "change": f"{-line.achieved:+.1f}".replace(".", ",")}
    else:
        text = f"{line.actual:.2f}%".replace(".", ",")
    if line.counts:
        text += " " + _("(%(a)s of %(o)s, %(n)s units)") % {
            "a": line.counts[0], "o": line.counts[1], "n": line.counts[2]}
    notes = []
    if line.unknown:
        notes.append(_("%(n)s not known") % {"n": line.unknown})
    if line.apart:
        notes.append(_("%(n)s households without a working-age member able to work, apart")
                     % {"n": line.apart})
    return text + (f" ({'; '.join(notes)})" if notes else "")
