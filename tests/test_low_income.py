"""Low-income workers (Decree 30/2025): the thresholds as dated parameters, and whether a
household's income qualifies, in the scalar and the vectorised form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from giamngheo.engine.batch import prepare
from giamngheo.low_income import low_income, low_income_expr, threshold_on, thresholds
from giamngheo.rules.yamlfile import ParameterError
from giamngheo.tables import records_to_tables
from tests.strategies import household_lists


def household(**changes):
    record = {"id": "H", "reference_date": "2025-10-15", "area": "rural",
              "income": {"monthly_per_capita": 2_250_000},
              "members": [{"id": "1", "relation": "head", "birth_date": "1980-01-01",
                           "sex": "male"}]}
    record.update(changes)
    return record


@pytest.mark.parametrize(("changes", "qualifies"), [
    ({}, True),
    ({"income": {"monthly_per_capita": 2_250_001}}, False),
    ({"area": "urban", "income": {"monthly_per_capita": 3_000_000}}, True),
    ({"area": "urban", "income": {"monthly_per_capita": 3_000_001}}, False),
    ({"income": {"annual_total": 27_000_000}}, True),  # 2,250,000 a month
    ({"income": {"annual_total": 27_000_012}}, False),  # rounded up to 2,250,001
    ({"reference_date": "2026-12-31"}, True),  # with the 2022-2025 standard through 2026
    ({"reference_date": "2027-01-01"}, None),  # no threshold of 2027 yet
    ({"reference_date": "2025-02-23"}, None),
    ({"income": {"b1_score": 120}}, None),
])
def test_whether_the_income_qualifies(changes, qualifies):
    assert low_income(household(**changes)).qualifies is qualifies


def test_the_reason_in_both_languages():
    assert low_income(household()).reason == (
        "thu nhập bình quân 2.250.000 đồng/người/tháng, không quá 2.250.000 đồng (khu vực nông "
        "thôn): người lao động của hộ thuộc diện thu nhập thấp")
    assert low_income(household(reference_date="2027-03-01"), "en").reason == \
        "no low-income threshold is in force on 2027-03-01"


def test_the_thresholds_are_dated_parameters_with_their_legal_basis():
    found = threshold_on(dt.date(2025, 10, 15))
    assert found.value == {"rural": 2_250_000, "urban": 3_000_000}
    assert "30/2025/NĐ-CP" in found.legal_basis
    assert len(thresholds()) == 1


def test_a_bad_threshold_file_is_refused(tmp_path):
    path = tmp_path / "low_income.yaml"
    path.write_text("low_income_workers:\n  - valid_from: 2025-01-01\n    valid_until: "
                    "2026-12-31\n    value: {rural: 1}\n    source: s\n    legal_basis: b\n"
                    "    verified: true\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"low_income.yaml line 4: "
                                             r"low_income_workers\[0\].value"):
        thresholds(path)


@settings(max_examples=60)
@given(household_lists(max_size=6))
def test_the_two_forms_agree(records):
    households, members = prepare(*records_to_tables(records))
    marks = households.select(low_income_expr()).to_series().to_list()
    assert marks == [low_income(r).qualifies for r in records]
