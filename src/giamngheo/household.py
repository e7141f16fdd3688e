"""The household record of shared/spec/household-format.md: its vocabulary and validation.

Validation is strict: nothing is coerced (``1.0`` is not an integer, ``"true"`` is not a bool),
unknown fields are errors unless under ``extra``, and every problem is reported as
``path: message`` so that one bad record never hides another problem or another record.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .messages import DEFAULT_LANG, text

AREAS = ("rural", "urban")
STRUCTURES = ("walls", "frame", "roof")
DURABILITY = ("durable", "non_durable")
WATER_SOURCES = ("piped", "drilled_well", "protected_dug_well", "unprotected_dug_well",
                 "protected_spring", "unprotected_spring", "rainwater", "bottled",
                 "surface_water", "other")
LATRINES = ("septic", "semi_septic", "double_vault", "ventilated_pit", "biogas", "pit_no_slab",
            "bucket", "open_or_none", "other")
DEVICES = ("tv", "radio", "desktop_computer", "laptop", "tablet", "smartphone", "feature_phone")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")
SEXES = ("male", "female")
EMPLOYMENT = ("wage_contract", "wage_no_contract", "self_employed", "unemployed", "student",
              "not_in_labour_force")
EDUCATION = ("none", "primary", "lower_secondary", "upper_secondary", "vocational_elementary",
             "vocational_intermediate", "college", "university")
SCHOOL_LEVELS = ("preschool", "primary", "lower_secondary", "upper_secondary", "vocational",
                 "higher")
DISABILITY = ("none", "mild", "severe", "very_severe")
INCOME_KINDS = ("monthly_per_capita", "annual_total", "b1_score", "b1_items")
MAX_AGE = 120
MAX_AMOUNT = 10**15  # far above any real income, and within the engines' 64-bit integers
NUTRITION_AGE_LIMIT = 16

HOUSEHOLD_FIELDS = ("id", "reference_date", "area", "province_code", "commune_code", "income",
                    "dwelling", "information", "members", "extra")
DWELLING_FIELDS = (*STRUCTURES, "floor_area_m2", "water_source", "latrine")
INFORMATION_FIELDS = ("uses_internet", "devices")
MEMBER_ENUMS = {"relation": RELATIONS, "sex": SEXES, "employment": EMPLOYMENT,
                "education": EDUCATION, "school_level": SCHOOL_LEVELS, "disability": DISABILITY}
MEMBER_BOOLS = ("health_insurance", "in_education", "unable_to_work", "social_allowance",
                "workplace_trained", "stunted", "underweight")
MEMBER_FIELDS = ("id", "birth_date", "ethnicity", *MEMBER_ENUMS, *MEMBER_BOOLS)
MEMBER_REQUIRED = ("id", "relation", "birth_date", "sex")

class ParseFailure:
    """A line or row that could not be turned into a record; it becomes a rejected result."""

    def __init__(self, message: str):
        self.message = message


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` string as a date, or None when it is not one."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Completed months of age on ``on``."""
    months = (on.year - birth.year) * 12 + on.month - birth.month
    return months - 1 if on.day < birth.day else months


def _quote(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value}'"


