"""Housing quality (chất lượng nhà ở): the household has no dwelling, or at least
``min_non_durable`` of its main ``structures`` (walls, frame, roof) are non-durable."""

from __future__ import annotations

import polars as pl

from ... import record
from ...messages import label, text
from ..exprs import NULL_BOOL, message
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
    values_in,
)

c = pl.col
MESSAGES = {
    "housing_quality": {
        "vi": "{count} trong {total} kết cấu chính ({parts}) làm bằng vật liệu không bền chắc",
        "en": "{count} of the {total} main structures ({parts}) are non-durable"},
}


@register
class NonDurableStructures(HouseholdRule):
    name = "non_durable_structures"
    params = ("structures", "min_non_durable")
    messages = MESSAGES

    def check_params(self, p: Params) -> list[str]:
        problems = values_in(p["structures"], record.STRUCTURE.codes, "structures")
        minimum = p["min_non_durable"]
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
            problems.append("min_non_durable must be a whole number from 1")
        return problems

    def fields_read(self, p: Params) -> tuple[str, ...]:
        return tuple(f"dwelling.{part}" for part in p["structures"])

    def _weak(self, s: Situation, p: Params) -> list[str]:
        return [part for part in p["structures"] if s.dwelling.get(part) == "non_durable"]

    def value(self, s: Situation, p: Params) -> Tri:
        decided = dwelling_decides(s)
        if decided != "dwelling":
            return decided  # type: ignore[return-value]
        weak = len(self._weak(s, p))
        unknown = sum(part not in s.dwelling for part in p["structures"])
        if weak >= p["min_non_durable"]:
            return True
        return False if weak + unknown < p["min_non_durable"] else None

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        if s.record["dwelling"] is None:
            return no_dwelling_reason(lang)
        weak = self._weak(s, p)
        return text("housing_quality", lang, count=len(weak), total=len(p["structures"]),
                    parts=", ".join(label(part, lang, "structure") for part in weak))

    def _weak_expr(self, p: Params) -> pl.Expr:
        return pl.sum_horizontal([(c(f"dwelling_{part}") == "non_durable").fill_null(False)
                                  .cast(pl.Int32) for part in p["structures"]])

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        weak = self._weak_expr(p)
        unknown = pl.sum_horizontal([c(f"dwelling_{part}").is_null().cast(pl.Int32)
                                     for part in p["structures"]])
        minimum = p["min_non_durable"]
        return dwelling_decides_expr(pl.when(weak >= minimum).then(True)
                                     .when(weak + unknown < minimum).then(False)
                                     .otherwise(NULL_BOOL))

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        parts = pl.concat_str([
            pl.when(c(f"dwelling_{part}") == "non_durable")
            .then(pl.lit(label(part, lang, "structure"))) for part in p["structures"]],
            separator=", ", ignore_nulls=True)
        return no_dwelling_reason_expr(
            message("housing_quality", lang, count=self._weak_expr(p),
                    total=len(p["structures"]), parts=parts), lang)
