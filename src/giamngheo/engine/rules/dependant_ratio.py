"""Dependants (người phụ thuộc): more than ``ratio_above`` of the members are dependants. A
member is a dependant when every condition of at least one of the ``groups`` holds:
``age_under``, ``age_from``, ``disability_in``, ``unable_to_work``, ``social_allowance`` (an
exception flag: absent means not receiving)."""

from __future__ import annotations

from typing import Any

import polars as pl

from ... import record
from ...messages import format_hundredths, hundredths, text
from ..exprs import message, tri_is_in
from ..indicators import MemberFacts, Situation
from ..rule import Aggregate, HouseholdRule, Params, Tri, and3, any3, register, values_in

c = pl.col
CRITERIA = ("age_under", "age_from", "disability_in", "unable_to_work", "social_allowance")
MESSAGES = {
    "dependants": {"vi": "{dependants}/{members} thành viên là người phụ thuộc, trên {limit}%",
                   "en": "{dependants} of {members} members are dependants, more than {limit}%"},
}


def criterion(m: MemberFacts, name: str, wanted: Any) -> Tri:
    if name == "age_under":
        return bool(m.age < wanted)
    if name == "age_from":
        return bool(m.age >= wanted)
    if name == "disability_in":
        disability = m.get("disability")
        return None if disability is None else disability in wanted
    if name == "unable_to_work":
        flag = m.get("unable_to_work")
        return None if flag is None else flag is wanted
    return bool(m.get("social_allowance")) is wanted  # social_allowance


def criterion_expr(name: str, wanted: Any) -> pl.Expr:
    if name == "disability_in":
        return tri_is_in(c("disability"), wanted)
    expr: pl.Expr
    if name == "age_under":
        expr = c("age") < pl.lit(wanted)
    elif name == "age_from":
        expr = c("age") >= pl.lit(wanted)
    elif name == "unable_to_work":
        expr = c("unable_to_work") == pl.lit(wanted)
    else:  # social_allowance
        expr = c("social_allowance").fill_null(False) == pl.lit(wanted)
    return expr


def is_dependant(m: MemberFacts, groups: list[dict[str, Any]]) -> Tri:
    return any3(and3(*(criterion(m, k, v) for k, v in g.items())) for g in groups)


def percent(ratio: float, lang: str) -> str:
    return format_hundredths(hundredths(ratio * 100), lang)


@register
class DependantRatio(HouseholdRule):
    name = "dependant_ratio"
    params = ("ratio_above", "groups")
    messages = MESSAGES

    def check_params(self, p: Params) -> list[str]:
        problems = []
        ratio = p["ratio_above"]
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio < 1:
            problems.append("ratio_above must be a number from 0 to under 1")
        groups = p["groups"]
        if not isinstance(groups, list) or not groups \
                or not all(isinstance(g, dict) and g for g in groups):
            return [*problems, "groups must be a list of criteria mappings"]
        for group in groups:
            unknown = sorted(set(group) - set(CRITERIA))
            if unknown:
                problems.append(f"groups: unknown criteria {unknown}; known: {list(CRITERIA)}")
            for key in ("age_under", "age_from"):
                if key in group and (isinstance(group[key], bool)
                                     or not isinstance(group[key], int)):
                    problems.append(f"groups: {key} must be a whole number of years")
            for key in ("unable_to_work", "social_allowance"):
                if key in group and not isinstance(group[key], bool):
                    problems.append(f"groups: {key} must be true or false")
            if "disability_in" in group:
                problems += values_in(group["disability_in"], record.DISABILITY.codes,
                                      "groups: disability_in")
        return problems

    def fields_read(self, p: Params) -> tuple[str, ...]:
        used = {"age_under": "members.birth_date", "age_from": "members.birth_date",
                "disability_in": "members.disability", "unable_to_work": "members.unable_to_work",
                "social_allowance": "members.social_allowance"}
        return tuple(dict.fromkeys(used[k] for g in p["groups"] for k in g))

    def _counts(self, s: Situation, p: Params) -> tuple[int, int]:
        statuses = [is_dependant(m, p["groups"]) for m in s.members]
        return sum(v is True for v in statuses), sum(v is None for v in statuses)

    def value(self, s: Situation, p: Params) -> Tri:
        certain, possible = self._counts(s, p)
        limit = p["ratio_above"] * len(s.members)
        if certain > limit:
            return True
        return False if certain + possible <= limit else None

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        certain, _ = self._counts(s, p)
        return text("dependants", lang, dependants=certain, members=len(s.members),
                    limit=percent(p["ratio_above"], lang))

    def aggregates(self, p: Params) -> dict[str, pl.Expr]:
        dependant = pl.lit(False)
        for group in p["groups"]:
            every = pl.lit(True)
            for name, wanted in group.items():
                every = every & criterion_expr(name, wanted)
            dependant = dependant | every
        return {"certain": dependant.fill_null(False).sum(),
                "possible": dependant.is_null().sum()}

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        certain, possible = agg("certain"), agg("possible")
        limit = pl.lit(p["ratio_above"]) * c("n_members")
        return pl.when(certain > limit).then(True) \
            .when(certain + possible <= limit).then(False).otherwise(None)

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        return message("dependants", lang, dependants=agg("certain"), members=c("n_members"),
                       limit=percent(p["ratio_above"], lang))
