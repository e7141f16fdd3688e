"""One validator: the vectorised checks (table_checks.py) report, for many records, exactly what
the record validator (household.validate_household) reports for each one, messages and order
included, valid and broken records alike."""

from __future__ import annotations

import copy

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from giamngheo.engine.records import classify_many, validate_many
from giamngheo.household import validate_household
from giamngheo.messages import text
from giamngheo.rules.parameters import default_registry
from giamngheo.rules.scorecard import load_scorecard
from giamngheo.table_checks import TableError, validate_tables
from giamngheo.tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, records_to_tables
from tests.strategies import household_lists


def _members(record):
    """The record's members that are objects (mutations may have broken the rest)."""
    members = record.get("members")
    return [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []


def _member(record):
    return (_members(record) or [{}])[-1]


def _add_member(record, member):
    if isinstance(record.get("members"), list):
        record["members"].append(member)


# broken in a way a typed table can hold (so both the table and the record paths see it)
VALUE_MUTATIONS = {
    "bad area": lambda r: r.update(area="city"),
    "negative income": lambda r: r.update(income={"monthly_per_capita": -1}),
    "two incomes": lambda r: r.update(income={"monthly_per_capita": 1, "b1_score": 2}),
    "no income": lambda r: r.update(income={}),
    "negative area": lambda r: r.update(dwelling={"floor_area_m2": -0.5}),
    "huge area": lambda r: r.update(dwelling={"floor_area_m2": 1e16}),
    "huge income": lambda r: r.update(income={"annual_total": 10**15 + 1}),
    "bad walls": lambda r: r.update(dwelling={"walls": "bamboo", "latrine": "hole"}),
    "bad waste": lambda r: r.update(dwelling={"waste_disposal": "river"}),
    "bad device": lambda r: r.update(information={"devices": ["tv", "fax"]}),
    "bad sex": lambda r: _member(r).update(sex="M"),
    "bad school level": lambda r: _member(r).update(in_education=False, school_level="uni"),
    "born later": lambda r: _member(r).update(birth_date="2031-01-01"),
    "too old": lambda r: _member(r).update(birth_date="1890-01-01", stunted=True),
    "adult stunted": lambda r: _member(r).update(birth_date="1990-01-01", underweight=True),
    "repeated member id": lambda r: _add_member(r, copy.deepcopy(_member(r))),
    "no head": lambda r: [m.update(relation="child") for m in _members(r)],
    "two heads": lambda r: [m.update(relation="head") for m in _members(r)],
    "no members": lambda r: r.update(members=[]),
    "empty id": lambda r: r.update(id=" "),
    "empty member id": lambda r: _member(r).update(id=""),
    "no sex": lambda r: _member(r).pop("sex", None),
    "no area": lambda r: r.pop("area", None),
}
# broken in a way only a record can be: wrong types, unknown fields, explicit nulls
TYPE_MUTATIONS = {
    "numeric id": lambda r: r.update(id=17),
    "null area": lambda r: r.update(area=None),
    "bad reference date": lambda r: r.update(reference_date="15/10/2024"),
    "impossible date": lambda r: _member(r).update(birth_date="2010-02-30"),
    "numeric birth date": lambda r: _member(r).update(birth_date=20100101),
    "text income": lambda r: r.update(income={"monthly_per_capita": "1.500.000"}),
    "float income": lambda r: r.update(income={"annual_total": 1.0}),
    "bool income": lambda r: r.update(income={"annual_total": True}),
    "income too large for 64 bits": lambda r: r.update(income={"annual_total": 10**20}),
    "nan area": lambda r: r.update(dwelling={"floor_area_m2": float("nan")}),
    "text area": lambda r: r.update(dwelling={"floor_area_m2": "40"}),
    "dwelling text": lambda r: r.update(dwelling="house"),
    "information list": lambda r: r.update(information=[]),
    "devices text": lambda r: r.update(information={"devices": "tv"}),
    "device number": lambda r: r.update(information={"devices": ["tv", 5, "fax"]}),
    "internet yes": lambda r: r.update(information={"uses_internet": "yes"}),
    "members object": lambda r: r.update(members={"1": {}}),
    "no members key": lambda r: r.pop("members", None),
    "member text": lambda r: _add_member(r, "grandma"),
    "in education yes": lambda r: _member(r).update(in_education="yes", school_level="primary"),
    "insurance one": lambda r: _member(r).update(health_insurance=1),
    "null sex": lambda r: _member(r).update(sex=None),
    "numeric relation": lambda r: _member(r).update(relation=2),
    "bool ethnicity": lambda r: _member(r).update(ethnicity=True),
    "unknown field": lambda r: r.update(nickname="x"),
    "unknown member field": lambda r: _member(r).update(nickname="x"),
    "unknown dwelling field": lambda r: r.update(dwelling={"garden": True}),
    "unknown income": lambda r: r.update(income={"salary": 1}),
    "extra not object": lambda r: r.update(extra=[1]),
    "b1 items": lambda r: r.update(income={"b1_items": {"household_size": "3_4"}}),
    "b1 items text": lambda r: r.update(income={"b1_items": "many"}),
}
MUTATIONS = {**VALUE_MUTATIONS, **TYPE_MUTATIONS}


def scalar_errors(items, lang, scorecard=None):
    """validate_household per record, and the file's repeated ids."""
    first: dict[str, int] = {}
    out = []
    for index, item in enumerate(items):
        errors = validate_household(item, lang, scorecard)
        rid = item.get("id") if isinstance(item, dict) else None
        if isinstance(rid, str):
            if rid in first:
                errors.append("id: " + text("duplicate_id", lang, index=first[rid] + 1))
                errors.sort(key=_order)
            else:
                first[rid] = index
        out.append(errors)
    return out


def _order(error):
    from giamngheo.validation import error_order

    return error_order(error)


def mutate(records, names, rnd):
    for name in names:
        MUTATIONS[name](rnd.choice(records))


@settings(max_examples=300)
@given(household_lists(max_size=4), st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=5),
       st.randoms(use_true_random=False), st.sampled_from(["vi", "en"]))
