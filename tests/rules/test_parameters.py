"""Standards as data: loading, inheritance, the strict loader's refusals (file, line and key),
and a new standard without code."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_many
from giamngheo.rules.parameters import (
    STANDARDS_DIR,
    ParameterError,
    default_registry,
    load_registry,
    rule_values,
)
from giamngheo.rules.scorecard import SCORECARDS_DIR, load_scorecard

from ..test_cases import build_record, load_cases


def base_record():
    defaults, _ = next(iter(load_cases())).values
    return build_record(defaults, {})


def test_bundled_standards_and_their_periods():
    registry = default_registry()
    assert registry.national_for(dt.date(2026, 12, 31)).id == "vn-2022-2025"
    assert registry.national_for(dt.date(2027, 1, 1)).id == "vn-2027-2030"
    assert registry.national_for(dt.date(2021, 12, 31)) is None
    assert [s.id for s in registry.provincial_for(dt.date(2024, 1, 1), "75")] == \
        ["dong-nai-2022-2025"]
    assert registry.provincial_for(dt.date(2024, 1, 1), "01") == []


def test_every_value_carries_its_legal_basis_source_and_verified_mark():
    for standard in default_registry():
        assert len(standard.indicators) == 12
        assert standard.display_name("vi").startswith("Chuẩn nghèo đa chiều")
        assert standard.legal_basis
        for parameter in standard.parameters.values():
            assert parameter.source and parameter.legal_basis
        for indicator in standard.indicators:
            assert indicator.source and indicator.legal_basis and indicator.label["vi"]
    assert default_registry().get("vn-2022-2025").display_name("vi") == \
        "Chuẩn nghèo đa chiều 2022-2025 (NĐ 07/2021/NĐ-CP)"
    unverified = default_registry().get("vn-2022-2025").unverified()
    assert "parameters.cannot_work" in unverified and "indicators.water" in unverified
    assert "parameters.income_line" not in unverified


def test_the_2027_standard_ships_the_final_draft_unverified():
    later = default_registry().get("vn-2027-2030")
    assert later.codes == ("employment", "dependants", "nutrition", "health_insurance",
                           "adult_education", "child_school_attendance", "housing_quality",
                           "housing_area", "water", "latrine", "waste", "telecom")
    assert all(not i.verified and i.note.startswith("draft of Decree 351/2025")
               for i in later.indicators)
    assert later.income_line("rural") == 2_200_000 and later.average_upper("rural") is None
    assert later.score_line("rural") is None
    assert "dwelling.waste_disposal" in later.fields_read()
    assert "dwelling.waste_disposal" not in default_registry().get("vn-2022-2025").fields_read()


def test_retirement_age_table():
    s = default_registry().get("vn-2022-2025")
    assert s.retirement_months(2024, "male") == 61 * 12
    assert s.retirement_months(2024, "female") == 56 * 12 + 4
    assert s.retirement_months(2019, "male") == 60 * 12  # before the table: its first row
    assert s.retirement_months(2040, "female") == 60 * 12  # after: its last row


def write(directory, name, body):
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")


NEW_STANDARD = """
    id: vn-2031-2035
    extends: vn-2027-2030
    name: {vi: Chuẩn thử nghiệm 2031-2035, en: Test standard 2031-2035}
    display_name: {vi: Chuẩn thử nghiệm 2031-2035, en: Test standard 2031-2035}
    kind: national
    valid_from: 2031-01-01
    valid_until: 2035-12-31
    source: test fixture
    legal_basis: Văn bản thử nghiệm
    verified: false
    parameters:
      income_line:
        value: {rural: 3000000, urban: 3500000}
        source: test
        legal_basis: Văn bản thử nghiệm
        verified: false
    indicators:
      telecom: null
      information_assets:
        dimension: information
        label: {vi: Tiếp cận thông tin, en: Access to information}
        rule: no_device_in
        params: {devices: [smartphone, laptop]}
        source: test
        legal_basis: Văn bản thử nghiệm
        verified: false
    """


def test_a_new_standard_is_a_new_file(tmp_path):
    """A 2031 standard that drops telecom and brings back an information indicator."""
    write(tmp_path, "vn-2031-2035.yaml", NEW_STANDARD)
    registry = load_registry(tmp_path)
    standard = registry.get("vn-2031-2035")
    assert standard.codes[-3:] == ("latrine", "waste", "information_assets")
    assert "telecom" not in standard.codes
    assert standard.retirement_months(2031, "female") == 58 * 12 + 8
    record = base_record()
    record.update(reference_date="2031-06-01", income={"monthly_per_capita": 2_900_000})
    record["dwelling"]["waste_disposal"] = "burned_open"
    record["information"]["devices"] = ["tv"]
    result = classify_record(record, registry, lang="en")
    assert result["standard"] == "vn-2031-2035"
    assert result["deprivations"]["waste"] is True
    assert result["deprivations"]["information_assets"] is True
    assert "information_assets: the household has none of the information devices " \
           "(smartphone, laptop)" in result["reasons"]
    assert classify_many([record], registry, lang="en") == [result]


@pytest.mark.parametrize(("change", "message"), [
    # a key written twice: YAML would keep the second silently
    (("verified: false\n", "verified: false\nverified: true\n"),
     r"vn-2031-2035.yaml line 11: key 'verified' appears twice in this mapping "
     r"\(first at vn-2031-2035.yaml line 10\)"),
    # verified: "false" is a string, which Python takes as true
    (("    verified: false\nindicators", '    verified: "false"\nindicators'),
     r"vn-2031-2035.yaml line 16: parameters.income_line.verified: 'false' is not true "
     r"or false"),
    # a misspelt override key
    (("indicators:\n", "indicator:\n"),
     r"vn-2031-2035.yaml line 17: indicator: unknown standard key; known: id, extends"),
    (("    params: {devices", "    parms: {devices"),
     r"vn-2031-2035.yaml line 23: indicators.information_assets.parms: unknown indicator "
     r"key"),
    # an unknown parameter name
    (("  income_line:\n", "  income_lines:\n"),
     r"vn-2031-2035.yaml line 12: parameters.income_lines: unknown parameter; known: "
     r"income_line, average_upper"),
    # an unknown parameter of a rule, and a value outside the record's vocabulary
    (("{devices: [smartphone, laptop]}", "{devices: [smartphone], list: [tv]}"),
     r"vn-2031-2035.yaml line 23: indicators.information_assets.params.list: not a "
     r"parameter of rule no_device_in"),
    (("{devices: [smartphone, laptop]}", "{devices: [smartphone, fax]}"),
     r"vn-2031-2035.yaml line 23: indicators.information_assets.params: devices: fax not "
     r"among tv, radio"),
    (("rule: no_device_in", "rule: magic"),
     r"vn-2031-2035.yaml line 22: indicators.information_assets.rule: unknown rule 'magic'"),
    (("  telecom: null\n", "  telecom: null\n  radio: null\n"),
     r"vn-2031-2035.yaml line 19: indicators.radio: drops an indicator the standard does "
     r"not have"),
    (("value: {rural: 3000000, urban: 3500000}", "value: {rural: 3000000}"),
     r"vn-2031-2035.yaml line 13: parameters.income_line.value: needs rural and urban"),
    (("valid_from: 2031-01-01", "valid_from: 2026-01-01"), "overlap"),
    (("extends: vn-2027-2030", "extends: nothing"),
     r"vn-2031-2035.yaml line 2: extends: unknown standard 'nothing'"),
    (("kind: national", "kind: provincial"), "needs province_code"),
    (("laptop]}\n    source: test\n    legal_basis: Văn bản thử nghiệm\n",
      "laptop]}\n    source: test\n"),
     r"vn-2031-2035.yaml line 20: indicators.information_assets: missing key 'legal_basis'"),
])
def test_the_loader_refuses_what_it_does_not_understand(tmp_path, change, message):
    old, new = change
    body = textwrap.dedent(NEW_STANDARD).lstrip()
    assert old in body
    (tmp_path / "vn-2031-2035.yaml").write_text(body.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_registry(tmp_path)


def test_not_valid_yaml_is_named(tmp_path):
    (tmp_path / "x.yaml").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ParameterError, match="x.yaml: not valid YAML"):
        load_registry(tmp_path)


def test_the_bundled_files_are_read_strictly_too(tmp_path, monkeypatch):
    text = (STANDARDS_DIR / "vn-2022-2025.yaml").read_text(encoding="utf-8")
    broken = text.replace("      min_non_durable: 2\n", "      min_non_durable: 2\n"
                          "      min_non_durable: 3\n")
    monkeypatch.setattr("giamngheo.rules.parameters.STANDARDS_DIR", tmp_path)
    for name in ("vn-2027-2030.yaml", "dong-nai-2022-2025.yaml"):
        (tmp_path / name).write_text((STANDARDS_DIR / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "vn-2022-2025.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ParameterError, match="key 'min_non_durable' appears twice"):
        load_registry()


def test_small_parameter_files_refuse_a_string_verified(tmp_path, monkeypatch):
    (tmp_path / "benefits.yaml").write_text(
        "newly_escaped_months:\n  credit:\n    value: 36\n    source: s\n"
        "    verified: 'true'\n", encoding="utf-8")
    monkeypatch.setattr("giamngheo.rules.parameters.__file__", str(tmp_path / "x.py"))
    rule_values.cache_clear()
    try:
        with pytest.raises(ParameterError, match=r"benefits.yaml line 5: "
                                                 r"newly_escaped_months.credit.verified"):
            rule_values("benefits.yaml", "newly_escaped_months")
    finally:
        rule_values.cache_clear()


def test_example_scorecard_is_labelled_and_complete():
    card = load_scorecard("example", default_registry())
    assert card.illustration
    assert "MINH HỌA" in card.notice["vi"] and "not the official" in card.notice["en"]
    assert card.column("rural", "75") == "southeast"
    assert card.column("urban", None) == "urban"
    answers = {item: next(iter(spec["options"])) for item, spec in card.items.items()}
    assert card.score(answers, "rural", "75") == 75 + 34 + 0 + 0 + 0 + 0


def test_scorecard_validation(tmp_path):
    text = (SCORECARDS_DIR / "example.yaml").read_text(encoding="utf-8")
    broken = text.replace("southeast: 34, mekong_delta: 32, urban: 36}",
                          "mekong_delta: 32, urban: 36}", 1)
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"points missing for \['southeast'\]"):
        load_scorecard(tmp_path / "broken.yaml")
    wrong_line = text.replace("score_lines: {rural: 140, urban: 175}",
                              "score_lines: {rural: 150, urban: 175}")
    (tmp_path / "line.yaml").write_text(wrong_line, encoding="utf-8")
    with pytest.raises(ParameterError, match="differs from vn-2022-2025"):
        load_scorecard(tmp_path / "line.yaml", default_registry())
