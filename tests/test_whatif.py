"""The what-if of another standard (issue 16 §1): the households it reports as changed are
exactly those whose results differ when the engine classifies the records under each
standard; the reasons come from the two parameter files; nothing is left out."""

from __future__ import annotations

import io
import textwrap

import orjson
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from giamngheo.cli import main
from giamngheo.engine.records import classify_many
from giamngheo.population import from_records
from giamngheo.rules.parameters import default_registry, load_registry
from giamngheo.whatif import differences, what_if, write_xlsx
from tests.strategies import household_lists

SETTINGS = settings(derandomize=True, deadline=None, max_examples=60,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# A standard as the final draft of 2027-2030 is described: information devices dropped,
# a new indicator, dependants redefined (the new indicator reads the latrine here, so that
# every generated record has the field).
DRAFT = """
    id: test-draft
    extends: vn-2022-2025
    name: {vi: Dự thảo thử nghiệm, en: Test draft}
    display_name: {vi: Dự thảo thử nghiệm 2031-2035, en: Test draft 2031-2035}
    kind: national
    valid_from: 2031-01-01
    valid_until: 2035-12-31
    source: test fixture
    legal_basis: Văn bản thử nghiệm
    parameters:
      income_line: {value: {rural: 2200000, urban: 2800000}, source: test,
                    legal_basis: Văn bản thử nghiệm, verified: false}
    indicators:
      information_assets: null
      dependants:
        params:
          ratio_above: 0.5
          groups: [{age_under: 16}, {social_allowance: true}]
      sanitation:
        dimension: water_sanitation
        label: {vi: Vệ sinh môi trường, en: Sanitation}
        rule: dwelling_value_not_in
        params:
          field: latrine
          accepted: [septic]
          when_no_dwelling: unknown
          reason: {vi: "không hợp vệ sinh ({value})", en: "unsafe ({value})"}
        source: test
        legal_basis: Văn bản thử nghiệm
        verified: false
    """


def draft_registry(tmp_path):
    (tmp_path / "draft.yaml").write_text(textwrap.dedent(DRAFT), encoding="utf-8")
    return load_registry(tmp_path)


def expected_changes(before, after):
    """id → (class before, class after) of the households whose results differ between two
    ``classify_many`` results of the same records."""
    return {a["id"]: (a["classification"], b["classification"])
            for a, b in zip(before, after, strict=True) if "errors" not in a and (
                a["classification"], a["poor_group"]) != (b["classification"], b["poor_group"])}


@SETTINGS
@given(household_lists(max_size=8))
def test_changed_households_are_exactly_those_whose_results_differ(records):
    registry = default_registry()  # read only: loaded once, not for each example
    before = classify_many(records, registry)
    for standard in ("vn-2027-2030", "vn-2022-2025"):
        result = what_if(from_records(records), standard, registry=registry)
        after = classify_many(records, registry, standard_id=standard)
        changed = {r["id"]: (r["a_class"], r["b_class"])
                   for r in result.changed.iter_rows(named=True)}
        assert changed == expected_changes(before, after)
        assert all(result.reasons(row) for row in result.changed.iter_rows(named=True))
        matrix = result.matrix()
        assert sum(sum(row.values()) for row in matrix.values()) == result.frame.height
        undecided = {r["id"] for r in after if r.get("classification") == "incomplete"}
        assert set(result.undecided.get_column("id").to_list()) == undecided


def test_reasons_come_from_the_parameter_files(tmp_path):
    registry = draft_registry(tmp_path)
    d = differences(registry.get("vn-2022-2025"), registry.get("test-draft"))
    assert d.added == ("sanitation",)
    assert d.dropped == ("information_assets",)
    assert d.redefined == ("dependants",)
    assert d.parameters == ("income_line",)
    assert d.as_dict("vi")["parameters"] == [{"name": "income_line",
                                              "label": "chuẩn nghèo thu nhập"}]


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """The registry with the test draft (read only): loaded once for the module."""
    return draft_registry(tmp_path_factory.mktemp("draft"))


@settings(derandomize=True, deadline=None, max_examples=40,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(records=household_lists(max_size=8))
def test_each_reason_is_a_difference_the_household_shows(draft, records):
    registry = draft
    result = what_if(from_records(records), "test-draft", registry=registry)
    assert set(result.changed.get_column("id").to_list()) == set(expected_changes(
        classify_many(records, registry), classify_many(records, registry,
                                                        standard_id="test-draft")))
    for row in result.changed.iter_rows(named=True):
        for reason in result.reasons(row):
            kind, _, code = reason.partition(":")
            if kind == "added":
                assert row[f"b:{code}"] in (True, None)
            elif kind == "dropped":
                assert row[f"a:{code}"] in (True, None)
            elif kind in ("redefined", "parameter"):
                assert row[f"a:{code}"] != row[f"b:{code}"]
            elif kind == "income_line":
                assert row["a_income_poor"] != row["b_income_poor"]
        texts = result.reasons_text(row, "vi")
        assert len(texts) == len(result.reasons(row)) and all(texts)


def _record(code: str, **changes) -> dict:
    record = {"id": code, "reference_date": "2026-10-15", "area": "rural",
              "province_code": "75", "commune_code": "26131",
              "income": {"monthly_per_capita": 1_800_000},
              "dwelling": {"walls": "non_durable", "frame": "non_durable", "roof": "durable",
                           "floor_area_m2": 40, "water_source": "surface_water",
                           "latrine": "semi_septic"},
              "information": {"uses_internet": True, "devices": []},
              "members": [{"id": "1", "relation": "head", "birth_date": "1980-01-01",
                           "sex": "male", "employment": "self_employed",
                           "health_insurance": True, "education": "upper_secondary",
                           "in_education": False, "disability": "none",
                           "unable_to_work": False, "ethnicity": "Kinh"},
                          {"id": "2", "relation": "child", "birth_date": "2012-05-01",
                           "sex": "female", "employment": "student", "education": "primary",
                           "health_insurance": True,
                           "in_education": True, "school_level": "lower_secondary",
                           "disability": "none", "unable_to_work": False,
                           "stunted": False, "underweight": False}]}
    record.update(changes)
    return record


def test_a_household_explained_and_what_to_ask(tmp_path):
    registry = draft_registry(tmp_path)
    moved = _record("TP-1")  # 1,800,000: above the old line, under the new one
    undecided = _record("TP-2", dwelling={"walls": "non_durable", "frame": "non_durable",
                                          "roof": "durable", "floor_area_m2": 40,
                                          "water_source": "surface_water"})
    # a card matters for the grandmother, not for the toddler: only she is asked about
    undecided["members"] += [
        {"id": "3", "relation": "grandchild", "birth_date": "2024-01-01", "sex": "male",
         "stunted": False, "underweight": False, "in_education": False},
        {"id": "4", "relation": "parent", "birth_date": "1950-01-01", "sex": "female",
         "employment": "not_in_labour_force", "education": "primary", "in_education": False,
         "disability": "none", "unable_to_work": False}]
    result = what_if(from_records([moved, undecided]), "test-draft", "vn-2022-2025",
                     registry)
    report = result.report("vi")
    changed = {r["id"]: r for r in report["changed"]}
    assert changed["TP-1"]["from"] == "average" and changed["TP-1"]["to"] == "poor"
    assert "income_line" in changed["TP-1"]["reasons"]
    assert "added:sanitation" in changed["TP-1"]["reasons"]
    assert "dropped:information_assets" in changed["TP-1"]["reasons"]
    # the standards named as people know them, never by their codes
    assert "chuẩn nghèo thu nhập thay đổi: thu nhập 1.800.000 đồng/người/tháng so với chuẩn " \
           "1.500.000 theo Chuẩn nghèo đa chiều 2022-2025 (NĐ 07/2021/NĐ-CP) và 2.200.000 " \
           "theo Dự thảo thử nghiệm 2031-2035" in changed["TP-1"]["explanation"]
    assert not any("vn-2022-2025" in text or "test-draft" in text
                   for row in report["changed"] for text in row["explanation"])
    asked = {r["id"]: r for r in report["undecided"]}
    assert asked["TP-2"]["unknown"] == ["health_insurance", "latrine", "sanitation"]
    assert asked["TP-2"]["ask"] == [
        {"field": "members.health_insurance", "question": "Có thẻ BHYT? (thành viên 4)"},
        {"field": "dwelling.latrine", "question": "Loại nhà tiêu"}]
    assert report["matrix"]["average"]["poor"] == 1


def test_workbook_writes_text_as_text(tmp_path):
    record = _record("=HYPERLINK(\"http://x\",\"bấm\")")
    report = what_if(from_records([record]), "vn-2027-2030", "vn-2022-2025").report()
    target = io.BytesIO()
    write_xlsx(report, target)
    sheets = pl.read_excel(target.getvalue(), sheet_id=0)
    changed = sheets["Hộ thay đổi"]
    assert changed.row(0)[0] == "=HYPERLINK(\"http://x\",\"bấm\")"
    assert set(sheets) == {"Tổng hợp", "Ma trận chuyển đổi", "Theo xã", "Theo nhóm A-B",
                           "Theo dân tộc", "Hộ thay đổi", "Hộ cần bổ sung thông tin"}


def test_command(tmp_path, capsys):
    path = tmp_path / "records.json"
    path.write_bytes(orjson.dumps([_record("TP-1"), {"id": "bad"}]))
    status = main(["whatif", str(path), "--standard", "vn-2027-2030"])
    out = orjson.loads(capsys.readouterr().out)
    assert status == 1  # a record was rejected; it is listed, the others are answered
    assert out["changed_count"] == 1 and out["rejected"][0]["id"] == "bad"
    assert out["run"]["inputs_sha256"] and out["against"] == ["vn-2022-2025"]
    assert main(["whatif", str(path), "--standard", "nope"]) == 2
    assert main(["whatif", str(path), "--standard", "vn-2027-2030", "-o",
                 str(tmp_path / "w.xlsx")]) == 1
    assert (tmp_path / "w.xlsx").stat().st_size > 0


def test_command_on_tables(tmp_path, capsys):
    """A province's tables (Parquet) rather than records: the same answers."""
    from giamngheo.tables import records_to_tables

    records = [_record("TP-1"), _record("TP-2", income={"monthly_per_capita": 1_000_000})]
    households, members = records_to_tables(records)
    households.write_parquet(tmp_path / "h.parquet")
    members.write_parquet(tmp_path / "m.parquet")
    assert main(["whatif", str(tmp_path / "h.parquet"), "--members",
                 str(tmp_path / "m.parquet"), "--standard", "vn-2027-2030"]) == 0
    from_tables = orjson.loads(capsys.readouterr().out)
    path = tmp_path / "records.json"
    path.write_bytes(orjson.dumps(records))
    assert main(["whatif", str(path), "--standard", "vn-2027-2030"]) == 0
    from_json = orjson.loads(capsys.readouterr().out)
    for key in ("matrix", "totals", "changed", "undecided", "by_commune"):
        assert from_tables[key] == from_json[key]
    assert main(["allocate", str(tmp_path / "h.parquet"), "--members",
                 str(tmp_path / "m.parquet"), "--budget", "100000000", "--no-compare"]) == 0
    assert orjson.loads(capsys.readouterr().out)["households_lifted"] == 1  # TP-2
