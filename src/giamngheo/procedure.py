"""The household review's procedure as dated rules (``rules/procedure.yaml``): the steps of each
kind of review and their order on a date, the level consulted, the periodic review's window, the
public posting's length, and when a request of form No. 04 must be answered.

Decision 24/2021/QĐ-TTg: the periodic (annual) review runs from 1 September to 14 December and
fixes the next year's lists; the regular (monthly) review starts on the 15th and answers the
requests filed by then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .rules.parameters import rule_values

PERIODIC, REGULAR = "periodic", "regular"
SECTIONS = {PERIODIC: "periodic_review", REGULAR: "regular_review"}


def rules(kind: str, on: dt.date | None = None) -> dict[str, Any]:
    """The procedure's parameters for a kind of review, dated ones as in force ``on``."""
    return rule_values("procedure.yaml", SECTIONS[kind], on)


def steps(kind: str, on: dt.date) -> tuple[str, ...]:
    """The steps of a review of ``kind`` whose reference date is ``on``, in order."""
    return tuple(rules(kind, on)["steps"])


def consultation_level(on: dt.date) -> str:
    """The level a commune consults before the chair decides: ``district`` until 30 June
    2025, ``province`` since the two-level local government."""
    return str(rules(PERIODIC, on)["consultation_level"])


def periodic_window(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the periodic review held in ``year``."""
    window = rules(PERIODIC)
    return (dt.date.fromisoformat(f"{year}-{window['window_start']}"),
            dt.date.fromisoformat(f"{year}-{window['window_end']}"))


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from ``start`` to ``end``, both included (0 when end < start)."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    return weeks * 5 + sum(1 for n in range(extra)
                           if (start + dt.timedelta(days=n)).weekday() < 5)


def posting_working_days(kind: str) -> int:
    return int(rules(kind)["posting_working_days"])


def regular_review_start(filed_on: dt.date) -> dt.date:
    """The start of the first regular review that can take a request filed on ``filed_on``:
    the start day (the 15th) of that month, or of the next month when filed after it."""
    day = rules(REGULAR)["start_day"]
    if filed_on.day <= day:
        return filed_on.replace(day=day)
    month = filed_on.replace(day=1) + dt.timedelta(days=32)
    return month.replace(day=day)


def answer_due(filed_on: dt.date) -> dt.date:
    """The day a request of form No. 04 must be answered by: within the answer period from
    the start of the regular review that takes it (never before that review could answer)."""
    return regular_review_start(filed_on) + dt.timedelta(days=rules(REGULAR)["answer_within_days"])
