"""Situation tests as data (OpenFisca style): every case of tests/cases/*.yaml runs through
the scalar engine and the batch engine, which must both meet the expectation."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_many
from giamngheo.rules.parameters import default_registry
from giamngheo.rules.scorecard import load_scorecard

CASES_DIR = Path(__file__).parent / "cases"
ABSENT = "absent"


def merge(base: dict, override: dict) -> dict:
    """``base`` with the keys of ``override``; the value ``absent`` removes the key (to leave a
    field unrecorded), while null stays null (``"dwelling": null`` means no dwelling)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value == ABSENT:
            out.pop(key, None)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build_record(defaults: dict, case_household: dict) -> dict:
    case_household = dict(case_household or {})
    added = case_household.pop("add_members", [])
    record = merge(defaults["household"], case_household)
    member_defaults = defaults.get("member", {})
    record["members"] = [merge(member_defaults, m) for m in record["members"] + added]
    return record


def load_cases():
    base = yaml.safe_load((CASES_DIR / "_base.yaml").read_text(encoding="utf-8"))
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        own = data.get("defaults", {})
        defaults = {"household": merge(base["household"], own.get("household", {})),
                    "member": merge(base["member"], own.get("member", {})),
                    "options": own.get("options", {})}
        for case in data["cases"]:
            yield pytest.param(defaults, case, id=f"{path.stem}: {case['name']}")


def check(actual, expected, where="result"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing"
            check(actual[key], value, f"{where}.{key}")
        if not expected:
            assert actual == {}, f"{where}: expected empty, got {actual!r}"
    elif where.endswith(".reasons") or where.endswith(".errors"):
        for line in expected:
            assert line in actual, f"{where}: {line!r} not in {actual!r}"
    else:
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize(("defaults", "case"), list(load_cases()))
def test_case(defaults, case):
    options = merge(defaults.get("options", {}), case.get("options", {}))
    record = build_record(defaults, case.get("household", {}))
    scorecard = None
    if options.get("scorecard"):
        scorecard = load_scorecard(options["scorecard"], default_registry())
    kwargs = {"standard_id": options.get("standard"), "lang": options.get("lang", "vi"),
              "scorecard": scorecard}
    scalar = classify_record(record, **kwargs)
    batch = classify_many([record], **kwargs)[0]
    assert batch == scalar
    if "expect_errors" in case:
        assert "errors" in scalar, f"expected a rejection, got {scalar}"
        check(scalar, {"errors": case["expect_errors"]})
    else:
        assert "errors" not in scalar, scalar.get("errors")
        check(scalar, case["expect"])


def test_every_file_has_cases():
    assert len(list(load_cases())) > 100
