"""Figures of classified households: counted by hand on a small case, and additive, so an
area's figures are the sum of its communes'."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.engine.records import classify_many
from giamngheo.figures import add, count, headcount, headcounts_by_hamlet, tally
from giamngheo.plans import load_plan
from giamngheo.plans.actuals import measure_of
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
    for key in ("households", "persons", "deprived", "unknown", "insured", "insurable",
                "insurance_unknown", "employment", "children", "ethnicity", "causes",
                "target_groups", "poor_group"):
        assert added.get(key, {}) == whole.get(key, {}), key
    for key, value in whole["af"].items():
        if key != "standard":
            assert abs(added["af"][key] - value) < 1e-6, key


def test_an_undecided_household_stays_in_the_denominator_and_nowhere_else():
    record = {"reference_date": "2024-10-15", "hamlet": "Ấp 1",
              "members": [member("1", "head", "1980-01-01")]}
    poor = {"standard": "vn-2022-2025", "classification": "poor", "poor_group": "A",
            "deprivations": {"water": True}}
    figures = tally([(record, poor), ({**record, "hamlet": "Ấp 2"},
                                      {"standard": "vn-2022-2025",
                                       "classification": "incomplete"}),
                     (record, {"standard": "vn-2022-2025", "classification": "not_poor"})])
    line = headcount(figures)
    assert (line.households, line.poor, line.undecided, line.decided) == (3, 1, 1, 2)
    assert line.poor_rate == pytest.approx(100 / 3)  # never 1 of 2
    assert count(figures, "deprived") == 1 and "poor_group" in figures
    hamlets = headcounts_by_hamlet(figures)
    assert [(h.name, h.households, h.undecided) for h in hamlets] == [
        ("Ấp 1", 2, 0), ("Ấp 2", 1, 1), ("", 3, 1)]


def test_a_target_counts_only_known_answers_and_is_never_met_with_unknowns():
    record = {"reference_date": "2024-10-15", "members": [member("1", "head", "1980-01-01")]}
    results = [{"standard": "vn-2022-2025", "classification": "near_poor",
                "deprivations": {"water": value}} for value in (False, False, None)]
    figures = tally([(record, r) for r in results])
    measured = measure_of("households_not_deprived.water", figures)
    assert (measured.value, measured.unknown) == (100.0, 1)
    water = load_plan("tan-phu-73-2024").target("hygienic_water")
    assert water.met(measured.value) is True
    assert water.met(measured.value, unknown=measured.unknown) is None  # never "met"
    assert water.met(50.0, unknown=1) is False  # below the goal whatever the unknowns


def test_sustainable_employment_counts_households_with_a_working_age_member_able_to_work():
    def household(*members, status="poor", escaped=False):
        return ({"reference_date": "2024-10-15", "members": list(members)},
                {"standard": "vn-2022-2025", "classification": status,
                 "newly_escaped": escaped, "deprivations": {}})

    working = member("1", "head", "1980-01-01", employment="wage_contract")
    figures = tally([
        household(working),
        household(member("1", "head", "1980-01-01", employment="wage_no_contract")),
        household(member("1", "head", "1980-01-01")),  # employment not recorded
        household(member("1", "head", "1940-01-01", employment="not_in_labour_force")),
        household(member("1", "head", "1980-01-01", employment="self_employed"),
                  status="not_poor", escaped=True),
        household(member("1", "head", "1980-01-01"), status="not_poor"),  # not targeted
    ])
    measured = measure_of("sustainable_employment", figures)
    # met: the wage earner and the newly escaped self-employed; not met: no contract;
    # unknown: not recorded; apart: the retired head alone
    assert (measured.value, measured.unknown, measured.apart) == (
        pytest.approx(200 / 3), 1, 1)


def test_health_insurance_includes_the_newly_escaped():
    def household(insured, status, escaped=False):
        return ({"reference_date": "2024-10-15",
                 "members": [member("1", "head", "1980-01-01", health_insurance=insured)]},
                {"standard": "vn-2022-2025", "classification": status,
                 "newly_escaped": escaped, "deprivations": {}})

    figures = tally([household(True, "poor"), household(False, "not_poor", escaped=True),
                     household(None, "near_poor"), household(False, "not_poor")])
    measured = measure_of("persons_insured", figures)
    assert (measured.value, measured.unknown) == (50.0, 1)
