"""Movements between two reviews (docs/rules.md §7): only decisions move a household, so a
movement is never computed from or to an undecided status; the months of continued benefits
after escaping, both windows."""

import datetime as dt
import itertools

import pytest

from giamngheo.transitions import (
    DECIDED,
    ESCAPES,
    MOVEMENTS,
    NEAR_POOR_TABLE,
    POOR_TABLE,
    UNDECIDED,
    benefit_months,
    is_escape,
    months_left,
    movement,
)


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
    ("poor", None, {}, "poor_left"),
    ("near_poor", None, {}, "near_poor_left"),
    (None, "poor", {}, "joined_poor"),
    ("not_poor", "poor", {"joined": True}, "joined_poor"),
    ("not_poor", "average", {}, "remain_above"),
    # only decisions move a household
    ("poor", "incomplete", {}, "poor_undecided"),
    ("poor", "rejected", {}, "poor_undecided"),
    ("near_poor", UNDECIDED, {}, "near_poor_undecided"),
    ("incomplete", "poor", {}, "undecided_to_poor"),
    ("rejected", "near_poor", {}, "undecided_to_near_poor"),
    ("incomplete", "not_poor", {}, UNDECIDED),
    ("not_poor", "incomplete", {}, UNDECIDED),
    (None, "incomplete", {}, UNDECIDED),
])
def test_movement(before, after, kwargs, expected):
    assert movement(before, after, **kwargs) == expected
    assert expected in MOVEMENTS


STATUSES = [None, *DECIDED, "incomplete", "rejected"]


@pytest.mark.parametrize(("before", "after"), list(itertools.product(STATUSES, STATUSES)))
def test_an_undecided_status_is_never_an_escape_nor_a_new_poor(before, after):
    moved = movement(before, after)
    undecided = {before, after} & {"incomplete", "rejected"}
    if undecided:
        assert moved not in (*ESCAPES, "new_poor", "re_poor", "new_near_poor",
                             "escaped_near_poverty", "near_poor_to_poor")
        assert not is_escape(before, after)


@pytest.mark.parametrize(("before", "after"), list(itertools.product(STATUSES, STATUSES)))
def test_every_movement_table_adds_up(before, after):
    """start - decreases + increases = end, for one household and so for any number."""
    moved = movement(before, after)
    for status, decreases, increases in (POOR_TABLE, NEAR_POOR_TABLE):
        start = int(before == status)
        end = int(after == status)
        assert start - (moved in decreases) + (moved in increases) == end, (before, after)


def test_months_left_of_continued_benefits():
    assert benefit_months() == {"social_policy_credit": 36, "continued_benefits": 24}
    escaped = dt.date(2024, 12, 10)
    assert months_left(escaped, dt.date(2024, 12, 10)) == 24
    assert months_left(escaped, dt.date(2025, 12, 9)) == 13
    assert months_left(escaped, dt.date(2025, 12, 10)) == 12
    assert months_left(escaped, dt.date(2026, 12, 10)) == 0
    assert months_left(escaped, dt.date(2026, 12, 10), "social_policy_credit") == 12
    assert months_left(escaped, dt.date(2027, 6, 1), "social_policy_credit") == 7
    assert months_left(escaped, dt.date(2024, 11, 1)) == 0  # not escaped yet
