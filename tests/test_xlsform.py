"""The review questionnaire as an XLSForm: every field and value of the record, Vietnamese and
English labels, constraints that mirror the validation; it converts with pyxform and passes ODK
Validate (Java)."""

from __future__ import annotations

import re
import subprocess
import sys

import fastexcel
import pytest
from pyxform.xls2xform import convert

from giamngheo import household as contract
from giamngheo.rules.parameters import default_registry
from giamngheo.rules.scorecard import load_scorecard
from giamngheo.xlsform import build_xlsform


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "phieu.xlsx"
    build_xlsform(path, load_scorecard("example", default_registry()))
    book = fastexcel.read_excel(str(path))
    sheets = {name: book.load_sheet(name, dtypes="string").to_polars()
              for name in book.sheet_names}
    return path, sheets


def test_it_converts_and_passes_odk_validate(form):
    path, _sheets = form
    result = convert(xlsform=str(path), validate=True)
    xform = result.xform
    assert "regex(., '^[0-9]{12}$')" in xform
    assert re.search(r'constraint=" /data/heads\s+= 1"', xform)
    assert "Mã hộ" in xform and "Household code" in xform
    assert "position(..)" in xform


def test_every_field_and_value_of_the_record_is_asked(form):
    _path, sheets = form
    names = set(sheets["survey"]["name"].drop_nulls())
    wanted = {*contract.DWELLING_FIELDS, *contract.INFORMATION_FIELDS, "area",
              "reference_date", "province_code", "commune_code",
              *(f for f in contract.MEMBER_FIELDS if f != "id"),
              *(k for k in contract.INCOME_KINDS if k != "b1_items")}
    assert wanted <= names
    choices = sheets["choices"]
    values = {(row["list_name"], row["name"]) for row in choices.iter_rows(named=True)}
    for list_name, allowed in [("water_source", contract.WATER_SOURCES),
                               ("latrine", contract.LATRINES), ("devices", contract.DEVICES),
                               *contract.MEMBER_ENUMS.items()]:
        assert {(list_name, v) for v in allowed} <= values, list_name
    assert ("income_evidence", "b1_items") in values
    assert {"b1_household_size"} <= names  # an item of the loaded scorecard
    labels = dict(zip(choices["name"], choices["label::Tiếng Việt (vi)"], strict=True))
    assert labels["piped"] == "nước máy"


def test_a_wrong_expression_is_caught_by_odk_validate(form, tmp_path):
    import xlsxwriter

    path = tmp_path / "hong.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("survey").write_row(0, 0, ["type", "name", "label", "calculation"])
    book.worksheets()[0].write_row(1, 0, ["calculate", "x", "", "bogus_function(1)"])
    book.close()
    with pytest.raises(Exception, match="bogus_function"):
        convert(xlsform=str(path), validate=True)


def test_the_command(tmp_path):
    out = tmp_path / "phieu.xlsx"
    done = subprocess.run([sys.executable, "-m", "giamngheo.cli", "xlsform", "-o", str(out),
                           "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi biểu mẫu XLSForm" in done.stdout and out.stat().st_size > 5000
