"""Use of telecom services (sử dụng dịch vụ viễn thông): no member uses internet services
(mobile data or fixed)."""

from __future__ import annotations

import polars as pl

from ...messages import text
from ..exprs import message
from ..indicators import Situation
from ..rule import Aggregate, HouseholdRule, Params, Tri, not3, register

c = pl.col
MESSAGES = {
    "telecom": {"vi": "không thành viên nào sử dụng dịch vụ internet",
                "en": "no member uses internet services"},
}


@register
class NoInternet(HouseholdRule):
    name = "no_internet"
    messages = MESSAGES
    fields = ("information.uses_internet",)

    def value(self, s: Situation, p: Params) -> Tri:
        return not3((s.record.get("information") or {}).get("uses_internet"))

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        return text("telecom", lang)

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        return ~c("information_uses_internet")

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        return message("telecom", lang)
