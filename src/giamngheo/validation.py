"""The rules a household record must follow (docs/record-format.md, "Validation"), in one list,
each in its scalar form (one record: ``household.validate_household``) and its vectorised form
(the flat tables: ``table_checks.validate_tables``), side by side.

- Types (:func:`type_problem`): a value of the wrong JSON type. Nothing is coerced (``1.0`` is
  not an integer, ``"true"`` is not a bool). One function serves both validators: the scalar
  one per value, the bulk one while it turns records into tables (``tables.read_records``),
  where a table column cannot hold a value of another type.
- Values (:data:`VALUE_CHECKS`): a value of the right type outside what its field allows
  (an empty text, a code outside the vocabulary, a negative or too large number, a date that
  does not exist), by field kind.
- Records (:data:`MEMBER_RULES`, :data:`HOUSEHOLD_RULES`): facts between fields (one head, a
  birth date after the review, nutrition flags on an adult...).

Errors are ``path: message`` strings, in the order :func:`error_order` gives (by place in the
record, then by text), so that both validators list the same errors in the same order.
tests/test_table_checks.py gives the same records, valid and broken, to both and compares.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from . import record
from .ages import completed_months, completed_months_expr
from .engine.exprs import quoted
from .record import Field

c = pl.col
Fields = dict[str, Any]
Problem = tuple[str, Fields]  # message key and its fields

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def quote(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


def parse_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` string as a date, or None when it is not one."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# --- types ------------------------------------------------------------------------------------

def type_problem(f: Field, value: Any) -> Problem | None:
    """What is wrong with the type of ``value`` for field ``f`` (None: right type)."""
    kind = f.kind
    if kind in ("string", "date"):
        if isinstance(value, str):
            return None
        return ("not_string", {}) if kind == "string" else ("bad_date", {})
    if kind == "enum":
        return None if isinstance(value, str) else not_in_list(f, value)
    if kind == "bool":
        return None if value is True or value is False else ("not_bool", {})
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) \
            else ("not_integer", {})
    if kind == "number":
        return None if isinstance(value, int | float) and not isinstance(value, bool) \
            and value == value else ("not_number", {})  # NaN is no number
    return None if isinstance(value, list) else ("not_list", {})  # enum_list


def element_problem(f: Field, value: Any) -> Problem | None:
    """What is wrong with the type of an element of a list field."""
    return None if isinstance(value, str) else not_in_list(f, value)


def not_in_list(f: Field, value: Any) -> Problem:
    return "not_in_list", {"value": quote(value), "allowed": ", ".join(f.codes)}


# --- values of the right type -----------------------------------------------------------------

@dataclass(frozen=True)
class ValueCheck:
    """A value of the right type that its field does not allow."""

    key: str
    scalar: Callable[[Field, Any], bool]  # true when the value is wrong
    vector: Callable[[Field, pl.Expr], pl.Expr]  # true on a row whose value is wrong
    scalar_fields: Callable[[Field, Any], Fields] = lambda f, v: {}
    vector_fields: Callable[[Field, pl.Expr], dict[str, pl.Expr | str | int]] = \
        lambda f, e: {}


def _is_bad_date(f: Field, value: Any) -> bool:
    return parse_date(value) is None


def _bad_date_expr(f: Field, e: pl.Expr) -> pl.Expr:
    if_text = ~e.str.contains(DATE_PATTERN) | e.str.to_date("%Y-%m-%d", strict=False).is_null()
    return if_text  # applied to text columns only: a Date column is a date already


VALUE_CHECKS: dict[str, tuple[ValueCheck, ...]] = {
    "string": (ValueCheck("empty_string", lambda f, v: not v.strip(),
                          lambda f, e: e.str.strip_chars() == ""),),
    "date": (ValueCheck("bad_date", _is_bad_date, _bad_date_expr),),
    "enum": (ValueCheck("not_in_list", lambda f, v: v not in f.codes,
                        lambda f, e: ~e.is_in(f.codes),
                        lambda f, v: not_in_list(f, v)[1],
                        lambda f, e: {"value": quoted(e),
                                      "allowed": ", ".join(f.codes)}),),
    "number": (
        ValueCheck("negative", lambda f, v: f.minimum is not None and v < f.minimum,
                   lambda f, e: e < (f.minimum if f.minimum is not None else float("-inf"))),
        ValueCheck("too_large", lambda f, v: f.maximum is not None and v > f.maximum,
                   lambda f, e: e > (f.maximum if f.maximum is not None else float("inf")),
                   lambda f, v: {"max": f.maximum}, lambda f, e: {"max": f.maximum or 0}),
    ),
}
VALUE_CHECKS["integer"] = VALUE_CHECKS["number"]


def value_problems(f: Field, value: Any) -> list[Problem]:
    """The value checks ``value`` (of the right type) fails, in their order."""
    return [(check.key, check.scalar_fields(f, value))
            for check in VALUE_CHECKS.get(f.kind, ()) if check.scalar(f, value)]


# --- facts between the fields of a member -----------------------------------------------------

@dataclass(frozen=True)
class MemberDates:
    """What the member rules see of one member (scalar form)."""

    member: dict[str, Any]
    birth: dt.date | None  # None: not a valid date
    reference: dt.date | None  # None: the household's reference date is not valid

    @property
    def born(self) -> bool:
        """Born on or before the reference date (both valid)."""
        return self.birth is not None and self.reference is not None \
            and self.birth <= self.reference

    @property
    def age(self) -> int:
        assert self.birth is not None and self.reference is not None
        return completed_months(self.birth, self.reference) // 12


@dataclass(frozen=True)
class MemberRule:
    """A fact about one member: at ``field`` (of the member), message ``key``."""

    field: str
    key: str
    scalar: Callable[[MemberDates], Fields | None]  # the message's fields when broken
    vector: Callable[[], pl.Expr]  # over member rows with ``_age`` (:func:`age_expr`)
    vector_fields: Callable[[], dict[str, pl.Expr | str | int]] = lambda: {}


def age_expr() -> pl.Expr:
    """Completed years at the reference date, over member rows (computed once, as ``_age``)."""
    return completed_months_expr(c("birth_date"), c("reference_date")) // 12


def _age_expr() -> pl.Expr:
    return c("_age")


def _born_expr() -> pl.Expr:
    return c("birth_date") <= c("reference_date")


def _only_if_true(f: Field) -> MemberRule:
    flag = f.only_if_true
    assert flag is not None
    return MemberRule(f.name, "only_if_true",
                      lambda m: {"flag": flag} if f.name in m.member
                      and m.member.get(flag) is False else None,
                      lambda: c(f.name).is_not_null() & ~c(flag),
                      lambda: {"flag": flag})


def _under_age(f: Field) -> MemberRule:
    limit = f.under_age
    assert limit is not None
    return MemberRule(f.name, "nutrition_adult",
                      lambda m: {"limit": limit, "age": m.age} if m.member.get(f.name) is True
                      and m.born and m.age >= limit else None,
                      lambda: c(f.name) & _born_expr() & (_age_expr() >= limit),
                      lambda: {"limit": limit, "age": _age_expr()})


MEMBER_RULES: tuple[MemberRule, ...] = (
    MemberRule("birth_date", "birth_after_reference",
               lambda m: {} if m.birth is not None and m.reference is not None
               and m.birth > m.reference else None,
               lambda: c("birth_date") > c("reference_date")),
    MemberRule("birth_date", "age_over_max",
               lambda m: {"age": m.age, "max": record.MAX_AGE} if m.born
               and m.age > record.MAX_AGE else None,
               lambda: _born_expr() & (_age_expr() > record.MAX_AGE),
               lambda: {"age": _age_expr(), "max": record.MAX_AGE}),
    *(_only_if_true(f) for f in record.MEMBER_FIELDS if f.only_if_true),
    *(_under_age(f) for f in record.MEMBER_FIELDS if f.under_age),
)


# --- facts of the household -------------------------------------------------------------------

@dataclass(frozen=True)
class HouseholdRule:
    """A fact about the household as a whole: at ``path``, message ``key``.

    The vectorised form reads the household rows, where ``_income_given`` counts the income
    kinds given, ``_members_listed`` says the members came as a list, ``n_members`` and
    ``heads`` count the member rows and heads (tables.py and table_checks.py supply them)."""

    path: str
    key: str
    scalar: Callable[[dict[str, Any]], Fields | None]
    vector: Callable[[], pl.Expr]
    vector_fields: Callable[[], dict[str, pl.Expr | str | int]] = lambda: {}


def _given_incomes(r: dict[str, Any]) -> int | None:
    income = r.get("income")
    return sum(k in income for k in record.INCOME_KINDS) if isinstance(income, dict) else None


def _listed_members(r: dict[str, Any]) -> list[Any] | None:
    members = r.get("members")
    return members if isinstance(members, list) else None


def _heads(members: list[Any]) -> int:
    return sum(isinstance(m, dict) and m.get("relation") == "head" for m in members)


ALLOWED_INCOMES = ", ".join(record.INCOME_KINDS)
HOUSEHOLD_RULES: tuple[HouseholdRule, ...] = (
    HouseholdRule("income", "income_one_of",
                  lambda r: {"allowed": ALLOWED_INCOMES}
                  if _given_incomes(r) not in (None, 1) else None,
                  lambda: c("_income_given") != 1, lambda: {"allowed": ALLOWED_INCOMES}),
    HouseholdRule("members", "no_members",
                  lambda r: {} if _listed_members(r) == [] else None,
                  lambda: c("_members_listed") & (c("n_members").fill_null(0) == 0)),
    HouseholdRule("members", "head_count",
                  lambda r: {"count": _heads(members)}
                  if (members := _listed_members(r)) and _heads(members) != 1 else None,
                  lambda: c("_members_listed") & (c("n_members").fill_null(0) > 0)
                  & (c("heads").fill_null(0) != 1),
                  lambda: {"count": c("heads").fill_null(0)}),
)


# --- the order of errors ---------------------------------------------------------------------

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_ORDER: dict[str, tuple[str, ...]] = {
    "": record.TOP_LEVEL,
    "income": record.INCOME_KINDS,
    "dwelling": record.keys_of("dwelling"),
    "information": record.keys_of("information"),
    "members": record.keys_of("member"),
}


def error_order(error: str) -> tuple[Any, ...]:
    """Sort key of a ``path: message`` error: the path's place in the record, then the text."""
    path, _, message = error.partition(": ")
    if path == "$":
        return ((-1, ""),), message
    key: list[tuple[int, str]] = []
    level = ""
    for name, index in _TOKEN.findall(path):
        if index:
            key.append((int(index), ""))
            continue
        order = _ORDER.get(level, ())
        key.append((order.index(name) if name in order else len(order), name))
        level = level or name
    return tuple(key), message
