"""The figures of an area: one definition of each, used by every page, file, report and the
API. Tallied from (record, result) pairs (docs/record-format.md); every figure is a count, so an
area's figures are the sum of its units' (``add``) and rates are computed last, from the sums,
never added up (``headcount``, ``percent``).

**The poverty rate** (``Headcount.poor_rate``) is the poor households divided by every household
of the area registered and living there on the date of the lists (the chair's decision).
A household without a decision (``undecided``: incomplete or rejected data, taken off the review
without leaving, registered after the review's reference date) stays in the denominator and is
counted apart; it is never dropped and never counted as poor or not poor.

A pair may carry more than the contract: ``record["poverty_causes"]``,
``record["farm_household"]`` and ``record["hamlet"]`` (the registry's), ``result["newly_escaped"]``
(escaped poverty within the continued benefits' window on the lists' date), and a result without
``deprivations`` (a household the annual review did not survey: not poor, left out of the
deprivation figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from .engine.indicators import MemberFacts
from .engine.labour import can_work
from .measures import legal_sums
from .rules.parameters import Standard, default_registry, rule_values
from .transitions import ABOVE, UNDECIDED, status_of

POOR_OR_NEAR = ("poor", "near_poor")
STATUSES = ("poor", "near_poor", *ABOVE, UNDECIDED)
# the households a target of the plan counts: poor, near-poor and (for some targets) the newly
# escaped ones that are neither (a near-poor household that escaped poverty counts as near-poor)
TARGET_GROUPS = ("poor", "near_poor", "newly_escaped")
EMPLOYMENT_STATES = ("met", "not_met", "unknown", "no_working_age")
WORKING = ("wage_contract", "wage_no_contract", "self_employed")


def _bump(figures: dict[str, Any], path: tuple[str, ...], by: float = 1) -> None:
    node = figures
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = node.get(path[-1], 0) + by


Pair = tuple[dict[str, Any], dict[str, Any]]  # a record and its result


def tally(pairs: Iterable[Pair], standard_id: str | None = None) -> dict[str, Any]:
    """The figures of the households of ``pairs``, each counted once under its status."""
    figures: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    standard = default_registry().get(standard_id) if standard_id else None
    for record, result in pairs:
        status = status_of(result.get("classification")) or UNDECIDED
        standard = standard or default_registry().get(result["standard"])
        _household(figures, record, result, status, standard)
        if status != UNDECIDED:
            _bump(figures, ("standards", standard.id))
        if status != UNDECIDED and "deprivations" in result:
            rows.append({**{code: (result["deprivations"] or {}).get(code) is True
                            for code in standard.codes}, "income_poor": status == "poor"})
    if standard is not None and rows:
        frame = pl.DataFrame(rows, schema={**dict.fromkeys(standard.codes, pl.Boolean),
                                           "income_poor": pl.Boolean})
        figures["af"] = {"standard": standard.id, **legal_sums(frame, standard)}
    return figures


def indicators_of(figures: dict[str, Any] | None, lang: str) -> dict[str, str]:
    """code → label of the indicators of the standards the figures were decided under
    (newest standard first, each code once): the deprivation columns of every table."""
    figures = figures or {}
    registry = default_registry()
    ids = list(figures.get("standards") or {})
    if not ids and figures.get("af"):  # figures stored before the standards were counted
        ids = [figures["af"]["standard"]]
    labels: dict[str, str] = {}
    for standard in sorted((registry.get(i) for i in ids), key=lambda s: s.valid_from,
                           reverse=True):
        for indicator in standard.indicators:
            labels.setdefault(indicator.code, indicator.label[lang])
    return labels


def target_group(status: str, newly_escaped: bool) -> str | None:
    """The group a household is counted in by the plan's targets, or None."""
    if status in POOR_OR_NEAR:
        return status
    return "newly_escaped" if newly_escaped and status in ABOVE else None


