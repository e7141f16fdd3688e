"""A registry classified chunk by chunk from Parquet gives the rows of the whole tables
classified at once (SYNTHETIC DATA)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from giamngheo.engine.chunked import classify_files, member_offsets
from giamngheo.engine.records import classify_population
from giamngheo.synthetic import synthetic_tables

c = pl.col


@pytest.fixture(scope="module")
def registry_tables() -> tuple[pl.DataFrame, pl.DataFrame]:
    """5,000 households of two provinces (one with a provincial standard), some invalid (no
    area, a member's relation unknown), some dated before any standard."""
    households, members = synthetic_tables(5000, seed=11)
    row = pl.int_range(pl.len())
    households = households.with_columns(
        province_code=pl.when(row % 3 == 0).then(pl.lit("01")).otherwise(c("province_code")),
        area=pl.when(row % 97 == 5).then(None).otherwise(c("area")),
        reference_date=pl.when(row % 211 == 7).then(pl.lit(dt.date(2010, 1, 1)))
        .otherwise(c("reference_date")))
    members = members.with_columns(
        relation=pl.when(pl.int_range(pl.len()) % 503 == 9).then(pl.lit("cousin"))
        .otherwise(c("relation")))
    return households, members


def _files(folder: Path, households: pl.DataFrame, members: pl.DataFrame) -> tuple[Path, Path]:
    h, m = folder / "households.parquet", folder / "members.parquet"
    households.write_parquet(h, row_group_size=400)
    members.write_parquet(m, row_group_size=900)
    return h, m


@pytest.mark.parametrize("reasons", [False, True])
def test_chunks_give_the_whole_tables_result(tmp_path: Path, registry_tables, reasons: bool):
    households, members = registry_tables
    h, m = _files(tmp_path, households, members)
    done: list[int] = []
    classify_files(h, m, tmp_path / "out.parquet", reasons=reasons, chunk=700,
                   progress=lambda n, total: done.append(n))
    expected = classify_population(households, members, reasons=reasons)
    got = pl.read_parquet(tmp_path / "out.parquet").select(expected.columns)
    assert done == [700 * k for k in range(1, 8)] + [5000]
    assert got.height == 5000
    assert got.get_column("errors").is_not_null().sum() > 0  # the invalid ones are rejected
    assert got.get_column("classification").is_not_null().sum() > 4000
    assert got.equals(expected)


def test_members_out_of_order_are_classified_at_once(tmp_path: Path, registry_tables):
    households, members = registry_tables
    shuffled = members.sample(fraction=1.0, shuffle=True, seed=3)
    h, m = _files(tmp_path, households, shuffled)
    assert member_offsets(h, m) is None
    classify_files(h, m, tmp_path / "out.parquet", chunk=700)
    expected = classify_population(households, shuffled)
    assert pl.read_parquet(tmp_path / "out.parquet").select(expected.columns).equals(expected)


def test_offsets_follow_the_members(tmp_path: Path):
    households, members = synthetic_tables(50, seed=2)
    h, m = _files(tmp_path, households, members)
    offsets = member_offsets(h, m)
    assert offsets is not None and offsets[-1] == members.height
    sizes = members.group_by("household_id", maintain_order=True).len().get_column("len")
    assert [b - a for a, b in zip(offsets, offsets[1:], strict=False)] == sizes.to_list()


def test_csv_output_matches_the_parquet_output(tmp_path: Path, registry_tables):
    households, members = registry_tables
    h, m = _files(tmp_path, households[:1000], members.filter(
        c("household_id").is_in(households[:1000].get_column("id").implode())))
    classify_files(h, m, tmp_path / "out.parquet", chunk=300)
    classify_files(h, m, tmp_path / "out.csv", chunk=300)
    parquet = pl.read_parquet(tmp_path / "out.parquet")
    csv = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert csv.height == parquet.height == 1000
    assert csv.get_column("classification").fill_null("").to_list() == \
        parquet.get_column("classification").fill_null("").to_list()
