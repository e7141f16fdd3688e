"""Ages as the rules count them: the retirement rule's shortcut (the latest year decides)
equals its definition (some year up to the date's), in both forms; completed months at month
ends; the loader refuses a table the shortcut could not read."""

from __future__ import annotations

import datetime as dt
import textwrap

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.ages import (
    completed_months,
    completed_months_expr,
    reached_retirement,
    reached_retirement_expr,
)
from giamngheo.rules.parameters import ParameterError, default_registry, load_registry

TABLE = default_registry().get("vn-2022-2025").retirement_table


def by_definition(birth: dt.date, sex: str, on: dt.date) -> bool:
    """Decree 135/2020's rule as written: for some year Y up to ``on``'s year, the age in
    months on min(on, 31 December of Y) is at least Y's row (clamped to the table)."""
    years = sorted(TABLE)
    for year in range(min(years[0], birth.year), on.year + 1):
        row = TABLE[min(max(year, years[0]), years[-1])][sex]
        if completed_months(birth, min(on, dt.date(year, 12, 31))) >= row:
            return True
    return False


dates = st.dates(dt.date(1950, 1, 1), dt.date(1980, 12, 31))
days = st.dates(dt.date(2019, 1, 1), dt.date(2040, 12, 31))


@settings(max_examples=400)
@given(st.lists(st.tuples(dates, st.sampled_from(["male", "female"]), days), min_size=1,
                max_size=20))
def test_the_retirement_shortcut_equals_the_definition(people):
    frame = pl.DataFrame(people, schema={"birth": pl.Date, "sex": pl.String, "on": pl.Date},
                         orient="row")
    vector = frame.select(reached_retirement_expr(pl.col("birth"), pl.col("sex"), pl.col("on"),
                                                  TABLE)).to_series().to_list()
    expected = [by_definition(b, s, d) for b, s, d in people]
    assert [reached_retirement(b, s, d, TABLE) for b, s, d in people] == expected
    assert vector == expected


@settings(max_examples=300)
@given(st.lists(st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
                          st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))), min_size=1,
                max_size=20))
def test_completed_months_in_both_forms(pairs):
    frame = pl.DataFrame(pairs, schema={"birth": pl.Date, "on": pl.Date}, orient="row")
    vector = frame.select(completed_months_expr(pl.col("birth"), pl.col("on"))).to_series()
    assert vector.to_list() == [completed_months(b, d) for b, d in pairs]


def test_month_ends():
    assert completed_months(dt.date(2020, 2, 29), dt.date(2021, 2, 28)) == 12
    assert completed_months(dt.date(2020, 2, 29), dt.date(2024, 2, 28)) == 47
    assert completed_months(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1
    assert completed_months(dt.date(2024, 1, 31), dt.date(2024, 3, 30)) == 1


def test_a_table_rising_faster_than_age_is_refused(tmp_path):
    (tmp_path / "x.yaml").write_text(textwrap.dedent("""
        id: vn-2031-2035
        extends: vn-2027-2030
        name: {vi: Thử, en: Test}
        display_name: {vi: Thử, en: Test}
        kind: national
        valid_from: 2031-01-01
        valid_until: 2035-12-31
        source: test
        legal_basis: thử
        verified: false
        parameters:
          retirement_age:
            value:
              2031: {male: [62, 0], female: [58, 8]}
              2032: {male: [63, 1], female: [59, 0]}
            source: test
            legal_basis: thử
            verified: false
        """), encoding="utf-8")
    with pytest.raises(ParameterError, match="the male row of 2032 rises more than 12 months"):
        load_registry(tmp_path)
