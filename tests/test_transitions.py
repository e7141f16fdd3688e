"""Movements between two reviews (docs/rules.md §7) and the months of continued benefits."""

import datetime as dt

import pytest

from giamngheo.transitions import MOVEMENTS, benefit_months, months_left, movement


@pytest.mark.parametrize(("before", "after", "kwargs", "expected"), [
    ("poor", "poor", {}, "remain_poor"),
    ("poor", "near_poor", {}, "poor_to_near_poor"),
    ("poor", "average", {}, "escaped_poverty"),
    ("poor", "not_poor", {}, "escaped_poverty"),
    ("near_poor", "poor", {}, "near_poor_to_poor"),
    ("near_poor", "near_poor", {}, "remain_near_poor"),
    ("near_poor", "not_poor", {}, "escaped_near_poverty"),
    ("not_poor", "poor", {}, "new_poor"),
    ("average", "poor", {"was_poor_before": True}, "re_poor"),
    ("not_poor", "near_poor", {}, "new_near_poor"),
    ("poor", None, {}, "other_decrease"),
    (None, "poor", {}, "other_increase"),
    ("not_poor", "poor", {"joined": True}, "other_increase"),
    ("not_poor", "average", {}, "remain_above"),
])
def test_movement(before, after, kwargs, expected):
    assert movement(before, after, **kwargs) == expected
    assert expected in MOVEMENTS


def test_months_left_of_continued_benefits():
    assert benefit_months() == {"social_policy_credit": 36, "continued_benefits": 24}
    escaped = dt.date(2024, 12, 10)
    assert months_left(escaped, dt.date(2024, 12, 10)) == 24
    assert months_left(escaped, dt.date(2025, 12, 9)) == 13
    assert months_left(escaped, dt.date(2025, 12, 10)) == 12
    assert months_left(escaped, dt.date(2026, 12, 10)) == 0
    assert months_left(escaped, dt.date(2027, 6, 1), "social_policy_credit") == 7
