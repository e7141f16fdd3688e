"""Nutrition (dinh dưỡng): some child under ``age_under`` is stunted (height-for-age) or
underweight (weight-for-age)."""

from __future__ import annotations

import polars as pl

from ...messages import text
from ...rules.parameters import Standard
from ..exprs import message
from ..indicators import MemberFacts
from ..rule import MemberRule, Params, Tri, any3, register, who_expr

c = pl.col
MESSAGES = {
    "nutrition": {"vi": "{who} bị suy dinh dưỡng ({kind})", "en": "{who} is {kind}"},
    "nutrition.stunted": {"vi": "thấp còi", "en": "stunted"},
    "nutrition.underweight": {"vi": "nhẹ cân", "en": "underweight"},
    "nutrition.both": {"vi": "thấp còi và nhẹ cân", "en": "stunted and underweight"},
}


@register
class ChildMalnutrition(MemberRule):
    name = "child_malnutrition"
    params = ("age_under",)
    messages = MESSAGES
    fields = ("members.birth_date", "members.stunted", "members.underweight")

    def check_params(self, p: Params) -> list[str]:
        age = p["age_under"]
        return [] if isinstance(age, int) and not isinstance(age, bool) and age > 0 \
            else ["age_under must be a whole number of years"]

    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        if m.age >= p["age_under"]:
            return False
        return any3([m.get("stunted"), m.get("underweight")])

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        stunted, underweight = m.get("stunted"), m.get("underweight")
        kind = "both" if stunted and underweight else "stunted" if stunted else "underweight"
        return text("nutrition", lang, who=m.who(lang), kind=text(f"nutrition.{kind}", lang))

    def member_expr(self, p: Params) -> pl.Expr:
        return pl.when(c("age") >= p["age_under"]).then(False) \
            .otherwise(c("stunted") | c("underweight"))

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        def worded(kind: str) -> pl.Expr:  # the kind written into the text, not an argument
            return message("nutrition", lang, who=who_expr(lang),
                           kind=text(f"nutrition.{kind}", lang))

        return pl.when(c("stunted") & c("underweight")).then(worded("both")) \
            .when(c("stunted")).then(worded("stunted")).otherwise(worded("underweight"))
