"""Registry households: the contract record, classification by the engine, history, ID numbers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from giamngheo.engine.classify import classify_record
from giamngheo.household import validate_household
from giamngheo.web.households.models import Household, Member
from giamngheo.web.households.validators import check_id_number, mask_id_number
from giamngheo.web.units.loading import load_units_file
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db
EXAMPLE = json.loads((Path(__file__).parents[2] / "examples" / "households.json")
                     .read_text(encoding="utf-8"))[1]
REVIEW_DAY = dt.date(2024, 10, 15)


@pytest.fixture
def ta_lai():
    load_units_file()
    return Unit.objects.get(level="commune", code="26131")


def household_from_example(commune) -> Household:
    """The example household TP-26131-0002 entered in the registry (synthetic)."""
    dwelling, info = EXAMPLE["dwelling"], EXAMPLE["information"]
    household = Household.objects.create(
        code=EXAMPLE["id"], commune=commune, area="rural", has_dwelling=True,
        walls=dwelling["walls"], frame=dwelling["frame"], roof=dwelling["roof"],
        floor_area_m2=dwelling["floor_area_m2"], water_source=dwelling["water_source"],
        latrine=dwelling["latrine"], uses_internet=info["uses_internet"],
        devices=info["devices"], income_annual_total=EXAMPLE["income"]["annual_total"])
    names = ["K' Điểu", "Ka Thị Bền", "K' Tâm", "Ka Hoa"]
    for position, (m, name) in enumerate(zip(EXAMPLE["members"], names, strict=True), 1):
        fields = {k: v for k, v in m.items() if k not in ("id", "birth_date")}
        Member.objects.create(household=household, position=position, full_name=name,
                              birth_date=dt.date.fromisoformat(m["birth_date"]), **fields)
    return household


def test_the_registry_household_is_the_contract_record(ta_lai):
    household = household_from_example(ta_lai)
    record = household.to_record(REVIEW_DAY)
    assert validate_household(record) == []
    expected = {k: v for k, v in EXAMPLE.items() if k != "extra"}
    assert record == expected


def test_classification_comes_from_the_engine(ta_lai):
    household = household_from_example(ta_lai)
    with translation.override("vi"):
        result = household.classify(REVIEW_DAY)
    assert result == classify_record(EXAMPLE | {"extra": {}})
    assert result["classification"] == "poor" and result["poor_group"] == "A"
    with translation.override("en"):
        assert household.classify(REVIEW_DAY)["reasons"][0].startswith("employment: member 1")


def test_every_change_is_kept_with_the_previous_values(ta_lai):
    household = household_from_example(ta_lai)
    household.income_annual_total = 90_000_000
    household.save()
    household.status, household.left_on = Household.Status.MOVED, dt.date(2025, 2, 1)
    household.save()
    history = list(household.history.order_by("history_date"))
    assert [h.income_annual_total for h in history] == [54_000_000, 90_000_000, 90_000_000]
    assert history[-1].status == "moved"
    assert Household.objects.filter(pk=household.pk).exists()  # leaving is not deleting


def test_a_household_must_say_when_it_left_and_give_one_income(ta_lai):
    household = household_from_example(ta_lai)
    household.status = Household.Status.DIED
    with pytest.raises(ValidationError, match="ngày hộ ra khỏi danh sách"):
        household.full_clean()
    household.status = Household.Status.ACTIVE
    household.income_b1_score = 120
    with pytest.raises(ValidationError, match="Chỉ ghi một căn cứ thu nhập"):
        household.full_clean()


def test_id_numbers_in_english_too():
    with translation.override("en"), pytest.raises(ValidationError, match="exactly 12 digits"):
        check_id_number("12345")


def test_id_numbers():
    check_id_number("075084001234", dt.date(1984, 5, 1), "male")
    check_id_number("075184001234", dt.date(1984, 5, 1), "female")
    check_id_number("075305001234", dt.date(2005, 1, 1), "female")
    for bad in ("07508400123", "07508400123x", "099084001234", "075984001234"):
        with pytest.raises(ValidationError):
            check_id_number(bad)
    with pytest.raises(ValidationError, match="không khớp với năm sinh 1985"):
        check_id_number("075084001234", dt.date(1985, 5, 1), "male")
    with pytest.raises(ValidationError, match="không khớp với giới tính"):
        check_id_number("075084001234", dt.date(1984, 5, 1), "female")
    assert mask_id_number("075084001234") == "075******234"


def test_member_id_number_is_checked_against_birth_and_sex(ta_lai):
    household = household_from_example(ta_lai)
    member = household.members.get(position=2)  # a woman born in 1990
    member.id_number = "075090001234"
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "id_number" in error.value.message_dict
    member.id_number = "075190001234"
    member.full_clean()
    assert member.masked_id_number == "075******234"
