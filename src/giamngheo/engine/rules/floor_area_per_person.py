"""Floor area per person (diện tích nhà ở bình quân đầu người): the household has no dwelling,
or its floor area divided by its members is under ``min_m2_per_person``."""

from __future__ import annotations

import math

import polars as pl

from ...messages import format_hundredths, hundredths, text
from ..exprs import format_hundredths as format_hundredths_expr
from ..exprs import message
from ..indicators import Situation
from ..rule import (
    Aggregate,
    HouseholdRule,
    Params,
    Tri,
    dwelling_decides,
    dwelling_decides_expr,
    no_dwelling_reason,
    no_dwelling_reason_expr,
    register,
)

c = pl.col
MESSAGES = {
    "housing_area": {"vi": "diện tích nhà ở bình quân {area} m²/người, dưới {limit} m²",
                     "en": "floor area of {area} m² per person is below {limit} m²"},
}


@register
class FloorAreaPerPerson(HouseholdRule):
    name = "floor_area_per_person"
    params = ("min_m2_per_person",)
    messages = MESSAGES
    fields = ("dwelling.floor_area_m2",)

    def check_params(self, p: Params) -> list[str]:
        value = p["min_m2_per_person"]
        return [] if isinstance(value, int | float) and not isinstance(value, bool) \
            and value > 0 else ["min_m2_per_person must be a positive number"]

    def value(self, s: Situation, p: Params) -> Tri:
        decided = dwelling_decides(s)
        if decided != "dwelling":
            return decided  # type: ignore[return-value]
        area = s.dwelling.get("floor_area_m2")
        if area is None:
            return None
        return bool(area < p["min_m2_per_person"] * len(s.members))

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        if s.record["dwelling"] is None:
            return no_dwelling_reason(lang)
        tenths = math.floor(s.dwelling["floor_area_m2"] * 10 / len(s.members))
        return text("housing_area", lang, area=format_hundredths(tenths * 10, lang),
                    limit=format_hundredths(hundredths(p["min_m2_per_person"]), lang))

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        area = c("dwelling_floor_area_m2")
        return dwelling_decides_expr(area < pl.lit(p["min_m2_per_person"]) * c("n_members"))

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        tenths = (c("dwelling_floor_area_m2") * 10 / c("n_members")).floor().cast(pl.Int64)
        return no_dwelling_reason_expr(message(
            "housing_area", lang, area=format_hundredths_expr(tenths * 10, lang),
            limit=format_hundredths(hundredths(p["min_m2_per_person"]), lang)), lang)
