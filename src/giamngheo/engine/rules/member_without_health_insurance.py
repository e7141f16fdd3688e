"""Health insurance (bảo hiểm y tế): some member aged ``age_from`` or more has no health
insurance."""

from __future__ import annotations

import polars as pl

from ...messages import text
from ...rules.parameters import Standard
from ..exprs import message
from ..indicators import MemberFacts
from ..rule import MemberRule, Params, Tri, not3, register, who_expr

c = pl.col
MESSAGES = {
    "health_insurance": {"vi": "{who} không có thẻ BHYT", "en": "{who} has no health insurance"},
}


@register
class MemberWithoutHealthInsurance(MemberRule):
    name = "member_without_health_insurance"
    params = ("age_from",)
    messages = MESSAGES
    fields = ("members.birth_date", "members.health_insurance")

    def check_params(self, p: Params) -> list[str]:
        age = p["age_from"]
        return [] if isinstance(age, int) and not isinstance(age, bool) and age >= 0 \
            else ["age_from must be a whole number of years"]

    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        return False if m.age < p["age_from"] else not3(m.get("health_insurance"))

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        return text("health_insurance", lang, who=m.who(lang))

    def member_expr(self, p: Params) -> pl.Expr:
        return pl.when(c("age") < p["age_from"]).then(False).otherwise(~c("health_insurance"))

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        return message("health_insurance", lang, who=who_expr(lang))
