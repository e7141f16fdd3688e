"""Actual values of computed targets, from the households of an area as a closed review
classified them: (record, result) pairs of household-format.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..household import age_in_months
from ..rules.parameters import default_registry

POOR_OR_NEAR = ("poor", "near_poor")


def actual(measure: str, households: Iterable[tuple[dict, dict]]) -> float | None:
    """The measure's value: a percentage, or a count of households for
    ``poor_group_a_reduction`` (compared with the baseline count). None when no household
    counts."""
    households = [(r, res) for r, res in households if res.get("classification")]
    if measure == "poor_group_a_reduction":
        return float(sum(1 for _r, res in households if res["classification"] == "poor"
                         and res.get("poor_group") == "A"))
    targeted = [(r, res) for r, res in households if res["classification"] in POOR_OR_NEAR]
    if measure == "persons_insured":
        people = [m for r, res in targeted for m in r["members"]
                  if age_in_months(dt.date.fromisoformat(m["birth_date"]),
                                   dt.date.fromisoformat(r["reference_date"]))
                  >= 12 * _insured_from(res["standard"])]
        return 100 * sum(1 for m in people if m.get("health_insurance") is True) / len(people) \
            if people else None
    kind, _, indicator = measure.partition(".")
    if kind == "households_not_deprived" and indicator:
        if not targeted:
            return None
        deprived = sum(1 for _r, res in targeted if res["deprivations"].get(indicator) is True)
        return 100 * (len(targeted) - deprived) / len(targeted)
    raise ValueError(f"unknown measure {measure}")


def _insured_from(standard_id: str) -> int:
    """The age from which the standard's health insurance indicator counts a person."""
    standard = default_registry().get(standard_id)
    return next(i.params["age_from"] for i in standard.indicators
                if i.code == "health_insurance")
