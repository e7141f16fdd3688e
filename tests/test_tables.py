"""The record as two tables: round trip, and the same results from Parquet, CSV and JSONL."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from giamngheo.engine.records import classify_population
from giamngheo.synthetic import synthetic_tables
from giamngheo.tables import (
    EMPTY_LIST,
    HOUSEHOLD_SCHEMA,
    MEMBER_SCHEMA,
    TableReadError,
    read_table,
    records_to_tables,
    tables_to_records,
    write_results,
)
from tests.strategies import household_lists


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household_lists())
def test_records_survive_the_tables(records):
    """Everything but ``extra`` and an empty ``information`` object (both mean nothing to the
    rules) comes back."""
    assert tables_to_records(*records_to_tables(records)) == [
        {k: v for k, v in r.items() if k != "extra" and not (k == "information" and v == {})}
        for r in records]


def _as_csv(frame: pl.DataFrame, path):
    frame.with_columns(
        pl.when(pl.col(k).list.len() == 0).then(pl.lit(EMPTY_LIST))
        .otherwise(pl.col(k).list.join(";")).alias(k)
        for k, t in frame.schema.items() if isinstance(t, pl.List)).write_csv(path)


def test_parquet_csv_and_jsonl_tables_give_the_same_results(tmp_path):
    households, members = synthetic_tables(400, seed=11)
    results = []
    for suffix in ("parquet", "csv", "jsonl"):
        paths = tmp_path / f"h.{suffix}", tmp_path / f"m.{suffix}"
        for frame, path in zip((households, members), paths, strict=True):
            if suffix == "parquet":
                frame.write_parquet(path)
            elif suffix == "csv":
                _as_csv(frame, path)
            else:
                frame.write_ndjson(path)
        read = read_table(paths[0], HOUSEHOLD_SCHEMA), read_table(paths[1], MEMBER_SCHEMA)
        out = classify_population(*read, reasons=True)
        results.append(out)
        write_results(out, tmp_path / f"out.{suffix}")
    assert results[0].equals(results[1]) and results[0].equals(results[2])
    assert results[0].height == 400
    assert pl.read_parquet(tmp_path / "out.parquet").equals(results[0])
    assert pl.read_csv(tmp_path / "out.csv").height == 400


def test_a_csv_cell_that_does_not_read_as_its_type_is_an_error(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("id,reference_date,area,income_monthly_per_capita\n"
                    "H1,2024-10-15,rural,1500000\nH2,2024-10-15,rural,1.500.000\n",
                    encoding="utf-8")
    with pytest.raises(TableReadError,
                       match=r"h.csv row 3, column income_monthly_per_capita: '1.500.000'"):
        read_table(path, HOUSEHOLD_SCHEMA)
    path.write_text("id,reference_date,area\nH1,15/10/2024,rural\n", encoding="utf-8")
    with pytest.raises(TableReadError, match="row 2, column reference_date"):
        read_table(path, HOUSEHOLD_SCHEMA)


def test_members_in_any_order_give_the_same_results():
    """Grouped members are keyed by run lengths, others by a join: both ways agree."""
    households, members = synthetic_tables(300, seed=12)
    grouped = classify_population(households, members, reasons=True)
    # households in another order than their table, each one's members still in order
    reordered = members.with_row_index("row").sort(pl.col("household_id").hash(7), "row") \
        .drop("row")
    assert not reordered.get_column("household_id").equals(members.get_column("household_id"))
    assert grouped.equals(classify_population(households, reordered, reasons=True))
