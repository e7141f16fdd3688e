"""The scalar and batch engines give the same result, field for field, reasons included."""

from hypothesis import HealthCheck, given, settings

from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_many
from giamngheo.household import validate_household
from tests.strategies import household_lists

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(household_lists())
def test_batch_equals_scalar_vi(records):
    for record in records:
        assert validate_household(record) == []
    assert classify_many(records) == [classify_record(r) for r in records]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household_lists(max_size=3))
def test_batch_equals_scalar_en_and_forced_standard(records):
    for standard in (None, "vn-2027-2030"):
        batch = classify_many(records, standard_id=standard, lang="en")
        assert batch == [classify_record(r, standard_id=standard, lang="en") for r in records]
