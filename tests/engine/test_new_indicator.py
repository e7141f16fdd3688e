"""A new indicator touches one rule module and one parameter file: this test writes exactly
those two files (a rule, "a severely disabled member without a monthly social allowance", and
a 2031 standard that uses it), and both engines classify with it, in agreement."""

from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest
from hypothesis import given, settings

from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_many
from giamngheo.engine.rule import registered, unregister
from giamngheo.messages import MESSAGES
from giamngheo.rules.parameters import load_registry
from tests.strategies import household_lists

from .agreement import assert_forms_agree

RULE_MODULE = '''
"""Disability support: some member with one of the ``disabilities`` receives no monthly
social allowance."""

from __future__ import annotations

import polars as pl

from giamngheo import record
from giamngheo.engine.exprs import message, tri_is_in
from giamngheo.engine.rule import MemberRule, and3, register, values_in, who_expr
from giamngheo.messages import text

c = pl.col


@register
class DisabilityWithoutAllowance(MemberRule):
    name = "disability_without_allowance"
    params = ("disabilities",)
    messages = {"disability_support": {
        "vi": "{who} khuyết tật, không hưởng trợ cấp xã hội hằng tháng",
        "en": "{who} is disabled and receives no monthly social allowance"}}
    fields = ("members.disability", "members.social_allowance")

    def check_params(self, p):
        return values_in(p["disabilities"], record.DISABILITY.codes, "disabilities")

    def member(self, m, p, s):
        disability = m.get("disability")
        return and3(None if disability is None else disability in p["disabilities"],
                    not m.get("social_allowance"))

    def phrase(self, m, p, lang):
        return text("disability_support", lang, who=m.who(lang))

    def member_expr(self, p):
        return tri_is_in(c("disability"), p["disabilities"]) \\
            & ~c("social_allowance").fill_null(False)

    def phrase_expr(self, p, lang):
        return message("disability_support", lang, who=who_expr(lang))
'''

STANDARD_FILE = """
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
indicators:
  disability_support:
    dimension: health
    label: {vi: Hỗ trợ người khuyết tật, en: Disability support}
    rule: disability_without_allowance
    params: {disabilities: [severe, very_severe]}
    source: test fixture
    legal_basis: Văn bản thử nghiệm
    verified: false
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new-indicator")
    (folder / "disability_without_allowance.py").write_text(RULE_MODULE, encoding="utf-8")
    (folder / "vn-2031-2035.yaml").write_text(textwrap.dedent(STANDARD_FILE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("test_rule_disability",
                                                  folder / "disability_without_allowance.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield load_registry(folder)
    unregister("disability_without_allowance")
    MESSAGES.pop("disability_support")
    sys.modules.pop(spec.name)


def household():
    return {"id": "H1", "reference_date": "2031-05-01", "area": "rural",
            "income": {"monthly_per_capita": 1_000_000},
            "members": [{"id": "1", "relation": "head", "birth_date": "1980-01-01",
                         "sex": "male", "disability": "severe"},
                        {"id": "2", "relation": "spouse", "birth_date": "1982-01-01",
                         "sex": "female", "disability": "very_severe",
                         "social_allowance": True}]}


def test_both_engines_classify_with_the_new_indicator(registry):
    assert "disability_without_allowance" in registered()
    standard = registry.get("vn-2031-2035")
    assert standard.codes.index("disability_support") == standard.codes.index("nutrition") + 2
    result = classify_record(household(), registry)
    assert result["deprivations"]["disability_support"] is True
    assert "disability_support: Thành viên 1 (51 tuổi) khuyết tật, không hưởng trợ cấp xã " \
           "hội hằng tháng" in result["reasons"]
    assert classify_many([household()], registry) == [result]


@settings(max_examples=60)
@given(records=household_lists(max_size=5))
def test_the_new_rule_s_two_forms_agree(registry, records):
    standard = registry.get("vn-2031-2035")
    assert_forms_agree(records, standard, standard.indicator("disability_support"))