def _household(figures: dict[str, Any], record: dict[str, Any], result: dict[str, Any],
               status: str, standard: Standard) -> None:
    members = record.get("members", [])
    _bump(figures, ("households", status))
    _bump(figures, ("persons", status), len(members))
    hamlet = record.get("hamlet")
    if hamlet is not None:
        _bump(figures, ("hamlets", hamlet or "—", "households", status))
        _bump(figures, ("hamlets", hamlet or "—", "persons", status), len(members))
    if status == UNDECIDED:
        return
    if status == "average" and record.get("farm_household"):
        _bump(figures, ("farm_average",))
        if hamlet is not None:
            _bump(figures, ("hamlets", hamlet or "—", "farm_average"))
    for _standard, other in (result.get("other_standards") or {}).items():
        if other.get("classification"):
            _bump(figures, ("provincial", other["classification"]))
    if result.get("newly_escaped"):
        _bump(figures, ("newly_escaped",))
    reference = dt.date.fromisoformat(record["reference_date"])
    facts = [MemberFacts.of(m, reference) for m in members]
    group = target_group(status, bool(result.get("newly_escaped")))
    if group is not None:
        _target_facts(figures, group, facts, standard, reference)
    if status not in POOR_OR_NEAR:
        return
    if status == "poor" and result.get("poor_group"):
        _bump(figures, ("poor_group", result["poor_group"]))
    deprivations = result.get("deprivations") or {}
    deprived = [code for code, value in deprivations.items() if value is True]
    for code in deprived:
        _bump(figures, ("deprived", status, code))
    for code in standard.codes:
        if deprivations.get(code) is None:
            _bump(figures, ("unknown", status, code))
    definitions = rule_values("reporting.yaml", "reporting")
    children = sum(1 for m in facts if m.age < definitions["child_age_under"])
    if children:
        _bump(figures, ("children", status, "all"), children)
        for code in deprived:
            _bump(figures, ("children", status, code), children)
    head = next((m for m in members if m.get("relation") == "head"), None)
    ethnicity = str((head or {}).get("ethnicity") or "")
    _bump(figures, ("ethnicity", ethnicity or "—", status))
    if ethnicity and ethnicity.strip().lower() not in definitions["majority_ethnicities"]:
        _bump(figures, ("target_groups", "ethnic_minority", status))
    if not any(can_work(m, standard) is True for m in facts):
        _bump(figures, ("target_groups", "no_labour_capacity", status))
    if status == "poor":
        causes = record.get("poverty_causes") or ()
        for cause in causes:
            _bump(figures, ("causes", cause))
        if not causes:
            _bump(figures, ("causes_unrecorded",))


def _target_facts(figures: dict[str, Any], group: str, facts: list[MemberFacts], standard: Standard,
                  reference: dt.date) -> None:
    """Health insurance of the persons, sustainable employment of the household."""
    age_from = insured_from(standard)
    for member in facts:
        if member.age >= age_from:
            _bump(figures, ("insurable", group))
            insured = member.get("health_insurance")
            if insured is True:
                _bump(figures, ("insured", group))
            elif insured is None:
                _bump(figures, ("insurance_unknown", group))
    _bump(figures, ("employment", group, employment_state(facts, standard)))


def employment_state(facts: list[MemberFacts], standard: Standard) -> str:
    """Whether a household meets "at least one working-age member in sustainable employment"
    (docs/rules.md; ``reporting.yaml``): ``no_working_age`` (no member of working age able
    to work: counted apart), ``met``, ``not_met`` or ``unknown``."""
    sustainable = rule_values("reporting.yaml", "reporting")["sustainable_employment"]
    able = [(m, True if m.get("employment") in WORKING else can_work(m, standard))
            for m in facts if m.working_age(standard)]  # one who works can work
    able = [(m, can) for m, can in able if can is not False]
    if not able:
        return "no_working_age"
    if any(m.get("employment") in sustainable for m, _can in able):
        return "met"
    if any(can is None or m.get("employment") is None for m, can in able):
        return "unknown"
    return "not_met"


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
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
        else:
            total.setdefault(key, value)


def count(figures: dict[str, Any] | None, *path: str) -> float:
    node: Any = figures or {}
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


@dataclass(frozen=True)
class Headcount:
    """An area's households on the date of its lists: the poverty and near-poverty rates'
    one definition. ``households`` counts every household registered and living in the area
    then, the ``undecided`` ones included (and shown apart)."""

    name: str
    households: int
    persons: int
    poor: int
    near_poor: int
    average_farm: int
    undecided: int
    poor_persons: int = 0
    near_poor_persons: int = 0

    @property
    def poor_rate(self) -> float | None:
        return percent(self.poor, self.households)

    @property
    def near_poor_rate(self) -> float | None:
        return percent(self.near_poor, self.households)

    @property
    def decided(self) -> int:
        return self.households - self.undecided


def headcount(figures: dict[str, Any] | None, name: str = "") -> Headcount:
    figures = figures or {}
    return Headcount(
        name, int(count(figures, "households")), int(count(figures, "persons")),
        int(count(figures, "households", "poor")), int(count(figures, "households", "near_poor")),
        int(count(figures, "farm_average")), int(count(figures, "households", UNDECIDED)),
        int(count(figures, "persons", "poor")), int(count(figures, "persons", "near_poor")))


def headcounts_by_hamlet(figures: dict[str, Any] | None) -> list[Headcount]:
    """One line per hamlet, by name, then the area's (its ``name`` empty)."""
    hamlets = (figures or {}).get("hamlets", {})
    return [headcount(hamlets[name], name) for name in sorted(hamlets)] + [headcount(figures)]


def provincial_rates(figures: dict[str, Any] | None) -> dict[str, float | None] | None:
    """The poor and near-poor rates under the provincial standard (same denominator), or None
    when no provincial standard was evaluated."""
    if not (figures or {}).get("provincial"):
        return None
    households = count(figures, "households")
    return {status: percent(count(figures, "provincial", status), households)
            for status in POOR_OR_NEAR}
