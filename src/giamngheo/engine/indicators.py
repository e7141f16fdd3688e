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


RuleResult = tuple[Tri, str | None]
Rule = Callable[[Situation, dict[str, Any]], RuleResult]


def _member_rule(s: Situation, flags: list[tuple[Tri, str | None]]) -> RuleResult:
    """Combine per-member (value, phrase) pairs into the household's value and reason."""
    value = any3(v for v, _ in flags)
    if value is not True:
        return value, None
    return True, "; ".join(p for v, p in flags if v is True)


def working_age_employment(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        if not m.working_age(s.standard, s.reference.year):
            flags.append((False, None))
            continue
        status = m.get("employment")
        deprived = None if status is None else status in p["deprived_statuses"]
        phrase = text(f"employment.{status}", s.lang, who=m.who(s.lang)) if deprived else None
        flags.append((deprived, phrase))
    return _member_rule(s, flags)


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
        reason = text("dependants", s.lang, dependants=certain, members=n,
                      limit=percent(p["ratio_above"], s.lang))
        return True, reason
    return (False if certain + possible <= limit else None), None


def percent(ratio: float, lang: str) -> str:
    return format_hundredths(hundredths(ratio * 100), lang)


def child_malnutrition(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        if m.age >= p["age_under"]:
            flags.append((False, None))
            continue
        stunted, underweight = m.get("stunted"), m.get("underweight")
        deprived = any3([stunted, underweight])
        phrase = None
        if deprived:
            kind = ("both" if stunted and underweight else
                    "stunted" if stunted else "underweight")
            phrase = text("nutrition", s.lang, who=m.who(s.lang),
                          kind=text(f"nutrition.{kind}", s.lang))
        flags.append((deprived, phrase))
    return _member_rule(s, flags)


def member_without_health_insurance(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        if m.age < p["age_from"]:
            flags.append((False, None))
            continue
        deprived = not3(m.get("health_insurance"))
        phrase = text("health_insurance", s.lang, who=m.who(s.lang)) if deprived else None
        flags.append((deprived, phrase))
    return _member_rule(s, flags)


def adult_qualification(s: Situation, p: dict[str, Any]) -> RuleResult:
    flags = []
    for m in s.members:
        band = next((b for b in p["bands"] if b["age_from"] <= m.age <= b["age_to"]), None)
        if band is None:
            flags.append((False, None))
            continue
        education = m.get("education")
        deprived = and3(
            not3(m.get("in_education")),
            not m.get("workplace_trained"),  # an exception flag: absent means not trained
            None if education is None else education not in band["qualifying"])
        phrase = None
        if deprived:
            phrase = text("adult_education", s.lang, who=m.who(s.lang),
                          required=band["required"][s.lang], education=label(education, s.lang))
        flags.append((deprived, phrase))
    return _member_rule(s, flags)


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
        if attending is None:
            flags.append((None, None))
        elif attending is False:
            flags.append((True, text("school.absent", s.lang, who=m.who(s.lang))))
        elif level is None:
            flags.append((None, None))
        elif rank[level] < rank[expected]:
            flags.append((True, text("school.lower", s.lang, who=m.who(s.lang),
                                     level=label(level, s.lang),
                                     expected=label(expected, s.lang))))
        else:
            flags.append((False, None))
    return _member_rule(s, flags)


def _no_dwelling(s: Situation) -> RuleResult:
    return True, text("no_dwelling", s.lang)


def non_durable_structures(s: Situation, p: dict[str, Any]) -> RuleResult:
    if "dwelling" not in s.record:
        return None, None
    if s.dwelling is None:
        return _no_dwelling(s)
    parts = p["structures"]
    weak = [part for part in parts if s.dwelling.get(part) == "non_durable"]
    unknown = sum(1 for part in parts if part not in s.dwelling)
    if len(weak) >= p["min_non_durable"]:
        return True, text("housing_quality", s.lang, count=len(weak), total=len(parts),
                          parts=", ".join(label(part, s.lang) for part in weak))
    return (False if len(weak) + unknown < p["min_non_durable"] else None), None


def floor_area_per_person(s: Situation, p: dict[str, Any]) -> RuleResult:
    if "dwelling" not in s.record:
        return None, None
    if s.dwelling is None:
        return _no_dwelling(s)
    area = s.dwelling.get("floor_area_m2")
    if area is None:
        return None, None
    n = len(s.members)
    limit = p["min_m2_per_person"]
    if area < limit * n:
        tenths = math.floor(area * 10 / n)
        return True, text("housing_area", s.lang, area=format_hundredths(tenths * 10, s.lang),
                          limit=format_hundredths(hundredths(limit), s.lang))
    return False, None


def dwelling_value_not_in(s: Situation, p: dict[str, Any]) -> RuleResult:
    if "dwelling" not in s.record:
        return None, None
    if s.dwelling is None:
        return _no_dwelling(s) if p["when_no_dwelling"] == "deprived" else (None, None)
    value = s.dwelling.get(p["field"])
    if value is None:
        return None, None
    if value in p["accepted"]:
        return False, None
    return True, p["reason"][s.lang].format(value=label(value, s.lang))


def _information(s: Situation, key: str) -> Any:
    return (s.record.get("information") or {}).get(key)


def no_internet(s: Situation, p: dict[str, Any]) -> RuleResult:
    uses = _information(s, "uses_internet")
    if uses is None:
        return None, None
    return (False, None) if uses else (True, text("telecom", s.lang))


def no_device_in(s: Situation, p: dict[str, Any]) -> RuleResult:
    devices = _information(s, "devices")
    if devices is None:
        return None, None
    if any(d in p["devices"] for d in devices):
        return False, None
    listed = ", ".join(label(d, s.lang) for d in p["devices"])
    return True, text("information_assets", s.lang, devices=listed)


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
