"""Movements of households between two reviews, as the official movement reports count them
(docs/rules.md §7), and the months left of benefits after escaping poverty.

Only decisions move a household: a status that is not a decision (``incomplete`` or
``rejected`` data, a household taken off a review without leaving) is ``undecided``, and a
movement is never computed from or to it. Such households are counted apart, in their own
columns, so that every movement table still adds up (start - decreases + increases = end).
"""

from __future__ import annotations

import datetime as dt

from .rules.parameters import rule_values

POOR, NEAR_POOR = "poor", "near_poor"
ABOVE = ("average", "not_poor")  # above the near-poor line
DECIDED = (POOR, NEAR_POOR, *ABOVE)
UNDECIDED = "undecided"

MOVEMENTS = (
    "remain_poor",              # nghèo → nghèo
    "poor_to_near_poor",        # thoát nghèo, thành cận nghèo
    "escaped_poverty",          # thoát nghèo (lên trên cận nghèo)
    "poor_left",                # giảm khác của hộ nghèo: chuyển đi, chết, nhập hộ
    "poor_undecided",           # nghèo kỳ trước, chưa xác định kỳ này (không phải biến động)
    "near_poor_to_poor",        # cận nghèo → nghèo
    "remain_near_poor",         # cận nghèo → cận nghèo
    "escaped_near_poverty",     # thoát cận nghèo
    "near_poor_left",           # giảm khác của hộ cận nghèo
    "near_poor_undecided",      # cận nghèo kỳ trước, chưa xác định kỳ này
    "new_poor",                 # nghèo phát sinh mới
    "re_poor",                  # tái nghèo
    "joined_poor",              # tăng khác của hộ nghèo: chuyển đến, tách hộ
    "undecided_to_poor",        # chưa xác định kỳ trước, nghèo kỳ này
    "new_near_poor",            # cận nghèo phát sinh mới
    "joined_near_poor",         # tăng khác của hộ cận nghèo
    "undecided_to_near_poor",   # chưa xác định kỳ trước, cận nghèo kỳ này
    "remain_above",             # ngoài hai danh sách cả hai kỳ
    "undecided",                # chưa xác định, ngoài hai danh sách
)
# the movements that make a household "newly escaped" (thoát nghèo)
ESCAPES = ("escaped_poverty", "poor_to_near_poor")

# each movement table: the status it follows, its decreases and its increases
POOR_TABLE = (POOR, ("poor_to_near_poor", "escaped_poverty", "poor_left", "poor_undecided"),
              ("near_poor_to_poor", "re_poor", "new_poor", "joined_poor", "undecided_to_poor"))
NEAR_POOR_TABLE = (NEAR_POOR, ("near_poor_to_poor", "escaped_near_poverty", "near_poor_left",
                               "near_poor_undecided"),
                   ("poor_to_near_poor", "new_near_poor", "joined_near_poor",
                    "undecided_to_near_poor"))


def status_of(classification: str | None) -> str | None:
    """A classification as a status: a decision, ``undecided`` (incomplete, rejected, not
    classified), or None (not in the registry then)."""
    if classification is None:
        return None
    return classification if classification in DECIDED else UNDECIDED


def movement(before: str | None, after: str | None, *, was_poor_before: bool = False,
             joined: bool = False) -> str:
    """The movement of one household from its status in the earlier review to the later one.

    ``before``/``after`` is the status (a classification, ``undecided``, or None: not in that
    review's registry: moved in later, or left); ``was_poor_before``: poor in some review
    before ``before`` (for re-poor); ``joined``: the household came into the registry between
    the reviews (moved in, split off).
    """
    before = None if joined else status_of(before)
    after = status_of(after)
    listed_after = after in (POOR, NEAR_POOR)
    if before is None:
        if listed_after:
            return "joined_poor" if after == POOR else "joined_near_poor"
        return UNDECIDED if after == UNDECIDED else "remain_above"
    if before == UNDECIDED:
        if listed_after:
            return "undecided_to_poor" if after == POOR else "undecided_to_near_poor"
        return UNDECIDED
    if before in (POOR, NEAR_POOR):
        prefix = "poor" if before == POOR else "near_poor"
        if after is None:
            return f"{prefix}_left"
        if after == UNDECIDED:
            return f"{prefix}_undecided"
        if before == POOR:
            return {POOR: "remain_poor", NEAR_POOR: "poor_to_near_poor"}.get(
                after, "escaped_poverty")
        return {POOR: "near_poor_to_poor", NEAR_POOR: "remain_near_poor"}.get(
            after, "escaped_near_poverty")
    if after == POOR:
        return "re_poor" if was_poor_before else "new_poor"
    if after == NEAR_POOR:
        return "new_near_poor"
    return UNDECIDED if after == UNDECIDED else "remain_above"


def is_escape(before: str | None, after: str | None) -> bool:
    """Whether a decision moving a household from ``before`` to ``after`` recognises it as
    having escaped poverty (becoming near-poor or above)."""
    return before is not None and movement(before, after) in ESCAPES


def benefit_months() -> dict[str, int]:
    """The windows after escaping poverty, in months: ``continued_benefits`` (health
    insurance, education, vocational and extension support) and ``social_policy_credit``."""
    return rule_values("benefits.yaml", "newly_escaped_months")


def months_left(escaped_on: dt.date, on: dt.date, benefit: str = "continued_benefits") -> int:
    """Whole months of a continued benefit left on ``on`` for a household that escaped
    poverty on ``escaped_on`` (the chair's decision; 0 once the window has closed)."""
    if on < escaped_on:
        return 0
    elapsed = (on.year - escaped_on.year) * 12 + on.month - escaped_on.month \
        - (1 if on.day < escaped_on.day else 0)
    return max(benefit_months()[benefit] - elapsed, 0)
