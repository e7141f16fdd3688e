"""The review questionnaire as an XLSForm, derived from the record's field declarations: every
field and value of the record, Vietnamese and English labels, constraints that mirror the
validation; it converts with pyxform and passes ODK Validate (Java)."""

from __future__ import annotations

import re
import subprocess
import sys

import fastexcel
import pytest
from pyxform.xls2xform import convert

from giamngheo import record
from giamngheo.rules.parameters import default_registry
from giamngheo.rules.scorecard import load_scorecard
from giamngheo.xlsform import NAMES, build_xlsform


def sheets_of(path):
    book = fastexcel.read_excel(str(path))
    return {name: book.load_sheet(name, dtypes="string").to_polars()
            for name in book.sheet_names}


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "phieu.xlsx"
    build_xlsform(path, load_scorecard("example", default_registry()))
    return path, sheets_of(path)


def test_it_converts_and_passes_odk_validate(form):
    path, _sheets = form
    result = convert(xlsform=str(path), validate=True)
    xform = result.xform
    assert "regex(., '^[0-9]{12}$')" in xform
    assert re.search(r'constraint=" /data/heads\s+= 1"', xform)
    assert "Mã hộ" in xform and "Household code" in xform
    assert "position(..)" in xform
    assert "Rác thải sinh hoạt của hộ được xử lý thế nào?" in xform


def test_every_field_and_value_of_the_record_is_asked(form):
    _path, sheets = form
    survey = sheets["survey"]
    names = set(survey["name"].drop_nulls())
    wanted = {NAMES.get(f.name, f.name) for f in record.FIELDS.values() if f.path != "members.id"}
    assert wanted <= names
    values = {(row["list_name"], row["name"]) for row in sheets["choices"].iter_rows(named=True)}
    for f in record.FIELDS.values():
        if f.vocabulary is not None:
            assert {(f.vocabulary.name, code) for code in f.codes} <= values, f.path
    assert ("income_evidence", "b1_items") in values
    assert {"b1_household_size"} <= names  # an item of the loaded scorecard
    labels = dict(zip(sheets["choices"]["name"], sheets["choices"]["label::Tiếng Việt (vi)"],
                      strict=True))
    assert labels["piped"] == "nước máy" and labels["dumped"] == "vứt ra đất trống, sông, suối"


def test_the_waste_question_and_its_constraints(form):
    _path, sheets = form
    rows = {row["name"]: row for row in sheets["survey"].iter_rows(named=True)}
    waste = rows["waste_disposal"]
    assert waste["type"] == "select_one waste_disposal"
    assert waste["relevant"] == "${has_dwelling} = 'yes'"
    assert rows["floor_area_m2"]["constraint"] == ". >= 0 and . <= 10000"
    assert rows["stunted"]["relevant"] == f"${{age}} < {record.NUTRITION_AGE_LIMIT}"
    assert rows["school_level"]["relevant"] == "${in_education} = 'yes'"
    assert rows["monthly_per_capita"]["constraint"] == f". >= 0 and . <= {record.MAX_AMOUNT}"


def test_the_waste_question_is_asked_only_for_a_standard_that_reads_it(tmp_path):
    registry = default_registry()
    for standard, expected in (("vn-2022-2025", False), ("vn-2027-2030", True)):
        path = tmp_path / f"{standard}.xlsx"
        build_xlsform(path, standards=[registry.get(standard)])
        names = set(sheets_of(path)["survey"]["name"].drop_nulls())
        assert ("waste_disposal" in names) is expected, standard
        assert "water_source" in names


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
                           "--standard", "vn-2027-2030", "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Đã ghi biểu mẫu XLSForm" in done.stdout and out.stat().st_size > 5000
    assert "waste_disposal" in set(sheets_of(out)["survey"]["name"].drop_nulls())
