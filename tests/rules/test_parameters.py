"""Standards as data: loading, inheritance, validation, and a new standard without code."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_many
from giamngheo.rules.parameters import ParameterError, default_registry, load_registry
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


def test_every_value_carries_source_and_verified_mark():
    for standard in default_registry():
        assert len(standard.indicators) == 12
        for parameter in standard.parameters.values():
            assert parameter.source
        for indicator in standard.indicators:
            assert indicator.source and indicator.label["vi"]
    later = default_registry().get("vn-2027-2030")
    assert all(not i.verified for i in later.indicators)
    assert later.income_line("rural") == 2_200_000 and later.average_upper("rural") is None
    unverified = default_registry().get("vn-2022-2025").unverified()
    assert "parameters.cannot_work" in unverified and "indicators.water" in unverified
    assert "parameters.income_line" not in unverified


def test_retirement_age_table():
    s = default_registry().get("vn-2022-2025")
    assert s.retirement_months(2024, "male") == 61 * 12
    assert s.retirement_months(2024, "female") == 56 * 12 + 4
    assert s.retirement_months(2019, "male") == 60 * 12  # before the table: its first row
    assert s.retirement_months(2040, "female") == 60 * 12  # after: its last row


def write(directory, name, body):
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")


def test_a_new_standard_is_a_new_file(tmp_path):
    """A 2031 standard that drops one indicator, merges information ones and adds waste."""
    write(tmp_path, "vn-2031-2035.yaml", """
        id: vn-2031-2035
        extends: vn-2027-2030
        name: {vi: Chuẩn thử nghiệm 2031-2035, en: Test standard 2031-2035}
        kind: national
        valid_from: 2031-01-01
        valid_until: 2035-12-31
        source: test fixture
        verified: false
        parameters:
          income_line: {value: {rural: 3000000, urban: 3500000}, source: test, verified: false}
        indicators:
          telecom: null
          information_assets:
            label: {vi: Tiếp cận thông tin, en: Access to information}
            params: {devices: [smartphone, laptop]}
          waste:
            dimension: water_sanitation
            label: {vi: Xử lý rác thải, en: Waste treatment}
            rule: dwelling_value_not_in
            params:
              field: latrine
              accepted: [septic]
              when_no_dwelling: unknown
              reason: {vi: "xử lý không hợp vệ sinh ({value})", en: "unsafe ({value})"}
            source: test
            verified: false
        """)
    registry = load_registry(tmp_path)
    standard = registry.get("vn-2031-2035")
    assert standard.codes[-2:] == ("information_assets", "waste")
    assert "telecom" not in standard.codes
    assert standard.retirement_months(2031, "female") == 58 * 12 + 8
    record = base_record()
    record.update(reference_date="2031-06-01", income={"monthly_per_capita": 2_900_000})
    record["dwelling"]["latrine"] = "semi_septic"
    record["information"]["devices"] = ["tv"]
    result = classify_record(record, registry, lang="en")
    assert result["standard"] == "vn-2031-2035"
    assert result["deprivations"]["waste"] is True
    assert result["deprivations"]["information_assets"] is True
    assert "waste: unsafe (semi-septic tank)" in result["reasons"]
    assert classify_many([record], registry, lang="en") == [result]


@pytest.mark.parametrize(("body", "message"), [
    ("id: x\nkind: national\n", "missing parameter 'income_line'"),
    ("id: x\nextends: nothing\n", "extends unknown standard 'nothing'"),
    ("""id: x
extends: vn-2022-2025
kind: provincial
valid_from: 2020-01-01
""", "needs province_code"),
    ("""id: x
extends: vn-2022-2025
valid_from: 2031-01-01
valid_until: null
indicators:
  water: {rule: magic}
""", "unknown rule 'magic'"),
    ("""id: x
extends: vn-2022-2025
valid_from: 2031-01-01
parameters:
  income_line: {value: {rural: 1}, source: s, verified: true}
""", "income_line needs rural and urban"),
    ("""id: x
extends: vn-2022-2025
valid_from: 2026-01-01
""", "overlap"),
    ("[1, 2", "not valid YAML"),
])
def test_bad_parameter_files_name_the_problem(tmp_path, body, message):
    (tmp_path / "x.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_registry(tmp_path)


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


def test_both_engines_implement_every_rule_a_file_may_name():
    from giamngheo.engine import batch, indicators
    from giamngheo.rules.parameters import RULE_PARAMS

    assert set(indicators.RULES) == set(RULE_PARAMS) == batch.ALL_RULES
