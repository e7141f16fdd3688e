"""Plans as data: the seed plan's targets load; impossible targets are refused with a message;
actual values computed from classified households."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from giamngheo.engine.records import classify_many
from giamngheo.plans import PlanError, load_plan, load_taxonomy
from giamngheo.plans.actuals import actual
from giamngheo.rules.parameters import default_registry
from giamngheo.synthetic import synthetic_tables
from giamngheo.tables import tables_to_records


def test_the_seed_plan_loads_with_its_targets():
    plan = load_plan("tan-phu-73-2024")
    assert (plan.number, plan.date, plan.area) == ("73/KH-UBND", dt.date(2024, 2, 29), "734")
    targets = {t.id: t for t in plan.targets}
    # all the targets of the plan (sections II.2 of plan No. 73/KH-UBND)
    assert set(targets) == {"poor_group_a_reduction", "sustainable_employment",
                            "officers_trained", "job_counselling", "health_insurance",
                            "school_attendance", "safe_housing", "hygienic_water",
                            "hygienic_latrine", "telecom"}
    assert (targets["hygienic_water"].comparison, targets["hygienic_water"].value) == (">", 95)
    assert targets["poor_group_a_reduction"].comparison == "reduce_by_pct"
    assert targets["officers_trained"].method == "entered"
    assert not targets["telecom"].verified and targets["telecom"].note
    assert targets["hygienic_water"].label["vi"] == \
        "Hộ nghèo, cận nghèo sử dụng nước sinh hoạt hợp vệ sinh"


def test_the_plan_contents_tasks_and_program_taxonomy():
    plan = load_plan("tan-phu-73-2024")
    assert list(plan.contents) == ["1", "2", "3", "4.1", "4.2"]
    assert len(plan.tasks) == 11 and all(t.due.year == 2024 for t in plan.tasks)
    taxonomy = load_taxonomy(plan.program)
    assert set(taxonomy.projects) == {"1", "2", "3", "4", "5", "6", "7", "other"}
    assert {c["project"] for c in plan.contents.values()} <= set(taxonomy.projects)
    indicators = set(default_registry().get("vn-2022-2025").codes)
    for code, kind in taxonomy.support_kinds.items():
        assert str(kind["project"]) in taxonomy.projects, code
        assert kind["addresses"] is None or kind["addresses"] in indicators, code


@pytest.mark.parametrize("change, message", [
    ({"value": 120}, "between 0 and 100, not 120"),
    ({"baseline_date": dt.date(2025, 1, 1)}, "after the target year 2024"),
    ({"comparison": "about"}, "comparison must be one of"),
    ({"year": 2030}, "outside the plan's period"),
    ({"value": "many"}, "value must be a number"),
    ({"method": "computed", "measure": None}, "names its measure"),
])
def test_impossible_targets_are_refused(tmp_path, change, message):
    seed = Path(__file__).parents[1] / "src/giamngheo/plans/tan-phu-73-2024.yaml"
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    data["targets"]["hygienic_water"].update(change)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError, match="targets.hygienic_water") as error:
        load_plan(path)
    assert message in str(error.value)


def test_actual_values_from_classified_households():
    households, members = synthetic_tables(400, seed=5)
    records = list(tables_to_records(households, members))
    results = classify_many(records, standard_id="vn-2022-2025")
    pairs = list(zip(records, results, strict=True))
    targeted = [(r, res) for r, res in pairs if res.get("classification") in ("poor",
                                                                               "near_poor")]
    assert targeted
    water_ok = sum(1 for _r, res in targeted if res["deprivations"]["water"] is not True)
    assert actual("households_not_deprived.water", pairs) == 100 * water_ok / len(targeted)
    group_a = sum(1 for _r, res in pairs if res.get("classification") == "poor"
                  and res.get("poor_group") == "A")
    assert actual("poor_group_a_reduction", pairs) == group_a
    insured = actual("persons_insured", pairs)
    assert 0 <= insured <= 100
    assert actual("households_not_deprived.water", []) is None
    with pytest.raises(ValueError):
        actual("bogus", pairs)


def test_whether_a_target_is_met():
    targets = {t.id: t for t in load_plan("tan-phu-73-2024").targets}
    assert targets["hygienic_water"].met(96.0) and not targets["hygienic_water"].met(95.0)
    assert targets["poor_group_a_reduction"].met(60, baseline=100)
    assert not targets["poor_group_a_reduction"].met(70, baseline=100)
    assert targets["poor_group_a_reduction"].met(70) is None  # no baseline known
    assert targets["hygienic_latrine"].met(None) is None


def test_a_targets_state_is_one_of_four():
    targets = {t.id: t for t in load_plan("tan-phu-73-2024").targets}
    water = targets["hygienic_water"]  # > 95
    assert [water.state(v) for v in (96.0, 95.0, 90.0, 89.9, None)] == [
        "met", "near", "near", "not_met", "unknown"]
    assert water.state(96.0, unknown=3) == "unknown"  # unknown answers could undo it
    assert water.state(91.0, unknown=3) == "near"  # short of the goal whatever they are
    reduce = targets["poor_group_a_reduction"]  # reduce by 35%
    assert [reduce.state(a, baseline=100) for a in (65, 68, 72)] == ["met", "near", "not_met"]
    assert reduce.state(60) == "unknown"  # no baseline known
    assert [water.met(v) for v in (96.0, 92.0, None)] == [True, False, None]