class _Checker:
    """Collects ``path: message`` errors for one record, and the same problems as
    ``(path, message key, fields)`` for callers that word them for their own users."""

    def __init__(self, lang: str):
        self.lang = lang
        self.errors: list[str] = []
        self.problems: list[tuple[str, str, dict[str, Any]]] = []

    def add(self, path: str, key: str, **fields: Any) -> None:
        self.errors.append(f"{path}: {text(key, self.lang, **fields)}")
        self.problems.append((path, key, fields))

    def unknown(self, obj: dict, allowed: tuple[str, ...], prefix: str) -> None:
        for key in obj:
            if key not in allowed:
                self.add(f"{prefix}{key}", "unknown_field")

    def string(self, value: Any, path: str) -> bool:
        if not isinstance(value, str):
            self.add(path, "not_string")
            return False
        if not value.strip():
            self.add(path, "empty_string")
            return False
        return True

    def enum(self, value: Any, allowed: tuple[str, ...], path: str) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        self.add(path, "not_in_list", value=_quote(value), allowed=", ".join(allowed))
        return False

    def boolean(self, value: Any, path: str) -> bool:
        if value is True or value is False:
            return True
        self.add(path, "not_bool")
        return False

    def integer(self, value: Any, path: str) -> bool:
        return self._non_negative(value, path, isinstance(value, int), "not_integer")

    def number(self, value: Any, path: str) -> bool:
        is_number = isinstance(value, int | float) and value == value  # NaN is no number
        return self._non_negative(value, path, is_number, "not_number")

    def _non_negative(self, value: Any, path: str, right_type: bool, type_error: str) -> bool:
        if not right_type or isinstance(value, bool):
            self.add(path, type_error)
            return False
        if value < 0:
            self.add(path, "negative")
            return False
        if value > MAX_AMOUNT:
            self.add(path, "too_large", max=MAX_AMOUNT)
            return False
        return True


def validate_household(record: Any, lang: str = DEFAULT_LANG, scorecard=None) -> list[str]:
    """Every problem of one household record as ``path: message``; empty when valid.

    ``scorecard`` (a :class:`giamngheo.rules.scorecard.Scorecard`) is needed for ``b1_items``.
    """
    return _check(record, lang, scorecard).errors


def household_problems(record: Any, scorecard=None) -> list[tuple[str, str, dict[str, Any]]]:
    """The problems of :func:`validate_household` as ``(path, key, fields)``: the message key
    of ``messages.py`` and its fields (a scorecard's answers give the key ``scorecard`` with
    the worded ``message``). The web form words them for the field they sit next to."""
    return _check(record, DEFAULT_LANG, scorecard).problems


def _check(record: Any, lang: str, scorecard) -> _Checker:
    c = _Checker(lang)
    if not isinstance(record, dict):
        c.add("$", "not_object")
        return c
    c.unknown(record, HOUSEHOLD_FIELDS, "")
    for key in ("id", "reference_date", "area", "income", "members"):
        if key not in record:
            c.add(key, "required")
    if "id" in record:
        c.string(record["id"], "id")
    reference = None
    if "reference_date" in record:
        reference = parse_date(record["reference_date"])
        if reference is None:
            c.add("reference_date", "bad_date")
    if "area" in record:
        c.enum(record["area"], AREAS, "area")
    for key in ("province_code", "commune_code"):
        if key in record:
            c.string(record[key], key)
    if "income" in record:
        _check_income(c, record["income"], record, scorecard)
    if "dwelling" in record:
        _check_dwelling(c, record["dwelling"])
    if "information" in record:
        _check_information(c, record["information"])
    if "members" in record:
        _check_members(c, record["members"], reference)
    if "extra" in record and not isinstance(record["extra"], dict):
        c.add("extra", "not_object")
    return c


def _check_income(c: _Checker, income: Any, record: dict, scorecard) -> None:
    if not isinstance(income, dict):
        c.add("income", "not_object")
        return
    c.unknown(income, INCOME_KINDS, "income.")
    given = [k for k in INCOME_KINDS if k in income]
    if len(given) != 1:
        c.add("income", "income_one_of", allowed=", ".join(INCOME_KINDS))
    for kind in given:
        value = income[kind]
        path = f"income.{kind}"
        if kind in ("monthly_per_capita", "annual_total"):
            c.integer(value, path)
        elif kind == "b1_score":
            c.number(value, path)
        elif not isinstance(value, dict):
            c.add(path, "not_object")
        elif scorecard is None:
            c.add(path, "no_scorecard")
        else:
            for error in scorecard.check_answers(value, record, lang=c.lang):
                where, message = error.split(": ", 1)
                c.errors.append(error)
                c.problems.append((where, "scorecard", {"message": message}))


