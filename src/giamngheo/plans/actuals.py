"""Actual values of computed targets, from the figures (``giamngheo.figures``) of an area as
its closed reviews classified it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..figures import POOR_OR_NEAR, Pair, count, percent, tally


def actual_of(measure: str, figures: dict[str, Any]) -> float | None:
    """The measure's value: a percentage, or a count of households for
    ``poor_group_a_reduction`` (compared with the baseline count). None when no household
    counts."""
    if measure == "poor_group_a_reduction":
        return float(count(figures, "poor_group", "A")) if figures.get("households") else None
    targeted = sum(count(figures, "households", c) for c in POOR_OR_NEAR)
    if measure == "persons_insured":
        return percent(sum(count(figures, "insured", c) for c in POOR_OR_NEAR),
                       sum(count(figures, "insurable", c) for c in POOR_OR_NEAR))
    kind, _, indicator = measure.partition(".")
    if kind == "households_not_deprived" and indicator:
        deprived = sum(count(figures, "deprived", c, indicator) for c in POOR_OR_NEAR)
        return percent(targeted - deprived, targeted)
    raise ValueError(f"unknown measure {measure}")


def actual(measure: str, households: Iterable[Pair]) -> float | None:
    """The measure over (record, result) pairs."""
    return actual_of(measure, tally(households))
