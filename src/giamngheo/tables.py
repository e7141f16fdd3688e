"""The household record as two flat tables, the batch engine's input.

``households``: one row per household, the record's nested objects flattened with ``_``
(``income_monthly_per_capita``, ``dwelling_walls``, ``information_devices``...), plus
``has_dwelling`` (true: a dwelling object; false: ``"dwelling": null``; empty: not recorded).
``members``: one row per member, keyed by ``household_id``, in the household's order.
A ``b1_items`` answer set is scored into ``income_b1_score`` on the way in.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from .household import DWELLING_FIELDS, MEMBER_BOOLS, MEMBER_ENUMS

HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String,
    "reference_date": pl.Date,
    "area": pl.String,
    "province_code": pl.String,
    "commune_code": pl.String,
    "income_monthly_per_capita": pl.Int64,
    "income_annual_total": pl.Int64,
    "income_b1_score": pl.Float64,
    "has_dwelling": pl.Boolean,
    "dwelling_walls": pl.String,
    "dwelling_frame": pl.String,
    "dwelling_roof": pl.String,
    "dwelling_floor_area_m2": pl.Float64,
    "dwelling_water_source": pl.String,
    "dwelling_latrine": pl.String,
    "information_uses_internet": pl.Boolean,
    "information_devices": pl.List(pl.String),
}
MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.String,
    "id": pl.String,
    "birth_date": pl.Date,
    **{k: pl.String for k in MEMBER_ENUMS},
    **{k: pl.Boolean for k in MEMBER_BOOLS},
    "ethnicity": pl.String,
}


def records_to_tables(records: list[dict[str, Any]],
                      scorecard=None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Valid household records (``household.validate_household``) as the two tables."""
    rows = []
    for r in records:
        income = r["income"]
        dwelling = r.get("dwelling")
        information = r.get("information") or {}
        score = income.get("b1_score")
        if "b1_items" in income:
            score = scorecard.score(income["b1_items"], r["area"], r.get("province_code"))
        row = {
            "id": r["id"], "reference_date": r["reference_date"], "area": r["area"],
            "province_code": r.get("province_code"), "commune_code": r.get("commune_code"),
            "income_monthly_per_capita": income.get("monthly_per_capita"),
            "income_annual_total": income.get("annual_total"),
            "income_b1_score": score,
            "has_dwelling": None if "dwelling" not in r else dwelling is not None,
            "information_uses_internet": information.get("uses_internet"),
            "information_devices": information.get("devices"),
        }
        if dwelling:
            for key in DWELLING_FIELDS:
                row[f"dwelling_{key}"] = dwelling.get(key)
        rows.append(row)
    schema = {**HOUSEHOLD_SCHEMA, "reference_date": pl.String}
    households = pl.from_dicts(rows, schema=schema).with_columns(
        pl.col("reference_date").str.to_date("%Y-%m-%d"))
    member_rows = [m for r in records for m in r["members"]]
    owner = [r["id"] for r in records for _ in r["members"]]
    member_schema = {k: v for k, v in MEMBER_SCHEMA.items() if k != "household_id"}
    member_schema["birth_date"] = pl.String
    members = pl.from_dicts(member_rows, schema=member_schema).with_columns(
        pl.Series("household_id", owner, dtype=pl.String),
        pl.col("birth_date").str.to_date("%Y-%m-%d"))
    return households, members.select(list(MEMBER_SCHEMA))


def tables_to_records(households: pl.DataFrame, members: pl.DataFrame) -> list[dict[str, Any]]:
    """The two tables back as household records (unrecorded fields left out)."""
    by_household: dict[str, list[dict[str, Any]]] = {}
    for m in members.with_columns(pl.col("birth_date").dt.strftime("%Y-%m-%d")).to_dicts():
        owner = m.pop("household_id")
        by_household.setdefault(owner, []).append(
            {k: v for k, v in m.items() if v is not None})
    records = []
    frame = households.with_columns(pl.col("reference_date").dt.strftime("%Y-%m-%d"))
    for row in frame.to_dicts():
        record: dict[str, Any] = {}
        income: dict[str, Any] = {}
        dwelling: dict[str, Any] = {}
        information: dict[str, Any] = {}
        for column, value in row.items():
            if value is None:
                continue
            if column.startswith("income_"):
                income[column.removeprefix("income_")] = value
            elif column.startswith("dwelling_"):
                dwelling[column.removeprefix("dwelling_")] = value
            elif column.startswith("information_"):
                information[column.removeprefix("information_")] = value
            elif column != "has_dwelling":
                record[column] = value
        record["income"] = income
        if row.get("has_dwelling") is not None:
            record["dwelling"] = dwelling if row["has_dwelling"] else None
        if information:
            record["information"] = information
        record["members"] = by_household.get(row["id"], [])
        records.append(record)
    return records
