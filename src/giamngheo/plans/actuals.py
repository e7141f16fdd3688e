"""Actual values of computed targets, from the figures (``giamngheo.figures``) of an area as
its closed reviews classified it.

A target counts a household (or a person) only where its answer is known; how many are unknown
is part of the value, and a target with unknowns is never met (docs/rules.md §7, "Targets and
unknowns")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..figures import POOR_OR_NEAR, TARGET_GROUPS, Pair, count, percent, tally

# who each measure counts (the plan's words: "poor, near-poor and newly escaped")
GROUPS = {"persons_insured": TARGET_GROUPS, "sustainable_employment": TARGET_GROUPS}


@dataclass(frozen=True)
class Measured:
    """A measure's value (a percentage, or a count of households for a reduction), the
    number of households (persons for ``persons_insured``) whose answer is unknown, and the
    number counted apart (households without a working-age member able to work)."""

    value: float | None
    unknown: int = 0
    apart: int = 0


def measure_of(measure: str, figures: dict[str, Any]) -> Measured:
    """The measure's value over ``figures``; ``value`` None when nothing counts."""
    if measure == "poor_group_a_reduction":
        return Measured(float(count(figures, "poor_group", "A"))
                        if figures.get("households") else None)
    groups = GROUPS.get(measure, POOR_OR_NEAR)
    if measure == "persons_insured":
        unknown = sum(count(figures, "insurance_unknown", g) for g in groups)
        known = sum(count(figures, "insurable", g) for g in groups) - unknown
        insured = sum(count(figures, "insured", g) for g in groups)
        return Measured(percent(insured, known), int(unknown))
    if measure == "sustainable_employment":
        state = {s: sum(count(figures, "employment", g, s) for g in groups)
                 for s in ("met", "not_met", "unknown", "no_working_age")}
        return Measured(percent(state["met"], state["met"] + state["not_met"]),
                        int(state["unknown"]), int(state["no_working_age"]))
    kind, _, indicator = measure.partition(".")
    if kind == "households_not_deprived" and indicator:
        targeted = sum(count(figures, "households", g) for g in groups)
        deprived = sum(count(figures, "deprived", g, indicator) for g in groups)
        unknown = sum(count(figures, "unknown", g, indicator) for g in groups)
        return Measured(percent(targeted - deprived - unknown, targeted - unknown),
                        int(unknown))
    raise ValueError(f"unknown measure {measure}")


def actual_of(measure: str, figures: dict[str, Any]) -> float | None:
    return measure_of(measure, figures).value


def actual(measure: str, households: Iterable[Pair]) -> float | None:
    """The measure over (record, result) pairs."""
    return actual_of(measure, tally(households))
