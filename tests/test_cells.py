"""Cells of officers' workbooks: dates, numbers and yes/no the Vietnamese ways."""

import datetime as dt

import pytest

from giamngheo.cells import (
    CellError,
    parse_bool,
    parse_choice,
    parse_choices,
    parse_date,
    parse_decimal,
    parse_int,
)

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize("cell, day", [
    ("15/10/2024", dt.date(2024, 10, 15)), ("5/3/1990", dt.date(1990, 3, 5)),
    ("05-03-1990", dt.date(1990, 3, 5)), ("05.03.1990", dt.date(1990, 3, 5)),
    ("5/3/90", dt.date(1990, 3, 5)), ("3/9/15", dt.date(2015, 9, 3)),
    ("1/1/26", dt.date(2026, 1, 1)), ("1/1/27", dt.date(1927, 1, 1)),
    ("2024-10-15", dt.date(2024, 10, 15)), ("2024-10-15 00:00:00", dt.date(2024, 10, 15)),
    ("45580", dt.date(2024, 10, 15)), (" 15/10/2024 ", dt.date(2024, 10, 15)),
])
def test_dates(cell, day):
    assert parse_date(cell, today=TODAY) == day


@pytest.mark.parametrize("cell", ["31/02/1990", "15/13/2024", "hôm qua", "2024/10/15 12:30",
                                  "1990"])
def test_not_dates(cell):
    with pytest.raises(CellError) as error:
        parse_date(cell, today=TODAY)
    assert error.value.key == "cell.not_date" and error.value.fields["value"] == cell


@pytest.mark.parametrize("cell, value", [
    ("1500000", 1_500_000), ("1.500.000", 1_500_000), ("1,500,000", 1_500_000),
    ("1 500 000", 1_500_000), ("1500000.0", 1_500_000), ("0", 0)])
def test_whole_numbers(cell, value):
    assert parse_int(cell) == value


@pytest.mark.parametrize("cell", ["1.5", "1.500.00", "-5", "1,5", "một triệu", "1e6"])
def test_not_whole_numbers(cell):
    with pytest.raises(CellError):
        parse_int(cell)


@pytest.mark.parametrize("cell, value", [("18,5", 18.5), ("18.5", 18.5), ("1.234,5", 1234.5),
                                         ("1,234.5", 1234.5), ("45", 45.0)])
def test_decimals(cell, value):
    assert parse_decimal(cell) == value


@pytest.mark.parametrize("cell", ["abc", "nan", "inf", ""])
def test_not_decimals(cell):
    with pytest.raises(CellError):
        parse_decimal(cell)


def test_yes_no_and_choices():
    assert [parse_bool(c) for c in ("Có", "co", "x", "1", "Không", "KHÔNG", "0")] == [
        True, True, True, True, False, False, False]
    with pytest.raises(CellError):
        parse_bool("có lẽ")
    sexes = {"male": "nam", "female": "nữ"}
    assert parse_choice("Nữ", sexes) == "female" == parse_choice("nu", sexes)
    assert parse_choice("male", sexes) == "male"
    assert parse_choices("nam; Nữ,", sexes) == ["male", "female"]
    causes = {"illness": "Ốm đau, tai nạn", "land": "Không có đất", "other": "Khác"}
    # a label holding a comma is read whole, written with semicolons or commas between labels
    for cell in ("Ốm đau, tai nạn; Khác", "Không có đất, Ốm đau, tai nạn", "om dau, tai nan"):
        assert parse_choices(cell, causes) == {
            "Ốm đau, tai nạn; Khác": ["illness", "other"],
            "Không có đất, Ốm đau, tai nạn": ["land", "illness"],
            "om dau, tai nan": ["illness"]}[cell]
    with pytest.raises(CellError):
        parse_choices("Ốm đau; tai nạn", causes)
    with pytest.raises(CellError) as error:
        parse_choice("khác", sexes)
    assert error.value.fields["choices"] == "nam, nữ"
