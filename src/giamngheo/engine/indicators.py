"""The scalar engine's indicator rules: one small function per rule, value plus reason.

Values are three-valued: ``True`` (deprived), ``False``, ``None`` (unknown: a field the rule
needs is absent). "Some member meets the condition" is Kleene's OR over the members. The batch
engine (``batch.py``) implements the same rules over Polars frames and must agree exactly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..household import age_in_months
from ..messages import format_hundredths, hundredths, label, text
from ..rules.parameters import Indicator, Standard

Tri = bool | None


def any3(values: Iterable[Tri]) -> Tri:
    """Kleene OR: True if any is True, else unknown if any is unknown, else False."""
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def and3(*values: Tri) -> Tri:
    """Kleene AND: False if any is False, else unknown if any is unknown, else True."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def not3(value: Tri) -> Tri:
    return None if value is None else not value


@dataclass(frozen=True)
class MemberFacts:
    """A member with the ages the rules use, at the household's reference date."""

    data: dict[str, Any]
    age: int  # completed years
    months: int  # completed months
    school_age: int  # reference year minus birth year

    @classmethod
    def of(cls, member: dict[str, Any], reference: dt.date) -> MemberFacts:
        birth = dt.date.fromisoformat(member["birth_date"])
        months = age_in_months(birth, reference)
        return cls(member, months // 12, months, reference.year - birth.year)

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def who(self, lang: str) -> str:
        return text("member", lang, member=self.data["id"], age=self.age)

    def working_age(self, standard: Standard, year: int) -> bool:
        retirement = standard.retirement_months(year, self.data["sex"])
        return self.age >= standard.working_age_from and self.months < retirement


@dataclass(frozen=True)
class Situation:
    """What a rule sees: the record, its members' facts and the standard."""

    record: dict[str, Any]
    members: list[MemberFacts]
    reference: dt.date
    standard: Standard
    lang: str

    @property
    def dwelling(self) -> dict[str, Any] | None:
        return self.record["dwelling"]


Evidence = dict[str, Any] | list[dict[str, Any]] | None
RuleResult = tuple[Tri, Evidence]
Rule = Callable[[Situation, dict[str, Any]], RuleResult]

# A rule returns its value and the evidence behind a deprivation: for member rules the list of
# deprived members ({"id", "age", ...details}), for household rules a small mapping. The
# reasons are rendered from the evidence by ``explain``, for both engines alike.


def _members_rule(flags: list[tuple[Tri, dict[str, Any] | None]]) -> RuleResult:
    value = any3(v for v, _ in flags)
    return value, [e for v, e in flags if v is True] if value else None


def _member(m: MemberFacts, **details: Any) -> dict[str, Any]:
    return {"id": m.data["id"], "age": m.age, **details}


def working_age_employment(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        if not m.working_age(s.standard, s.reference.year):
            flags.append((False, None))
            continue
        status = m.get("employment")
        deprived = None if status is None else status in p["deprived_statuses"]
        flags.append((deprived, _member(m, employment=status)))
    return _members_rule(flags)


def _criterion(m: MemberFacts, name: str, wanted: Any) -> Tri:
    if name == "age_under":
        return m.age < wanted
    if name == "age_from":
        return m.age >= wanted
    if name == "disability_in":
        disability = m.get("disability")
        return None if disability is None else disability in wanted
    if name == "unable_to_work":
        flag = m.get("unable_to_work")
        return None if flag is None else flag is wanted
    if name == "social_allowance":  # an exception flag: absent means not receiving
        return bool(m.get("social_allowance")) is wanted
    raise ValueError(f"unknown dependant criterion {name}")


def is_dependant(m: MemberFacts, groups: list[dict[str, Any]]) -> Tri:
    return any3(and3(*(_criterion(m, k, v) for k, v in g.items())) for g in groups)


def dependant_ratio(s: Situation, p: dict[str, Any]) -> RuleResult:
    statuses = [is_dependant(m, p["groups"]) for m in s.members]
    certain = sum(1 for v in statuses if v is True)
    possible = sum(1 for v in statuses if v is None)
    n = len(s.members)
    limit = p["ratio_above"] * n
    if certain > limit:
        return True, {"dependants": certain, "members": n}
    return (False if certain + possible <= limit else None), None


def child_malnutrition(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        if m.age >= p["age_under"]:
            flags.append((False, None))
            continue
        stunted, underweight = m.get("stunted"), m.get("underweight")
        flags.append((any3([stunted, underweight]),
                      _member(m, stunted=stunted, underweight=underweight)))
    return _members_rule(flags)


def member_without_health_insurance(s: Situation, p: dict[str, Any]) -> RuleResult:
    return _members_rule([
        (False, None) if m.age < p["age_from"] else (not3(m.get("health_insurance")), _member(m))
        for m in s.members])


def adult_band(p: dict[str, Any], age: int) -> int | None:
    return next((i for i, b in enumerate(p["bands"]) if b["age_from"] <= age <= b["age_to"]),
                None)


def adult_qualification(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        band = adult_band(p, m.age)
        if band is None:
            flags.append((False, None))
            continue
        education = m.get("education")
        deprived = and3(
            not3(m.get("in_education")),
            not m.get("workplace_trained"),  # an exception flag: absent means not trained
            None if education is None else education not in p["bands"][band]["qualifying"])
        flags.append((deprived, _member(m, education=education, band=band)))
    return _members_rule(flags)


def expected_level(p: dict[str, Any], school_age: int) -> str | None:
    for band in p["expected"]:
        upper = band["school_age_to"]
        if band["school_age_from"] <= school_age and (upper is None or school_age <= upper):
            return band["level"]
    return None


def school_attendance(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    rank = p["level_rank"]
    for m in s.members:
        expected = expected_level(p, m.school_age)
        if not (p["age_from"] <= m.age < p["age_under"]) or expected is None:
            flags.append((False, None))
            continue
        attending, level = m.get("in_education"), m.get("school_level")
        if attending is None or (attending and level is None):
            deprived = None
        else:
            deprived = not attending or rank[level] < rank[expected]
        flags.append((deprived, _member(m, in_education=attending, school_level=level,
                                         expected=expected)))
    return _members_rule(flags)


def _dwelling_rule(s: Situation) -> RuleResult | None:
    """The value when the dwelling decides alone: not recorded, or none at all."""
    if "dwelling" not in s.record:
        return None, None
    if s.dwelling is None:
        return True, {"no_dwelling": True}
    return None


def non_durable_structures(s: Situation, p: dict[str, Any]) -> RuleResult:
    decided = _dwelling_rule(s)
    if decided is not None:
        return decided
    parts = p["structures"]
    weak = [part for part in parts if s.dwelling.get(part) == "non_durable"]
    unknown = sum(1 for part in parts if part not in s.dwelling)
    if len(weak) >= p["min_non_durable"]:
        return True, {"no_dwelling": False, "weak": weak}
    return (False if len(weak) + unknown < p["min_non_durable"] else None), None


def floor_area_per_person(s: Situation, p: dict[str, Any]) -> RuleResult:
    decided = _dwelling_rule(s)
    if decided is not None:
        return decided
    area = s.dwelling.get("floor_area_m2")
    if area is None:
        return None, None
    n = len(s.members)
    if area < p["min_m2_per_person"] * n:
        return True, {"no_dwelling": False, "tenths": math.floor(area * 10 / n)}
    return False, None


def dwelling_value_not_in(s: Situation, p: dict[str, Any]) -> RuleResult:
    decided = _dwelling_rule(s)
    if decided is not None:
        return decided if p["when_no_dwelling"] == "deprived" else (None, None)
    value = s.dwelling.get(p["field"])
    if value is None:
        return None, None
    return (False, None) if value in p["accepted"] else \
        (True, {"no_dwelling": False, "value": value})


def _information(s: Situation, key: str) -> Any:
    return (s.record.get("information") or {}).get(key)


def no_internet(s: Situation, p: dict[str, Any]) -> RuleResult:
    uses = _information(s, "uses_internet")
    return (None if uses is None else not uses), None


def no_device_in(s: Situation, p: dict[str, Any]) -> RuleResult:
    devices = _information(s, "devices")
    return (None if devices is None else not any(d in p["devices"] for d in devices)), None


RULES: dict[str, Rule] = {
    "working_age_employment": working_age_employment,
    "dependant_ratio": dependant_ratio,
    "child_malnutrition": child_malnutrition,
    "member_without_health_insurance": member_without_health_insurance,
    "adult_qualification": adult_qualification,
    "school_attendance": school_attendance,
    "non_durable_structures": non_durable_structures,
    "floor_area_per_person": floor_area_per_person,
    "dwelling_value_not_in": dwelling_value_not_in,
    "no_internet": no_internet,
    "no_device_in": no_device_in,
}


def evaluate(s: Situation, indicator: Indicator) -> RuleResult:
    return RULES[indicator.rule](s, indicator.params)


# --- reasons ---------------------------------------------------------------------------------

def _who(e: dict[str, Any], lang: str) -> str:
    return text("member", lang, member=e["id"], age=e["age"])


def _member_phrase(rule: str, e: dict[str, Any], p: dict[str, Any], lang: str) -> str:
    who = _who(e, lang)
    if rule == "working_age_employment":
        return text(f"employment.{e['employment']}", lang, who=who)
    if rule == "child_malnutrition":
        kind = ("both" if e["stunted"] and e["underweight"] else
                "stunted" if e["stunted"] else "underweight")
        return text("nutrition", lang, who=who, kind=text(f"nutrition.{kind}", lang))
    if rule == "member_without_health_insurance":
        return text("health_insurance", lang, who=who)
    if rule == "adult_qualification":
        return text("adult_education", lang, who=who,
                    required=p["bands"][e["band"]]["required"][lang],
                    education=label(e["education"], lang))
    if not e["in_education"]:
        return text("school.absent", lang, who=who)
    return text("school.lower", lang, who=who, level=label(e["school_level"], lang),
                expected=label(e["expected"], lang))


def explain(indicator: Indicator, evidence: Evidence, lang: str) -> str:
    """The reason of a deprivation, from the evidence its rule returned."""
    rule, p = indicator.rule, indicator.params
    if isinstance(evidence, list):
        return "; ".join(_member_phrase(rule, e, p, lang) for e in evidence)
    e = evidence or {}
    if e.get("no_dwelling"):
        return text("no_dwelling", lang)
    if rule == "dependant_ratio":
        return text("dependants", lang, dependants=e["dependants"], members=e["members"],
                    limit=percent(p["ratio_above"], lang))
    if rule == "non_durable_structures":
        return text("housing_quality", lang, count=len(e["weak"]), total=len(p["structures"]),
                    parts=", ".join(label(part, lang) for part in e["weak"]))
    if rule == "floor_area_per_person":
        return text("housing_area", lang, area=format_hundredths(e["tenths"] * 10, lang),
                    limit=format_hundredths(hundredths(p["min_m2_per_person"]), lang))
    if rule == "dwelling_value_not_in":
        return p["reason"][lang].format(value=label(e["value"], lang))
    if rule == "no_internet":
        return text("telecom", lang)
    return text("information_assets", lang,
                devices=", ".join(label(d, lang) for d in p["devices"]))


def percent(ratio: float, lang: str) -> str:
    return format_hundredths(hundredths(ratio * 100), lang)


def can_work(m: MemberFacts, standard: Standard, year: int) -> Tri:
    rule = standard.cannot_work
    cannot = any3([
        m.age < rule["age_under"],
        bool(rule["from_retirement_age"])
        and m.months >= standard.retirement_months(year, m.data["sex"]),
        _criterion(m, "disability_in", rule["disabilities"]),
        _criterion(m, "unable_to_work", True) if rule["unable_to_work"] else False,
    ])
    return not3(cannot)
