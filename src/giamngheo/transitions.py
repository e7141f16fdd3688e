"""Movements of households between two reviews, as the official movement reports count them
(docs/rules.md §7), and the months left of benefits after escaping poverty."""

from __future__ import annotations

import datetime as dt

from .rules.parameters import rule_values

POOR, NEAR_POOR = "poor", "near_poor"
MOVEMENTS = (
    "remain_poor",            # nghèo → nghèo
    "poor_to_near_poor",      # thoát nghèo, thành cận nghèo
    "escaped_poverty",        # thoát nghèo (lên trên cận nghèo)
    "near_poor_to_poor",      # cận nghèo → nghèo
    "remain_near_poor",       # cận nghèo → cận nghèo
    "escaped_near_poverty",   # thoát cận nghèo
    "new_poor",               # nghèo phát sinh mới
    "re_poor",                # tái nghèo
    "new_near_poor",          # cận nghèo phát sinh mới
    "other_decrease",         # giảm khác: chuyển đi, chết, nhập hộ
    "other_increase",         # tăng khác: chuyển đến, tách hộ
    "remain_above",           # ngoài danh sách cả hai kỳ
)


def movement(before: str | None, after: str | None, *, was_poor_before: bool = False,
             joined: bool = False) -> str:
    """The movement of one household from its status in the earlier review to the later one.

    ``before``/``after`` is the classification (None: not in that review's registry);
    ``was_poor_before``: poor in some review before ``before`` (for re-poor); ``joined``: the
    household came into the registry between the reviews (moved in, split off).
    """
    listed_after = after in (POOR, NEAR_POOR)
    if before is None or joined:
        return "other_increase" if listed_after else "remain_above"
    if after is None:
        return "other_decrease" if before in (POOR, NEAR_POOR) else "remain_above"
    if before == POOR:
        return {POOR: "remain_poor", NEAR_POOR: "poor_to_near_poor"}.get(after,
                                                                          "escaped_poverty")
    if before == NEAR_POOR:
        return {POOR: "near_poor_to_poor", NEAR_POOR: "remain_near_poor"}.get(
            after, "escaped_near_poverty")
    if after == POOR:
        return "re_poor" if was_poor_before else "new_poor"
    return "new_near_poor" if after == NEAR_POOR else "remain_above"


def benefit_months() -> dict[str, int]:
    return rule_values("benefits.yaml", "newly_escaped_months")


def months_left(escaped_on: dt.date, on: dt.date, benefit: str = "continued_benefits") -> int:
    """Whole months of a continued benefit left on ``on`` for a household that escaped
    poverty on ``escaped_on`` (0 once the window has closed)."""
    elapsed = (on.year - escaped_on.year) * 12 + on.month - escaped_on.month \
        - (1 if on.day < escaped_on.day else 0)
    return max(benefit_months()[benefit] - elapsed, 0)