def _check_dwelling(c: _Checker, dwelling: Any) -> None:
    if dwelling is None:
        return
    if not isinstance(dwelling, dict):
        c.add("dwelling", "not_object_or_null")
        return
    c.unknown(dwelling, DWELLING_FIELDS, "dwelling.")
    for part in STRUCTURES:
        if part in dwelling:
            c.enum(dwelling[part], DURABILITY, f"dwelling.{part}")
    if "floor_area_m2" in dwelling:
        c.number(dwelling["floor_area_m2"], "dwelling.floor_area_m2")
    if "water_source" in dwelling:
        c.enum(dwelling["water_source"], WATER_SOURCES, "dwelling.water_source")
    if "latrine" in dwelling:
        c.enum(dwelling["latrine"], LATRINES, "dwelling.latrine")


def _check_information(c: _Checker, information: Any) -> None:
    if not isinstance(information, dict):
        c.add("information", "not_object")
        return
    c.unknown(information, INFORMATION_FIELDS, "information.")
    if "uses_internet" in information:
        c.boolean(information["uses_internet"], "information.uses_internet")
    if "devices" in information:
        devices = information["devices"]
        if not isinstance(devices, list):
            c.add("information.devices", "not_list")
        else:
            for i, device in enumerate(devices):
                c.enum(device, DEVICES, f"information.devices[{i}]")


# How each member field is checked: ("enum", allowed values), ("bool",) or ("string",).
_MEMBER_CHECKS: dict[str, tuple] = {
    "id": ("string",), "birth_date": ("date",), "ethnicity": ("string",),
    **{key: ("enum", allowed) for key, allowed in MEMBER_ENUMS.items()},
    **{key: ("bool",) for key in MEMBER_BOOLS},
}


def _check_members(c: _Checker, members: Any, reference: dt.date | None) -> None:
    if not isinstance(members, list):
        c.add("members", "not_list")
        return
    if not members:
        c.add("members", "no_members")
        return
    heads = 0
    seen_ids: set[str] = set()
    for i, member in enumerate(members):
        prefix = f"members[{i}]"
        if not isinstance(member, dict):
            c.add(prefix, "not_object")
            continue
        for key in MEMBER_REQUIRED:
            if key not in member:
                c.add(f"{prefix}.{key}", "required")
        for key, value in member.items():  # one pass over the fields present
            check = _MEMBER_CHECKS.get(key)
            if check is None:
                c.add(f"{prefix}.{key}", "unknown_field")
            elif check[0] == "enum":
                if value not in check[1] or not isinstance(value, str):
                    c.enum(value, check[1], f"{prefix}.{key}")
            elif check[0] == "bool":
                if value is not True and value is not False:
                    c.add(f"{prefix}.{key}", "not_bool")
            elif check[0] == "string":
                c.string(value, f"{prefix}.{key}")
        mid = member.get("id")
        if isinstance(mid, str) and mid.strip():
            if mid in seen_ids:
                c.add(f"{prefix}.id", "duplicate_member", value=_quote(mid))
            seen_ids.add(mid)
        if member.get("relation") == "head":
            heads += 1
        if "school_level" in member and member.get("in_education") is False:
            c.add(f"{prefix}.school_level", "school_level_not_in_education")
        if "birth_date" in member:
            _check_birth(c, member, prefix, reference)
    if heads != 1:
        c.add("members", "head_count", count=heads)


def _check_birth(c: _Checker, member: dict, prefix: str, reference: dt.date | None) -> None:
    birth = parse_date(member["birth_date"])
    if birth is None:
        c.add(f"{prefix}.birth_date", "bad_date")
        return
    if reference is None:
        return
    if birth > reference:
        c.add(f"{prefix}.birth_date", "birth_after_reference")
        return
    age = age_in_months(birth, reference) // 12
    if age > MAX_AGE:
        c.add(f"{prefix}.birth_date", "age_over_max", age=age, max=MAX_AGE)
    if age >= NUTRITION_AGE_LIMIT:
        for flag in ("stunted", "underweight"):
            if member.get(flag) is True:
                c.add(f"{prefix}.{flag}", "nutrition_adult", limit=NUTRITION_AGE_LIMIT, age=age)
