"""School attendance of children (tình trạng đi học của trẻ em): some child aged ``age_from``
to under ``age_under`` does not attend school, or attends a lower level than the one
``expected`` for their school-year age (the year the school year started, in month
``school_year_start_month``, minus the birth year)."""

from __future__ import annotations

from typing import Any

import polars as pl

from ... import record
from ...ages import school_year_age, school_year_age_expr
from ...messages import label, text
from ...rules.parameters import Standard
from ..exprs import NULL_BOOL, label_of, message
from ..indicators import MemberFacts
from ..rule import MemberRule, Params, Tri, register, who_expr

c = pl.col
MESSAGES = {
    "school.absent": {"vi": "{who} không đi học", "en": "{who} does not attend school"},
    "school.lower": {"vi": "{who} đang học {level}, thấp hơn cấp {expected} theo tuổi",
                     "en": "{who} attends {level}, below {expected} expected for the age"},
}


def expected_level(p: Params, school_age: int) -> str | None:
    for band in p["expected"]:
        upper = band["school_age_to"]
        if band["school_age_from"] <= school_age and (upper is None or school_age <= upper):
            return str(band["level"])
    return None


def _by_school_age(p: Params, values: dict[str, Any]) -> pl.Expr:
    """``values`` of the level expected at each school-year age (none where none is), from
    :func:`expected_level` for every age a member may have."""
    school_age = school_year_age_expr(c("birth_date"), c("reference_date"),
                                      p["school_year_start_month"])
    mapping = {age: values[level] for age in range(record.MAX_AGE + 2)
               if (level := expected_level(p, age)) is not None}
    return school_age.clip(0, record.MAX_AGE + 1).replace_strict(
        mapping, default=None, return_dtype=pl.Int64 if any(
            isinstance(v, int) for v in values.values()) else pl.String)


def _expected_expr(p: Params) -> pl.Expr:
    return _by_school_age(p, {level: level for level in record.SCHOOL_LEVEL.codes})


@register
class SchoolAttendance(MemberRule):
    name = "school_attendance"
    params = ("age_from", "age_under", "level_rank", "expected", "school_year_start_month")
    messages = MESSAGES
    fields = ("members.birth_date", "members.in_education", "members.school_level")

    def check_params(self, p: Params) -> list[str]:
        problems = []
        levels = record.SCHOOL_LEVEL.codes
        rank = p["level_rank"]
        if not isinstance(rank, dict) or set(rank) != set(levels):
            problems.append(f"level_rank needs a rank for each of {', '.join(levels)}")
        month = p["school_year_start_month"]
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            problems.append("school_year_start_month must be a month, 1 to 12")
        bands: Any = p["expected"]
        if not isinstance(bands, list) or not bands:
            return [*problems, "expected must be a non-empty list"]
        for i, band in enumerate(bands):
            keys = {"school_age_from", "school_age_to", "level"}
            if not isinstance(band, dict) or set(band) != keys:
                problems.append(f"expected[{i}] needs exactly {sorted(keys)}")
            elif band["level"] not in levels:
                problems.append(f"expected[{i}].level {band['level']!r} is not a school level")
        return problems

    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        school_age = school_year_age(m.birth, m.reference, p["school_year_start_month"])
        expected = expected_level(p, school_age)
        if not (p["age_from"] <= m.age < p["age_under"]) or expected is None:
            return False
        attending, level = m.get("in_education"), m.get("school_level")
        if attending is None or (attending and level is None):
            return None
        rank = p["level_rank"]
        return not attending or rank[level] < rank[expected]

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        if not m.get("in_education"):
            return text("school.absent", lang, who=m.who(lang))
        school_age = school_year_age(m.birth, m.reference, p["school_year_start_month"])
        return text("school.lower", lang, who=m.who(lang),
                    level=label(m.get("school_level"), lang, "school_level"),
                    expected=label(expected_level(p, school_age), lang, "school_level"))

    def member_expr(self, p: Params) -> pl.Expr:
        rank = p["level_rank"]
        expected = _by_school_age(p, rank)  # the expected level's rank
        in_range = (c("age") >= p["age_from"]) & (c("age") < p["age_under"])
        lower = c("school_level").replace_strict(rank, default=None, return_dtype=pl.Int64) \
            < expected
        return (pl.when(~in_range | expected.is_null()).then(False)
                .when(c("in_education").is_null()).then(NULL_BOOL)
                .when(~c("in_education")).then(True)
                .when(c("school_level").is_null()).then(NULL_BOOL)
                .otherwise(lower))

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        who = who_expr(lang)
        lower = message("school.lower", lang, who=who,
                        level=label_of(c("school_level"), lang, "school_level"),
                        expected=label_of(_expected_expr(p), lang, "school_level"))
        return pl.when(~c("in_education")).then(message("school.absent", lang, who=who)) \
            .otherwise(lower)
