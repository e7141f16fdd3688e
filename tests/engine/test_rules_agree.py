"""Each rule's scalar and vectorised forms give the same value and the same reason, for every
indicator of the bundled standards, on random households that hit every boundary."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from giamngheo.engine.rule import HouseholdRule, MemberRule, registered
from giamngheo.rules.parameters import default_registry
from tests.strategies import household_lists

from .agreement import assert_forms_agree


def _indicators():
    seen = set()
    for standard in default_registry():
        for indicator in standard.indicators:
            key = json.dumps([indicator.rule, indicator.params], sort_keys=True)
            if key not in seen:
                seen.add(key)
                yield pytest.param(standard, indicator, id=f"{indicator.code}@{standard.id}")


INDICATORS = list(_indicators())


@pytest.mark.parametrize(("standard", "indicator"), INDICATORS)
@settings(max_examples=60)
@given(records=household_lists(max_size=5))
def test_the_two_forms_of_each_rule_agree(standard, indicator, records):
    assert_forms_agree(records, standard, indicator)


def test_every_registered_rule_is_used_and_has_both_forms():
    used = {p.values[1].rule for p in INDICATORS}
    for name, rule in registered().items():
        assert name in used, f"no bundled standard uses rule {name}"
        kind = MemberRule if isinstance(rule, MemberRule) else HouseholdRule
        assert isinstance(rule, kind)
        forms = ("member", "phrase", "member_expr", "phrase_expr") if kind is MemberRule \
            else ("value", "reason", "expr", "reason_expr")
        for form in forms:
            assert getattr(type(rule), form) is not getattr(kind, form), (name, form)
