"""The scalar engine: classify one household and explain why.

``classify_record`` takes a household record (docs/record-format.md) and returns its result
object (or ``{"id", "errors"}`` for a rejected record). Each indicator is evaluated by its
rule's scalar form (``engine/rules/<rule>.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..household import validate_household
from ..messages import DEFAULT_LANG, format_hundredths, format_int, hundredths, text
from ..rules.parameters import Registry, Standard, default_registry
from ..rules.scorecard import Scorecard
from .indicators import MemberFacts, Situation, evaluate
from .labour import labour_capacity, poor_group
from .rule import Tri


@dataclass(frozen=True)
class Income:
    """The income evidence of a record: a per-capita monthly income or a B1 score."""

    per_capita: int | None = None
    score: float | None = None


def income_of(record: dict[str, Any], scorecard: Scorecard | None = None) -> Income:
    income = record["income"]
    if "monthly_per_capita" in income:
        return Income(per_capita=income["monthly_per_capita"])
    if "annual_total" in income:
        return Income(per_capita=per_capita_of_annual(income["annual_total"],
                                                      len(record["members"])))
    if "b1_score" in income:
        return Income(score=income["b1_score"])
    assert scorecard is not None  # validation requires one for b1_items
    return Income(score=scorecard.score(income["b1_items"], record["area"],
                                        record.get("province_code")))


def per_capita_of_annual(annual_total: int, members: int) -> int:
    """Monthly per-capita income, rounded up to the đồng.

    Rounding up keeps every comparison with an integer line exact: ceil(x) <= line iff x <= line.
    """
    return -(-annual_total // (12 * members))


@dataclass(frozen=True)
class IncomeDecision:
    poor: Tri  # None: the standard cannot judge this evidence
    within_average_band: bool
    reason_key: str
    fields: dict[str, Any]

    def reason(self, lang: str) -> str:
        shown = dict(self.fields)
        by_score = "score" in shown  # B1 points may have decimals
        for key in ("income", "line", "upper", "score"):
            if key in shown:
                shown[key] = format_hundredths(hundredths(shown[key]), lang) if by_score \
                    else format_int(shown[key], lang)
        shown["area"] = text(f"area.{shown['area']}", lang)
        return "income: " + text(self.reason_key, lang, **shown)


def decide_income(income: Income, standard: Standard, area: str) -> IncomeDecision:
    if income.per_capita is None:
        line = standard.score_line(area)
        if line is None or income.score is None:
            return IncomeDecision(None, False, "income.not_measured", {"area": area})
        poor = income.score <= line
        key = "income.score_poor" if poor else "income.score_above"
        return IncomeDecision(poor, False, key,
                              {"area": area, "score": income.score, "line": line})
    line, upper = standard.income_line(area), standard.average_upper(area)
    fields = {"area": area, "income": income.per_capita, "line": line}
    if income.per_capita <= line:
        return IncomeDecision(True, False, "income.poor", fields)
    if upper is None:
        return IncomeDecision(False, False, "income.no_band", fields)
    fields["upper"] = upper
    within = income.per_capita <= upper
    return IncomeDecision(False, within, "income.average" if within else "income.above_band",
                          fields)


def classification(decision: IncomeDecision, count: int, unknown: int, minimum: int) -> str:
    if decision.poor is None:
        return "incomplete"
    if decision.poor:
        if count >= minimum:
            return "poor"
        return "near_poor" if count + unknown < minimum else "incomplete"
    return "average" if decision.within_average_band else "not_poor"


def tri_json(value: Tri) -> bool | str:
    return "unknown" if value is None else value


@dataclass
class StandardResult:
    standard: Standard
    deprivations: dict[str, Tri]
    reasons: list[str]
    decision: IncomeDecision
    classification: str
    labour_capacity: Tri
    poor_group: str | None


def evaluate_standard(record: dict[str, Any], members: list[MemberFacts], reference: dt.date,
                      income: Income, standard: Standard, lang: str) -> StandardResult:
    """Every deprivation and every unknown indicator explained, then the income decision."""
    situation = Situation(record, members, reference, standard)
    deprivations: dict[str, Tri] = {}
    reasons = []
    for indicator in standard.indicators:
        value, reason = evaluate(situation, indicator, lang)
        deprivations[indicator.code] = value
        if value is True:
            reasons.append(f"{indicator.code}: {reason}")
        elif value is None:
            reasons.append(f"{indicator.code}: {text('unknown_indicator', lang)}")
    decision = decide_income(income, standard, record["area"])
    reasons.append(decision.reason(lang))
    count = sum(1 for v in deprivations.values() if v is True)
    unknown = sum(1 for v in deprivations.values() if v is None)
    klass = classification(decision, count, unknown, standard.poor_min_deprivations)
    capacity = labour_capacity(members, standard)
    return StandardResult(standard, deprivations, reasons, decision, klass, capacity,
                          poor_group(klass, capacity))


def choose_standards(record: dict[str, Any], registry: Registry, standard_id: str | None,
                     lang: str) -> tuple[Standard | None, list[Standard], list[str]]:
    """The main standard, the provincial ones evaluated beside it, and errors."""
    reference = dt.date.fromisoformat(record["reference_date"])
    main = registry.get(standard_id) if standard_id is not None \
        else registry.national_for(reference)
    if main is None:
        date = record["reference_date"]
        return None, [], [f"reference_date: {text('no_national_standard', lang, date=date)}"]
    others = [s for s in registry.provincial_for(reference, record.get("province_code"))
              if s.id != main.id]
    return main, others, []


def rejected(record: Any, errors: list[str]) -> dict[str, Any]:
    rid = record.get("id") if isinstance(record, dict) else None
    return {"id": rid if isinstance(rid, str) else None, "errors": errors}


def classify_record(record: Any, registry: Registry | None = None, standard_id: str | None = None,
                    lang: str = DEFAULT_LANG,
                    scorecard: Scorecard | None = None) -> dict[str, Any]:
    """The contract's result object for one household record."""
    registry = registry or default_registry()
    errors = validate_household(record, lang, scorecard)
    if errors:
        return rejected(record, errors)
    main, others, errors = choose_standards(record, registry, standard_id, lang)
    if main is None:
        return rejected(record, errors)
    reference = dt.date.fromisoformat(record["reference_date"])
    members = [MemberFacts.of(m, reference) for m in record["members"]]
    income = income_of(record, scorecard)
    result = evaluate_standard(record, members, reference, income, main, lang)
    count = sum(1 for v in result.deprivations.values() if v is True)
    return {
        "id": record["id"],
        "standard": main.id,
        "area": record["area"],
        "income_per_capita_month": income.per_capita,
        "income_poor": result.decision.poor,
        "deprivations": {k: tri_json(v) for k, v in result.deprivations.items()},
        "deprivation_count": count,
        "classification": result.classification,
        "labour_capacity": result.labour_capacity,
        "poor_group": result.poor_group,
        "reasons": result.reasons,
        "other_standards": {
            other.id: _summary(evaluate_standard(record, members, reference, income, other, lang))
            for other in others},
    }


def _summary(result: StandardResult) -> dict[str, Any]:
    return {"income_poor": result.decision.poor, "classification": result.classification,
            "poor_group": result.poor_group}
