"""Low-income workers (người lao động có thu nhập thấp, Decree 30/2025/NĐ-CP): whether a
household's income is at or below the threshold in force at its reference date for its area
(``rules/low_income.yaml``, dated entries). Its workers may then be recognised on application.
The scalar form says it of one household record, with the reason; the vectorised form marks
the rows of a households table (``tables.py`` columns plus ``income_per_capita_month``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from . import record
from .engine.classify import per_capita_of_annual
from .messages import DEFAULT_LANG, add_messages, format_int, text
from .rules.yamlfile import Mapping, ParameterError, read_yaml

FILE = Path(__file__).parent / "rules" / "low_income.yaml"
KEYS = ("valid_from", "valid_until", "value", "unit", "source", "legal_basis", "legal_text",
        "verified", "note")
REQUIRED = ("valid_from", "valid_until", "value", "source", "legal_basis", "verified")
add_messages({
    "low_income.qualifies": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, không quá {threshold} đồng ({area}): "
              "người lao động của hộ thuộc diện thu nhập thấp",
        "en": "{income} VND/person/month is at or below the {area} low-income threshold of "
              "{threshold}: the household's workers are low-income workers"},
    "low_income.above": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, cao hơn ngưỡng thu nhập thấp "
              "{threshold} đồng ({area})",
        "en": "{income} VND/person/month is above the {area} low-income threshold of "
              "{threshold}"},
    "low_income.not_measured": {
        "vi": "thu nhập chưa được đo (chỉ có điểm B1)",
        "en": "income not measured (a B1 score only)"},
    "low_income.no_threshold": {
        "vi": "không có ngưỡng thu nhập thấp áp dụng cho ngày {date}",
        "en": "no low-income threshold is in force on {date}"},
})


@dataclass(frozen=True)
class Threshold:
    valid_from: dt.date
    valid_until: dt.date
    value: dict[str, int]
    source: str
    legal_basis: str
    verified: bool
    note: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@cache
def thresholds(path: Path = FILE) -> tuple[Threshold, ...]:
    """The dated thresholds, checked: known keys, both areas, no overlapping periods."""
    data = read_yaml(path)
    entries = data.get("low_income_workers") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise ParameterError(f"{path.name}: needs a list low_income_workers")
    out = []
    for i, node in enumerate(entries):
        where = f"low_income_workers[{i}]"
        if not isinstance(node, Mapping):
            raise ParameterError(f"{path.name}: {where} must be a mapping")
        for key in node:
            if key not in KEYS:
                raise node.error(key, where, f"unknown key; known: {', '.join(KEYS)}")
        for key in REQUIRED:
            if key not in node:
                raise ParameterError(f"{node.where()}: {where}: missing key {key!r}")
        value = node["value"]
        if not isinstance(value, dict) or set(value) != set(record.AREA.codes) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0
                for v in value.values()):
            raise node.error("value", where, "needs a whole number for rural and for urban")
        for key in ("valid_from", "valid_until"):
            if not isinstance(node[key], dt.date):
                raise node.error(key, where, "must be a date (YYYY-MM-DD)")
        out.append(Threshold(node["valid_from"], node["valid_until"], dict(value),
                             node["source"], node["legal_basis"], node["verified"],
                             node.get("note")))
    out.sort(key=lambda t: t.valid_from)
    for a, b in zip(out, out[1:], strict=False):
        if a.valid_until >= b.valid_from:
            raise ParameterError(f"{path.name}: the periods from {a.valid_from} and "
                                 f"{b.valid_from} overlap")
    return tuple(out)


def threshold_on(day: dt.date) -> Threshold | None:
    return next((t for t in thresholds() if t.covers(day)), None)


@dataclass(frozen=True)
class LowIncome:
    qualifies: bool | None  # None: income not measured, or no threshold on the date
    income_per_capita: int | None
    threshold: int | None
    reason: str


def low_income(household: dict[str, Any], lang: str = DEFAULT_LANG) -> LowIncome:
    """Whether a valid household record's income makes its workers low-income workers."""
    day = dt.date.fromisoformat(household["reference_date"])
    area = household["area"]
    income = household["income"]
    if "monthly_per_capita" in income:
        per_capita = income["monthly_per_capita"]
    elif "annual_total" in income:
        per_capita = per_capita_of_annual(income["annual_total"], len(household["members"]))
    else:
        return LowIncome(None, None, None, text("low_income.not_measured", lang))
    found = threshold_on(day)
    if found is None:
        return LowIncome(None, per_capita, None,
                         text("low_income.no_threshold", lang, date=day.isoformat()))
    limit = found.value[area]
    key = "low_income.qualifies" if per_capita <= limit else "low_income.above"
    return LowIncome(per_capita <= limit, per_capita, limit, text(
        key, lang, income=format_int(per_capita, lang), threshold=format_int(limit, lang),
        area=text(f"area.{area}", lang)))


def low_income_expr() -> pl.Expr:
    """The vectorised form, over household rows with ``reference_date``, ``area`` and
    ``income_per_capita_month`` (null: not measured, or no threshold on the date)."""
    limit: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for found in thresholds():
        inside = pl.col("reference_date").is_between(found.valid_from, found.valid_until)
        by_area = pl.when(pl.col("area") == "rural").then(found.value["rural"]) \
            .otherwise(found.value["urban"])
        limit = pl.when(inside).then(by_area).otherwise(limit)
    return pl.col("income_per_capita_month") <= limit
