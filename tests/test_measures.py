"""Alkire-Foster measures: golden values computed by hand, and a cross-check with mpitb."""

from __future__ import annotations

import mpitb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.measures import alkire_foster, legal_sums, measures_of_sums
from giamngheo.rules.parameters import default_registry

STANDARD = default_registry().get("vn-2022-2025")
CODES = list(STANDARD.codes)


def frame(rows):
    """rows: (deprived codes, unknown codes, income_poor, n_members, commune)."""
    data = []
    for deprived, unknown, income_poor, size, commune in rows:
        row = {code: (None if code in unknown else code in deprived) for code in CODES}
        row.update(income_poor=income_poor, n_members=size, commune_code=commune)
        data.append(row)
    return pl.DataFrame(data, schema={**{c: pl.Boolean for c in CODES}, "income_poor": pl.Boolean,
                                      "n_members": pl.UInt32, "commune_code": pl.String})


HOUSEHOLDS = frame([
    ({"health_insurance", "water", "latrine", "telecom"}, set(), True, 4, "A"),
    ({"housing_quality", "housing_area"}, set(), True, 2, "A"),
    ({"employment", "dependants", "nutrition"}, set(), False, 5, "B"),
    ({"employment", "health_insurance", "water"}, set(), True, 3, "B"),
    ({"employment"}, {"water"}, True, 2, "B"),
])


def test_legal_measure_for_households_by_hand():
    m = alkire_foster(HOUSEHOLDS, STANDARD, "household", income_gate=True, by="commune_code")
    assert (m["population"], m["poor"], m["excluded"]) == (4, 2, 1)
    assert m["H"] == pytest.approx(0.5)
    assert m["A"] == pytest.approx(7 / 24)
    assert m["M0"] == pytest.approx(7 / 48)
    assert m["censored_headcount"]["health_insurance"] == pytest.approx(0.5)
    assert m["censored_headcount"]["employment"] == pytest.approx(0.25)
    assert m["censored_headcount"]["nutrition"] == 0
    assert m["uncensored_headcount"]["employment"] == pytest.approx(0.5)
    assert m["contribution"]["employment"] == pytest.approx(1 / 7)
    assert m["contribution"]["water"] == pytest.approx(2 / 7)
    assert sum(m["contribution"].values()) == pytest.approx(1)
    assert m["contribution_by_dimension"] == pytest.approx(
        {"employment": 1 / 7, "health": 2 / 7, "education": 0, "housing": 0,
         "water_sanitation": 3 / 7, "information": 1 / 7})
    groups = {g["value"]: g for g in m["by"]["groups"]}
    assert groups["A"]["M0"] == pytest.approx(1 / 6)
    assert groups["A"]["A"] == pytest.approx(1 / 3)
    assert groups["B"]["M0"] == pytest.approx(1 / 8)
    assert groups["A"]["contribution"] == pytest.approx(4 / 7)
    assert m["by"]["M0_from_groups"] == pytest.approx(m["M0"])


def test_legal_measure_for_persons_by_hand():
    m = alkire_foster(HOUSEHOLDS, STANDARD, "person", income_gate=True)
    assert (m["population"], m["poor"], m["excluded"]) == (14, 7, 2)
    assert m["H"] == pytest.approx(0.5)
    assert m["A"] == pytest.approx(25 / 84)
    assert m["M0"] == pytest.approx(25 / 168)


def test_pure_multidimensional_measure_ignores_income():
    m = alkire_foster(HOUSEHOLDS, STANDARD, "household", income_gate=False)
    assert m["H"] == pytest.approx(3 / 4)
    assert m["A"] == pytest.approx(5 / 18)
    assert m["M0"] == pytest.approx(5 / 24)


@st.composite
def deprivation_frames(draw):
    rows = []
    for _ in range(draw(st.integers(5, 40))):
        deprived = set(draw(st.lists(st.sampled_from(CODES), max_size=8)))
        rows.append((deprived, set(), draw(st.booleans()), draw(st.integers(1, 7)),
                     draw(st.sampled_from(["A", "B", "C"]))))
    return frame(rows)


@settings(max_examples=40, deadline=None)
@given(deprivation_frames(), st.sampled_from(["household", "person"]))
def test_decomposition_adds_up(data, unit):
    m = alkire_foster(data, STANDARD, unit, income_gate=True, by="commune_code")
    assert m["by"]["M0_from_groups"] == pytest.approx(m["M0"])
    assert m["M0"] == pytest.approx(m["H"] * m["A"])
    if m["M0"]:
        assert sum(g["contribution"] for g in m["by"]["groups"]) == pytest.approx(1)
        assert sum(m["contribution"].values()) == pytest.approx(1)


@settings(max_examples=40, deadline=None)
@given(deprivation_frames())
def test_communes_stored_sums_give_the_areas_measures(data):
    """The dashboard adds the sums stored per commune: the same measures as the whole frame."""
    parts = [legal_sums(part, STANDARD) for _key, part in data.group_by("commune_code")]
    added = {key: sum(p[key] for p in parts) for key in parts[0]}
    whole = alkire_foster(data, STANDARD, "household", income_gate=True)
    from_sums = measures_of_sums(added, STANDARD)
    for key in ("population", "poor", "H", "A", "M0"):
        assert from_sums[key] == pytest.approx(whole[key])
    for code in CODES:
        assert from_sums["contribution"][code] == pytest.approx(whole["contribution"][code])
        assert from_sums["censored_headcount"][code] == pytest.approx(
            whole["censored_headcount"][code])
    assert from_sums["contribution_by_dimension"] == pytest.approx(
        whole["contribution_by_dimension"])


@settings(max_examples=25, deadline=None)
@given(deprivation_frames(), st.sampled_from(["household", "person"]))
def test_agrees_with_mpitb(data, unit):
    """Cross-check of the pure multidimensional measure against the mpitb toolbox (dev only)."""
    ours = alkire_foster(data, STANDARD, unit, income_gate=False)
    tool = mpitb.MPIToolbox()
    tool.set(name="vn", dimensions=[([i.code for i in STANDARD.indicators
                                      if i.dimension == d], d) for d in STANDARD.dimensions],
             replace=True)
    table = data.select(CODES + ["n_members"]).with_columns(
        pl.col(CODES).cast(pl.Int64)).to_pandas()
    if unit == "person":
        tool.svyset(weight="n_members")
    # mpitb compares c_i >= k/100 without tolerance, so k sits a hair below 25
    records = tool.est(table, "vn", klist=[24.9999], svy=unit == "person",
                       indmeasures=["hdk"], aux=[])
    theirs = {r["measure"]: r["b"] for r in records if "indicator" not in r}
    assert ours["H"] == pytest.approx(theirs["H"])
    assert ours["M0"] == pytest.approx(theirs["M0"])
    if ours["H"]:
        assert ours["A"] == pytest.approx(theirs["A"])
    for r in records:
        if r.get("indicator") and r["measure"] == "hdk":
            assert ours["censored_headcount"][r["indicator"]] == pytest.approx(r["b"])
