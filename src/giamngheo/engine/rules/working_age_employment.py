"""Employment (việc làm): some member of working age (from ``working_age_from`` up to the
retirement age of their birth cohort) has one of the deprived statuses: unemployed, or working
for wages without a labour contract."""

from __future__ import annotations

import polars as pl

from ... import record
from ...messages import label, text
from ...rules.parameters import Standard
from ..exprs import label_of, message, tri_is_in
from ..indicators import MemberFacts
from ..rule import MemberRule, Params, Tri, register, values_in, who_expr

c = pl.col
MESSAGES = {
    "employment.unemployed": {"vi": "{who}, trong độ tuổi lao động, không có việc làm",
                              "en": "{who}, of working age, is unemployed"},
    "employment.wage_no_contract": {
        "vi": "{who}, trong độ tuổi lao động, làm công ăn lương không có hợp đồng lao động",
        "en": "{who}, of working age, works for wages without a labour contract"},
    "employment.other": {"vi": "{who}, trong độ tuổi lao động: {status}",
                         "en": "{who}, of working age: {status}"},
}
SPECIFIC = ("unemployed", "wage_no_contract")


@register
class WorkingAgeEmployment(MemberRule):
    name = "working_age_employment"
    params = ("deprived_statuses",)
    messages = MESSAGES
    fields = ("members.birth_date", "members.sex", "members.employment")

    def check_params(self, p: Params) -> list[str]:
        return values_in(p["deprived_statuses"], record.EMPLOYMENT.codes, "deprived_statuses")

    def member(self, m: MemberFacts, p: Params, s: Standard) -> Tri:
        if not m.working_age(s):
            return False
        status = m.get("employment")
        return None if status is None else status in p["deprived_statuses"]

    def phrase(self, m: MemberFacts, p: Params, lang: str) -> str:
        status = m.get("employment")
        key = f"employment.{status}" if status in SPECIFIC else "employment.other"
        return text(key, lang, who=m.who(lang), status=label(status, lang, "employment"))

    def member_expr(self, p: Params) -> pl.Expr:
        return pl.when(~c("working_age")).then(False) \
            .otherwise(tri_is_in(c("employment"), p["deprived_statuses"]))

    def phrase_expr(self, p: Params, lang: str) -> pl.Expr:
        who = who_expr(lang)
        phrase = message("employment.other", lang, who=who,
                         status=label_of(c("employment"), lang, "employment"))
        for status in SPECIFIC:
            phrase = pl.when(c("employment") == status) \
                .then(message(f"employment.{status}", lang, who=who)).otherwise(phrase)
        return phrase
