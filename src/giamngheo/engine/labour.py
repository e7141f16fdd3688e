"""Labour capacity, which makes a poor household group A (someone can work) or group B
(nobody can): a member cannot work when under the age the standard's ``cannot_work``
parameter gives, at or over the retirement age of their birth cohort, severely disabled, or
unable to work. Scalar and vectorised forms side by side."""

from __future__ import annotations

import polars as pl

from ..rules.parameters import Standard
from .exprs import tri_is_in
from .indicators import MemberFacts
from .rule import Tri, any3, not3

c = pl.col


def can_work(m: MemberFacts, standard: Standard) -> Tri:
    rule = standard.cannot_work
    disability = m.get("disability")
    unable = m.get("unable_to_work") if rule["unable_to_work"] else False
    cannot = any3([
        m.age < rule["age_under"],
        bool(rule["from_retirement_age"]) and m.retired(standard),
        None if disability is None else disability in rule["disabilities"],
        unable,
    ])
    return not3(cannot)


def can_work_expr(standard: Standard) -> pl.Expr:
    """Over member rows holding ``age`` and ``retired``."""
    rule = standard.cannot_work
    cannot = (c("age") < pl.lit(rule["age_under"])) \
        | tri_is_in(c("disability"), rule["disabilities"])
    if rule["from_retirement_age"]:
        cannot = cannot | c("retired")
    if rule["unable_to_work"]:
        cannot = cannot | c("unable_to_work")
    return cannot.not_()


def labour_capacity(members: list[MemberFacts], standard: Standard) -> Tri:
    """Some member can work (unknown when that depends on a missing answer)."""
    return any3(can_work(m, standard) for m in members)


def poor_group(classification: str | None, capacity: Tri) -> str | None:
    """Group A (poor, someone can work) or B (poor, nobody can); None otherwise."""
    if classification != "poor" or capacity is None:
        return None
    return "A" if capacity else "B"
