"""The household record as two flat tables, the batch engine's input.

``households``: one row per household, the record's nested objects flattened with ``_``
(``income_monthly_per_capita``, ``dwelling_walls``, ``information_devices``...), plus
``has_dwelling`` (true: a dwelling object; false: ``"dwelling": null``; empty: not recorded).
``members``: one row per member, keyed by ``household_id``, in the household's order.
A ``b1_items`` answer set is scored into ``income_b1_score`` on the way in.
"""

from __future__ import annotations

from pathlib import Path
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


EMPTY_LIST = "-"


class TableReadError(ValueError):
    """A table file cannot be read as the schema says (the message names file, row, column)."""


def read_table(path: Path | str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A households or members table from Parquet or CSV.

    CSV cells are text: each column is converted to the schema's type (dates YYYY-MM-DD,
    booleans true/false, lists separated by ``;`` with ``-`` for an empty list) and a cell that
    does not convert is an error.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return _typed_json_lines(path, schema)
        if suffix != ".csv":
            raise TableReadError(f"{path}: use a .parquet, .csv or .jsonl table")
        raw = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableReadError(f"{path}: {exc}") from None
    converted = []
    for column in raw.columns:
        text = pl.col(column).str.strip_chars()
        text = pl.when(text == "").then(None).otherwise(text)
        kind = schema.get(column, pl.String)
        if kind == pl.Date:
            value = text.str.to_date("%Y-%m-%d", strict=False)
        elif kind == pl.Boolean:
            lowered = text.str.to_lowercase()
            value = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
        elif isinstance(kind, pl.List):  # "-" records an empty list; an empty cell, nothing
            value = pl.when(text == EMPTY_LIST).then(pl.lit([], dtype=kind)).otherwise(
                text.str.split(";").list.eval(pl.element().str.strip_chars()))
        else:
            value = text.cast(kind, strict=False)
        converted.append((column, text, value))
    frame = raw.select(*(v.alias(k) for k, _, v in converted),
                       *(t.is_not_null().alias(f"_given_{k}") for k, t, _ in converted))
    for column, _, _ in converted:
        bad = frame.with_row_index("row").filter(
            pl.col(f"_given_{column}") & pl.col(column).is_null())
        if bad.height:
            row = bad.get_column("row")[0]
            value = raw.get_column(column)[row]
            raise TableReadError(f"{path.name} row {row + 2}, column {column}: "
                                 f"{value!r} is not a {schema.get(column, pl.String)}")
    return frame.select(raw.columns)


def _typed_json_lines(path: Path, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A JSONL table (one flat object per line) with the schema's types, strictly."""
    raw = pl.read_ndjson(path, infer_schema_length=None)
    columns = []
    for column, dtype in raw.schema.items():
        wanted = schema.get(column, dtype)
        if wanted == pl.Date and dtype == pl.String:
            columns.append(pl.col(column).str.to_date("%Y-%m-%d"))
        elif dtype in (wanted, pl.Null):
            columns.append(pl.col(column).cast(wanted))
        else:
            raise TableReadError(f"{path.name}, column {column}: {dtype} values where "
                                 f"{wanted} is due")
    try:
        return raw.select(columns)
    except pl.exceptions.PolarsError as exc:
        raise TableReadError(f"{path.name}: {exc}") from None


def write_results(results: pl.DataFrame, path: Path | str) -> None:
    """Batch results as Parquet, CSV (lists joined by `` | ``) or JSONL, by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        results.write_parquet(path)
    elif suffix == ".csv":
        results.with_columns(pl.col(k).list.join(" | ") for k, t in results.schema.items()
                             if isinstance(t, pl.List)).write_csv(path)
    elif suffix in (".jsonl", ".ndjson"):
        results.write_ndjson(path)
    else:
        raise TableReadError(f"{path}: write .parquet, .csv or .jsonl")


def keyed_members(households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame | None:
    """Members with their household's ``hh`` and ``reference_date``, found by run lengths when
    the members come grouped in the households' order (the usual layout, and far faster than a
    join on the ids); None when they do not."""
    runs = members.get_column("household_id").rle().struct.unnest()
    ids = households.get_column("id")
    if runs.height != households.height or not runs.get_column("value").equals(ids):
        return None
    rows = pl.int_range(households.height, eager=True, dtype=pl.UInt32) \
        .repeat_by(runs.get_column("len")).explode()
    return members.with_columns(hh=households.get_column("hh").gather(rows),
                                reference_date=households.get_column("reference_date")
                                .gather(rows))