def test_bulk_errors_equal_record_errors(records, mutations, rnd, lang):
    """Messages, paths and their order, for records broken in every way."""
    mutate(records, mutations, rnd)
    records.append(copy.deepcopy(rnd.choice(records)))  # a repeated id
    assert validate_many(records, lang) == scalar_errors(records, lang)


@settings(max_examples=40)
@given(household_lists(max_size=3), st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=3),
       st.randoms(use_true_random=False))
def test_with_a_scorecard(records, mutations, rnd):
    card = load_scorecard("example", default_registry())
    mutate(records, [*mutations, "b1 items"], rnd)
    assert validate_many(records, "en", card) == scalar_errors(records, "en", card)


@settings(max_examples=150)
@given(household_lists(max_size=4),
       st.lists(st.sampled_from(sorted(VALUE_MUTATIONS)), max_size=4),
       st.randoms(use_true_random=False))
def test_table_errors_equal_record_errors(records, mutations, rnd):
    """Typed tables (Parquet, CSV) go through the same checks."""
    mutate(records, mutations, rnd)
    # tables key members by household id: with a repeated id, whose members they are is a
    # question of representation (see the test below), not of validation
    assume(len({r["id"] for r in records}) == len(records))
    households, members = records_to_tables(records)
    bad, orphans, _ = validate_tables(households, members, "en")
    found = dict(zip(bad.get_column("hh").to_list(), bad.get_column("errors").to_list(),
                     strict=True))
    assert orphans == []
    expected = scalar_errors(records, "en")
    assert [found.get(i, []) for i in range(len(records))] == expected


def test_items_that_are_not_records():
    from giamngheo.household import ParseFailure

    items = [["a list"], ParseFailure("$: line 2 is not valid JSON"), None, {"id": "A"}]
    errors = validate_many(items, "en")
    assert errors[0] == ["$: must be an object"] and errors[2] == ["$: must be an object"]
    assert errors[1] == ["$: line 2 is not valid JSON"]
    assert errors[3] == validate_household({"id": "A"}, "en")
    assert [r.get("id") for r in classify_many(items)] == [None, None, None, "A"]


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
