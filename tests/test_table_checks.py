"""The vectorised table validator reports what the record validator reports."""

from __future__ import annotations

import copy

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from giamngheo.engine.records import validate_many
from giamngheo.table_checks import TableError, validate_tables
from giamngheo.tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, records_to_tables
from tests.strategies import household_lists


def _member(record):
    return record["members"][-1] if record["members"] else {}


MUTATIONS = {
    "bad area": lambda r: r.update(area="city"),
    "negative income": lambda r: r.update(income={"monthly_per_capita": -1}),
    "two incomes": lambda r: r.update(income={"monthly_per_capita": 1, "b1_score": 2}),
    "no income": lambda r: r.update(income={}),
    "negative area": lambda r: r.update(dwelling={"floor_area_m2": -0.5}),
    "huge area": lambda r: r.update(dwelling={"floor_area_m2": 1e16}),
    "huge income": lambda r: r.update(income={"annual_total": 10**15 + 1}),
    "bad walls": lambda r: r.update(dwelling={"walls": "bamboo", "latrine": "hole"}),
    "bad device": lambda r: r.update(information={"devices": ["tv", "fax"]}),
    "bad sex": lambda r: _member(r).update(sex="M"),
    "bad school level": lambda r: _member(r).update(in_education=False, school_level="uni"),
    "born later": lambda r: _member(r).update(birth_date="2031-01-01"),
    "too old": lambda r: _member(r).update(birth_date="1890-01-01", stunted=True),
    "adult stunted": lambda r: _member(r).update(birth_date="1990-01-01", underweight=True),
    "repeated member id": lambda r: r["members"].extend(copy.deepcopy(r["members"][:1])),
    "no head": lambda r: [m.update(relation="child") for m in r["members"]],
    "no members": lambda r: r.update(members=[]),
    "empty id": lambda r: r.update(id=" "),
    "empty member id": lambda r: _member(r).update(id=""),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household_lists(max_size=4), st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=4),
       st.randoms())
def test_table_errors_equal_record_errors(records, mutations, rnd):
    for name in mutations:
        MUTATIONS[name](rnd.choice(records))
    # tables key members by household id: with a repeated id, whose members they are is a
    # question of representation (see the test below), not of validation
    assume(len({r["id"] for r in records}) == len(records))
    expected = [sorted(e) for e in validate_many(records, "en")]
    households, members = records_to_tables(records)
    bad, orphans, _ = validate_tables(households, members, "en")
    found = dict(zip(bad.get_column("hh").to_list(), bad.get_column("errors").to_list(),
                     strict=True))
    assert orphans == []
    assert [sorted(found.get(i, [])) for i in range(len(records))] == expected


def test_unknown_and_mistyped_columns_refuse_the_file():
    households = pl.DataFrame(schema={**HOUSEHOLD_SCHEMA, "nickname": pl.String})
    with pytest.raises(TableError, match="unknown column 'nickname'"):
        validate_tables(households, pl.DataFrame(schema=MEMBER_SCHEMA))
    households = pl.DataFrame(schema={**HOUSEHOLD_SCHEMA, "income_monthly_per_capita": pl.String})
    with pytest.raises(TableError, match="income_monthly_per_capita: type String"):
        validate_tables(households, pl.DataFrame(schema=MEMBER_SCHEMA))


def test_members_of_an_unlisted_household_are_reported():
    households = pl.DataFrame(schema=HOUSEHOLD_SCHEMA)
    members = pl.DataFrame({"household_id": ["X9"], "id": ["1"]}).with_columns(
        relation=pl.lit("head"), birth_date=pl.lit(None, dtype=pl.Date), sex=pl.lit("male"))
    bad, orphans, _ = validate_tables(households, members)
    assert orphans == ["X9"]
    assert bad.height == 0


def test_a_repeated_household_id_is_reported_on_the_later_row():
    households = pl.DataFrame({"id": ["A", "B", "A"]}).with_columns(
        reference_date=pl.lit(None, dtype=pl.Date), area=pl.lit("rural"),
        income_monthly_per_capita=pl.lit(1, dtype=pl.Int64))
    members = pl.DataFrame({"household_id": ["A", "B"], "id": ["1", "1"]}).with_columns(
        relation=pl.lit("head"), birth_date=pl.lit(None, dtype=pl.Date), sex=pl.lit("male"))
    bad, _, _ = validate_tables(households, members, "en")
    errors = dict(zip(bad.get_column("hh").to_list(), bad.get_column("errors").to_list(),
                      strict=True))
    assert "id: same id as record 1 of the file" in errors[2]
    assert not any("same id" in e for e in errors[0] + errors[1])
