"""The figures of a review's result tables, targets and dashboard, tallied from (record,
result) pairs (docs/record-format.md). Every figure is a count, so an area's figures are the
sum of its communes' (``add``) and rates are computed last, from the sums, never added up.

A pair may carry more than the contract: ``record["poverty_causes"]`` and
``record["farm_household"]`` (the registry's), and a result without ``deprivations`` (a
household the annual review did not survey: not poor, left out of the deprivation figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl

from .engine.indicators import MemberFacts
from .engine.labour import can_work
from .measures import legal_sums
from .rules.parameters import Standard, default_registry, rule_values

POOR_OR_NEAR = ("poor", "near_poor")


def _bump(figures: dict[str, Any], path: tuple[str, ...], by: float = 1) -> None:
    node = figures
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = node.get(path[-1], 0) + by


Pair = tuple[dict[str, Any], dict[str, Any]]  # a record and its result


def tally(pairs: Iterable[Pair], standard_id: str | None = None) -> dict[str, Any]:
    """The figures of the classified households among ``pairs``."""
    figures: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    standard: Standard | None = None
    for record, result in pairs:
        classification = result.get("classification")
        if not classification or classification == "rejected":
            continue
        standard = standard or default_registry().get(standard_id or result["standard"])
        _household(figures, record, result, classification, standard)
        if "deprivations" in result:
            rows.append({**{code: result["deprivations"].get(code) is True
                            for code in standard.codes},
                         "income_poor": classification == "poor"})
    if standard is not None and rows:
        frame = pl.DataFrame(rows, schema={**dict.fromkeys(standard.codes, pl.Boolean),
                                           "income_poor": pl.Boolean})
        figures["af"] = {"standard": standard.id, **legal_sums(frame, standard)}
    return figures


def _household(figures: dict[str, Any], record: dict[str, Any], result: dict[str, Any],
               classification: str, standard: Standard) -> None:
    members = record.get("members", [])
    _bump(figures, ("households", classification))
    _bump(figures, ("persons", classification), len(members))
    if classification == "average" and record.get("farm_household"):
        _bump(figures, ("farm_average",))
    for _standard, other in (result.get("other_standards") or {}).items():
        if other.get("classification"):
            _bump(figures, ("provincial", other["classification"]))
    if classification not in POOR_OR_NEAR:
        return
    if classification == "poor" and result.get("poor_group"):
        _bump(figures, ("poor_group", result["poor_group"]))
    deprived = [code for code, value in (result.get("deprivations") or {}).items()
                if value is True]
    for code in deprived:
        _bump(figures, ("deprived", classification, code))
    reference = dt.date.fromisoformat(record["reference_date"])
    facts = [MemberFacts.of(m, reference) for m in members]
    age_from = insured_from(standard)
    for member in facts:
        if member.age >= age_from:
            _bump(figures, ("insurable", classification))
            if member.get("health_insurance") is True:
                _bump(figures, ("insured", classification))
    definitions = rule_values("reporting.yaml", "reporting")
    children = sum(1 for m in facts if m.age < definitions["child_age_under"])
    if children:
        _bump(figures, ("children", classification, "all"), children)
        for code in deprived:
            _bump(figures, ("children", classification, code), children)
    head = next((m for m in members if m.get("relation") == "head"), None)
    ethnicity = str((head or {}).get("ethnicity") or "")
    _bump(figures, ("ethnicity", ethnicity or "—", classification))
    if ethnicity and ethnicity.strip().lower() not in definitions["majority_ethnicities"]:
        _bump(figures, ("target_groups", "ethnic_minority", classification))
    if not any(can_work(m, standard) is True for m in facts):
        _bump(figures, ("target_groups", "no_labour_capacity", classification))
    if classification == "poor":
        for cause in record.get("poverty_causes") or ():
            _bump(figures, ("causes", cause))


def insured_from(standard: Standard) -> int:
    """The age from which the standard's health insurance indicator counts a person."""
    return int(next(i.params["age_from"] for i in standard.indicators
                    if i.code == "health_insurance"))


def add(many: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The sum of figures (of communes, into their area's)."""
    total: dict[str, Any] = {}
    for figures in many:
        _add_into(total, figures)
    return total


def _add_into(total: dict[str, Any], figures: dict[str, Any]) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            _add_into(total.setdefault(key, {}), value)
        elif isinstance(value, (int, float)):
            total[key] = total.get(key, 0) + value
        else:
            total.setdefault(key, value)


def count(figures: dict[str, Any], *path: str) -> float:
    node: Any = figures
    for key in path:
        if not isinstance(node, dict):
            return 0
        node = node.get(key, 0)
    return node if isinstance(node, (int, float)) else sum(_leaves(node))


def _leaves(node: dict[str, Any]) -> Iterable[float]:
    for value in node.values():
        if isinstance(value, dict):
            yield from _leaves(value)
        elif isinstance(value, (int, float)):
            yield value


def percent(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None

