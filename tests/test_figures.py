"""Figures of classified households: counted by hand on a small case, and additive, so an
area's figures are the sum of its communes'."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.engine.records import classify_many
from giamngheo.figures import add, count, tally
from giamngheo.synthetic import synthetic_tables
from giamngheo.tables import tables_to_records

households, members = synthetic_tables(300, seed=11)
RECORDS = tables_to_records(households, members)
PAIRS = list(zip(RECORDS, classify_many(RECORDS, standard_id="vn-2022-2025"), strict=True))


def member(id_, relation, birth, **facts):
    return {"id": id_, "relation": relation, "birth_date": birth, "sex": "female", **facts}


def test_a_poor_household_counted_by_hand():
    record = {"reference_date": "2024-10-15", "poverty_causes": ["no_land", "illness"],
              "members": [member("1", "head", "1950-01-01", ethnicity="Chơ Ro",
                                 health_insurance=True),
                          member("2", "child", "2015-03-01", health_insurance=False),
                          member("3", "child", "2020-03-01", health_insurance=True)]}
    result = {"standard": "vn-2022-2025", "classification": "poor", "poor_group": "B",
              "deprivations": {"water": True, "latrine": True, "telecom": True,
                               "employment": False}}
    figures = tally([(record, result)])
    assert count(figures, "households", "poor") == 1 and count(figures, "persons") == 3
    assert count(figures, "poor_group", "B") == 1
    assert count(figures, "deprived", "poor", "water") == 1
    assert count(figures, "deprived", "poor", "employment") == 0
    # aged 6 or more: the head and the 9-year-old; the 4-year-old is not counted
    assert (count(figures, "insurable", "poor"), count(figures, "insured", "poor")) == (2, 1)
    assert count(figures, "children", "poor", "all") == 2
    assert count(figures, "children", "poor", "latrine") == 2
    assert count(figures, "ethnicity", "Chơ Ro", "poor") == 1
    assert count(figures, "target_groups", "ethnic_minority", "poor") == 1
    # a retired head and two children: nobody can work
    assert count(figures, "target_groups", "no_labour_capacity", "poor") == 1
    assert count(figures, "causes", "illness") == 1
    assert figures["af"]["q"] == 1 and figures["af"]["h_water"] == 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=len(PAIRS), max_size=len(PAIRS)))
def test_figures_of_parts_add_up_to_the_whole(groups):
    parts = [tally(p for p, g in zip(PAIRS, groups, strict=True) if g == n) for n in range(4)]
    whole = tally(PAIRS)
    added = add(parts)
    for key in ("households", "persons", "deprived", "insured", "insurable", "children",
                "ethnicity", "causes", "target_groups", "poor_group"):
        assert added.get(key, {}) == whole.get(key, {}), key
    for key, value in whole["af"].items():
        if key != "standard":
            assert abs(added["af"][key] - value) < 1e-6, key
