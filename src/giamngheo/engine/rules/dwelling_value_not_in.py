"""A dwelling's answer outside a list (water source, latrine, waste disposal): deprived when
the dwelling's ``field`` is not one of the ``accepted`` (hygienic) values. A household without
a dwelling is ``deprived`` or ``unknown`` as ``when_no_dwelling`` says. The reason is the
parameter file's own ``reason`` text, ``{value}`` standing for the value's label."""

from __future__ import annotations

import string

import polars as pl

from ... import record
from ...messages import label
from ..exprs import NULL_BOOL, label_of, template, tri_is_in
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
WHEN_NO_DWELLING = ("deprived", "unknown")


@register
class DwellingValueNotIn(HouseholdRule):
    name = "dwelling_value_not_in"
    params = ("field", "accepted", "when_no_dwelling", "reason")

    def check_params(self, p: Params) -> list[str]:
        declared = record.FIELDS.get(f"dwelling.{p['field']}")
        if declared is None or declared.vocabulary is None:
            coded = [f.name for f in record.fields_of("dwelling") if f.vocabulary]
            return [f"field must be one of {', '.join(coded)}"]
        problems = values_in(p["accepted"], declared.codes, "accepted")
        if p["when_no_dwelling"] not in WHEN_NO_DWELLING:
            problems.append(f"when_no_dwelling must be {' or '.join(WHEN_NO_DWELLING)}")
        reason = p["reason"]
        if not isinstance(reason, dict) or set(reason) != {"vi", "en"}:
            problems.append("reason needs vi and en")
        else:
            for lang, text in reason.items():
                names = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
                if not names <= {"value"}:
                    problems.append(f"reason.{lang}: only {{value}} may be filled in")
        return problems

    def fields_read(self, p: Params) -> tuple[str, ...]:
        return (f"dwelling.{p['field']}",)

    def value(self, s: Situation, p: Params) -> Tri:
        decided = dwelling_decides(s)
        if decided is True:
            return True if p["when_no_dwelling"] == "deprived" else None
        if decided is None:
            return None
        value = s.dwelling.get(p["field"])
        return None if value is None else value not in p["accepted"]

    def reason(self, s: Situation, p: Params, lang: str) -> str:
        if s.record["dwelling"] is None:
            return no_dwelling_reason(lang)
        value = label(s.dwelling[p["field"]], lang, p["field"])
        return str(p["reason"][lang]).format(value=value)

    def expr(self, p: Params, agg: Aggregate) -> pl.Expr:
        column = c(f"dwelling_{p['field']}")
        no_dwelling = pl.lit(True) if p["when_no_dwelling"] == "deprived" else NULL_BOOL
        return dwelling_decides_expr(tri_is_in(column, p["accepted"]).not_(), no_dwelling)

    def reason_expr(self, p: Params, lang: str, agg: Aggregate) -> pl.Expr:
        value = label_of(c(f"dwelling_{p['field']}"), lang, p["field"])
        return no_dwelling_reason_expr(template(p["reason"][lang], value=value), lang)
