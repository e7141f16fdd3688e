"""The household record (docs/record-format.md): its vocabularies, as the record's field
declarations give them (``record.py``), and the validator of one household.

Validation is strict: nothing is coerced (``1.0`` is not an integer, ``"true"`` is not a bool),
unknown fields are errors unless under ``extra``, and every problem is reported as
``path: message`` so that one bad record never hides another problem or another record. The
rules are those of ``validation.py`` in their scalar form; a file of many households goes
through their vectorised form instead (``table_checks.py``), with the same result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import record
from .ages import completed_months
from .messages import DEFAULT_LANG, text
from .validation import (
    HOUSEHOLD_RULES,
    MEMBER_RULES,
    MemberDates,
    element_problem,
    error_order,
    parse_date,
    type_problem,
    value_problems,
)

if TYPE_CHECKING:
    from .rules.scorecard import Scorecard

__all__ = ["AREAS", "DURABILITY", "STRUCTURES", "WATER_SOURCES", "LATRINES", "WASTE_DISPOSALS",
           "DEVICES", "RELATIONS", "SEXES", "EMPLOYMENT", "EDUCATION", "SCHOOL_LEVELS",
           "DISABILITY", "INCOME_KINDS", "MAX_AGE", "MAX_AMOUNT", "NUTRITION_AGE_LIMIT",
           "ParseFailure", "age_in_months", "parse_date", "validate_household",
           "household_problems"]

AREAS = record.AREA.codes
DURABILITY = record.DURABILITY.codes
STRUCTURES = record.STRUCTURE.codes
WATER_SOURCES = record.WATER_SOURCE.codes
LATRINES = record.LATRINE.codes
WASTE_DISPOSALS = record.WASTE_DISPOSAL.codes
DEVICES = record.DEVICE.codes
RELATIONS = record.RELATION.codes
SEXES = record.SEX.codes
EMPLOYMENT = record.EMPLOYMENT.codes
EDUCATION = record.EDUCATION.codes
SCHOOL_LEVELS = record.SCHOOL_LEVEL.codes
DISABILITY = record.DISABILITY.codes
INCOME_KINDS = record.INCOME_KINDS
MAX_AGE = record.MAX_AGE
MAX_AMOUNT = record.MAX_AMOUNT
NUTRITION_AGE_LIMIT = record.NUTRITION_AGE_LIMIT

age_in_months = completed_months


class ParseFailure:
    """A line or row that could not be turned into a record; it becomes a rejected result."""

    def __init__(self, message: str):
        self.message = message


Problem = tuple[str, str, dict[str, Any]]  # path, message key, the message's fields


class _Errors:
    """Collects the problems of one record as ``path: message`` errors and, for callers that
    word them for their own users, as ``(path, message key, fields)``."""

    def __init__(self, lang: str):
        self.lang = lang
        self.found: list[tuple[str, Problem]] = []

    def add(self, path: str, key: str, **fields: Any) -> None:
        self.found.append((f"{path}: {text(key, self.lang, **fields)}", (path, key, fields)))

    def worded(self, error: str) -> None:
        """An error already worded (a scorecard's), under the key ``scorecard``."""
        path, message = error.split(": ", 1)
        self.found.append((error, (path, "scorecard", {"message": message})))

    def in_order(self) -> list[tuple[str, Problem]]:
        return sorted(self.found, key=lambda found: error_order(found[0]))

    def problem(self, path: str, problem: tuple[str, dict[str, Any]]) -> None:
        self.add(path, problem[0], **problem[1])

    def unknown(self, obj: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in obj:
            if key not in allowed:
                self.add(f"{prefix}{key}", "unknown_field")

    def value(self, f: record.Field, value: Any, path: str) -> None:
        """Every problem of one field's value."""
        problem = type_problem(f, value)
        if problem is not None:
            self.problem(path, problem)
            return
        if f.kind == "enum_list":
            for i, element in enumerate(value):
                problem = element_problem(f, element)
                if problem is None:
                    problem = next(iter(value_problems(_ELEMENT[f.path], element)), None)
                if problem is not None:
                    self.problem(f"{path}[{i}]", problem)
            return
        for problem in value_problems(f, value):
            self.problem(path, problem)

    def fields(self, obj: dict[str, Any], declared: tuple[record.Field, ...],
               prefix: str) -> None:
        for f in declared:
            if f.name in obj:
                self.value(f, obj[f.name], f"{prefix}{f.name}")
            elif f.required:
                self.add(f"{prefix}{f.name}", "required")


# the declaration of one element of a list field (an enum)
_ELEMENT = {f.path: record.Field(f.path, "enum", f.label, vocabulary=f.vocabulary)
            for f in record.FIELDS.values() if f.kind == "enum_list"}


def validate_household(record_: Any, lang: str = DEFAULT_LANG,
                       scorecard: Scorecard | None = None) -> list[str]:
    """Every problem of one household record as ``path: message``; empty when valid.

    ``scorecard`` (a :class:`giamngheo.rules.scorecard.Scorecard`) is needed for ``b1_items``.
    """
    return [error for error, _ in _check(record_, lang, scorecard).in_order()]


def household_problems(record_: Any, scorecard: Scorecard | None = None) -> list[Problem]:
    """The problems of :func:`validate_household` as ``(path, key, fields)``: the message key
    of ``messages.py`` and its fields (a scorecard's answers give the key ``scorecard`` with
    the worded ``message``), for a form that words them beside their fields."""
    return [problem for _, problem in _check(record_, DEFAULT_LANG, scorecard).in_order()]


def _check(record_: Any, lang: str, scorecard: Scorecard | None) -> _Errors:
    e = _Errors(lang)
    if not isinstance(record_, dict):
        e.add("$", "not_object")
        return e
    e.unknown(record_, record.TOP_LEVEL, "")
    e.fields(record_, record.fields_of("household"), "")
    for key in ("income", "members"):
        if key not in record_:
            e.add(key, "required")
    if "income" in record_:
        _check_income(e, record_["income"], record_, scorecard)
    if "dwelling" in record_ and record_["dwelling"] is not None:
        _check_object(e, record_["dwelling"], "dwelling", "not_object_or_null")
    if "information" in record_:
        _check_object(e, record_["information"], "information", "not_object")
    if "members" in record_:
        _check_members(e, record_["members"], parse_date(record_.get("reference_date")))
    if "extra" in record_ and not isinstance(record_["extra"], dict):
        e.add("extra", "not_object")
    for rule in HOUSEHOLD_RULES:
        fields = rule.scalar(record_)
        if fields is not None:
            e.add(rule.path, rule.key, **fields)
    return e


def _check_object(e: _Errors, obj: Any, group: record.Group, not_object: str) -> bool:
    if not isinstance(obj, dict):
        e.add(group, not_object)
        return False
    e.unknown(obj, record.keys_of(group), f"{group}.")
    e.fields(obj, record.fields_of(group), f"{group}.")
    return True


def _check_income(e: _Errors, income: Any, record_: dict[str, Any],
                  scorecard: Scorecard | None) -> None:
    if not _check_object(e, income, "income", "not_object"):
        return
    if "b1_items" not in income:
        return
    answers = income["b1_items"]
    if not isinstance(answers, dict):
        e.add("income.b1_items", "not_object")
    elif scorecard is None:
        e.add("income.b1_items", "no_scorecard")
    else:
        for error in scorecard.check_answers(answers, record_, lang=e.lang):
            e.worded(error)


def _check_members(e: _Errors, members: Any, reference: Any) -> None:
    if not isinstance(members, list):
        e.add("members", "not_list")
        return
    declared = record.fields_of("member")
    seen_ids: set[str] = set()
    for i, member in enumerate(members):
        prefix = f"members[{i}]"
        if not isinstance(member, dict):
            e.add(prefix, "not_object")
            continue
        e.unknown(member, record.keys_of("member"), f"{prefix}.")
        e.fields(member, declared, f"{prefix}.")
        mid = member.get("id")  # vectorised in table_checks.py
        if isinstance(mid, str) and mid.strip():
            if mid in seen_ids:
                e.add(f"{prefix}.id", "duplicate_member", value=f"'{mid}'")
            seen_ids.add(mid)
        facts = MemberDates(member, parse_date(member.get("birth_date")), reference)
        for rule in MEMBER_RULES:
            fields = rule.scalar(facts)
            if fields is not None:
                e.add(f"{prefix}.{rule.field}", rule.key, **fields)
