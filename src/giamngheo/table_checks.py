"""The validator of many households: the rules of ``validation.py`` in their vectorised form,
over the flat tables, with the paths and messages of ``household.validate_household``.

Two ways in: typed tables (Parquet, CSV, JSONL: :func:`validate_tables`, whose schema already
enforces the types), and many records turned into tables by ``tables.read_records`` (which
reports the values a table cannot hold: :func:`check_records`). Each check is (condition, path,
message) over a frame, true on a bad row; conditions are evaluated in one pass, paths and
messages only on the few failing rows. tests/test_table_checks.py gives the same records to
both validators and compares the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import polars as pl

from . import record
from .engine.exprs import message, quoted, template
from .messages import DEFAULT_LANG
from .record import Field
from .tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, RecordTables, keyed_members
from .validation import (
    DATE_PATTERN,
    HOUSEHOLD_RULES,
    MEMBER_RULES,
    VALUE_CHECKS,
    age_expr,
    error_order,
)

c = pl.col
REQUIRED_COLUMNS = {"households": ("id", "reference_date", "area"),
                    "members": ("household_id", "id", "relation", "birth_date", "sex")}
Check = tuple[pl.Expr, pl.Expr, pl.Expr]
Locate = Callable[[pl.DataFrame], pl.DataFrame]


class TableError(ValueError):
    """A table has an unknown column, a column of the wrong type or lacks a required one."""


def check_schema(frame: pl.DataFrame, schema: dict[str, pl.DataType], name: str) -> None:
    for column, dtype in frame.schema.items():
        if column not in schema:
            raise TableError(f"{name}: unknown column {column!r}")
        if dtype not in (schema[column], pl.Null):
            raise TableError(f"{name}.{column}: type {dtype}, expected {schema[column]}")
    for column in REQUIRED_COLUMNS[name]:
        if column not in frame.columns:
            raise TableError(f"{name}: missing column {column!r}")


def _path(path: pl.Expr | str) -> pl.Expr:
    return pl.lit(path) if isinstance(path, str) else path


def _check(condition: pl.Expr, path: pl.Expr | str, key: str, lang: str,
           **fields: pl.Expr | str | int) -> Check:
    return condition, _path(path), message(key, lang, **fields)


def _found(frame: pl.DataFrame, checks: list[Check], locate: Locate | None = None) -> pl.DataFrame:
    """``hh`` and ``error`` of every failed check. Conditions are evaluated in one pass; paths
    and messages only on the few failing rows (``locate`` adds what paths need to those)."""
    flags = [condition.fill_null(False).alias(f"_check{i}")
             for i, (condition, _, _) in enumerate(checks)]
    failing = frame.with_columns(flags).filter(pl.any_horizontal(c(f"_check{i}")
                                                                 for i in range(len(checks))))
    if locate is not None:
        failing = locate(failing)
    return pl.concat([failing.filter(c(f"_check{i}")).select(
        "hh", error=pl.concat_str([path, pl.lit(": "), text]))
        for i, (_, path, text) in enumerate(checks)])


def _with_all_columns(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.with_columns(pl.lit(None, dtype=t).alias(k) for k, t in schema.items()
                              if k not in frame.columns)


def _value_checks(f: Field, path: pl.Expr | str, lang: str, dates_as_text: bool) -> list[Check]:
    if f.kind == "date" and not dates_as_text:
        return []  # a Date column holds valid dates only
    checks = []
    for check in VALUE_CHECKS.get(f.kind, ()):
        column = c(f"{f.column}_text" if f.kind == "date" else f.column)
        checks.append(_check(column.is_not_null() & check.vector(f, column), path, check.key,
                             lang, **check.vector_fields(f, column)))
    return checks


def _errors(h: pl.DataFrame, m: pl.DataFrame, lang: str, dates_as_text: bool) -> pl.DataFrame:
    """``hh`` and ``error`` of every problem of households ``h`` (one row per household, with
    ``_income_given`` and ``_members_listed``) and their members ``m`` (with ``hh``,
    ``member_row`` and, as dates, ``reference_date`` and ``birth_date``)."""
    first_rows = h.filter(c("id").is_first_distinct())
    at = c("prefix")
    m = m.with_columns(_age=age_expr())

    def given(f: Field) -> pl.Expr:
        text = dates_as_text and f.kind == "date"
        return c(f"{f.column}_text" if text else f.column).is_not_null()

    def first_of_id(failing: pl.DataFrame) -> pl.DataFrame:
        return failing.join(first_rows.select("id", first="hh"), on="id", how="left")

    def member_position(failing: pl.DataFrame) -> pl.DataFrame:
        """members[i]: the member's position in its household, for the failing rows only."""
        if "position" not in failing.columns:
            positions = m.filter(c("hh").is_in(failing.get_column("hh").unique().implode())) \
                .select("member_row", position=pl.int_range(pl.len()).over("hh"))
            failing = failing.join(positions, on="member_row", how="left")
        return failing.with_columns(prefix=template("members[{i}].", i=c("position")))

    household_checks = [
        *(_check(~given(f), f.path, "required", lang)
          for f in record.fields_of("household") if f.required),
        _check(~c("id").is_first_distinct() & c("id").is_not_null(), "id", "duplicate_id", lang,
               index=c("first") + 1),
        *(check for f in record.HOUSEHOLD_FIELDS if f.kind != "enum_list"
          for check in _value_checks(f, f.path, lang, dates_as_text)),
    ]
    lists = [f for f in record.HOUSEHOLD_FIELDS if f.kind == "enum_list"]
    elements = pl.concat([
        h.select("hh", value=c(f.column), index=pl.int_ranges(c(f.column).list.len()),
                 field=pl.lit(f.path)).explode("value", "index") for f in lists])
    element_checks = [_check(c("value").is_not_null() & (c("field") == f.path)
                             & ~c("value").is_in(f.codes),
                             template(f"{f.path}[{{i}}]", i=c("index")), "not_in_list", lang,
                             value=quoted(c("value")), allowed=", ".join(f.codes))
                      for f in lists]
    member_checks = [
        *(_check(~given(f), at + f.name, "required", lang)
          for f in record.MEMBER_FIELDS if f.required),
        *(check for f in record.MEMBER_FIELDS
          for check in _value_checks(f, at + f.name, lang, dates_as_text)),
        _check(~pl.struct("hh", "id").is_first_distinct() & (c("id").str.strip_chars() != ""),
               at + "id", "duplicate_member", lang, value=quoted(c("id"))),
        *(_check(rule.vector(), at + rule.field, rule.key, lang, **rule.vector_fields())
          for rule in MEMBER_RULES),
    ]
    counts = m.group_by("hh").agg(n_members=pl.len(), heads=(c("relation") == "head").sum())
    h = h.join(counts, on="hh", how="left")
    household_rules = [_check(rule.vector(), rule.path, rule.key, lang, **rule.vector_fields())
                       for rule in HOUSEHOLD_RULES]
    return pl.concat([
        _found(h, household_checks, first_of_id),
        _found(elements, element_checks),
        _found(m, member_checks, member_position),
        _found(h, household_rules),
    ])


def _by_household(found: pl.DataFrame) -> pl.DataFrame:
    """``hh`` and its ``errors``, in the order of ``validation.error_order``."""
    return found.group_by("hh").agg(errors=c("error")).sort("hh").with_columns(
        c("errors").map_elements(lambda e: sorted(e, key=error_order),
                                 return_dtype=pl.List(pl.String)))


class TableCheck(NamedTuple):
    bad: pl.DataFrame  # hh (household row) and errors of each bad household
    orphans: list[str]  # household ids named by members rows but not in the households table
    members: pl.DataFrame  # the members of listed households, keyed by hh, with reference_date


def validate_tables(households: pl.DataFrame, members: pl.DataFrame,
                    lang: str = DEFAULT_LANG) -> TableCheck:
    """Every problem of typed tables, by household."""
    check_schema(households, HOUSEHOLD_SCHEMA, "households")
    check_schema(members, MEMBER_SCHEMA, "members")
    incomes = [f.column for f in record.fields_of("income")]
    h = _with_all_columns(households, HOUSEHOLD_SCHEMA).with_row_index("hh").with_columns(
        _income_given=pl.sum_horizontal(c(k).is_not_null().cast(pl.Int32) for k in incomes),
        _members_listed=pl.lit(True))
    m = _with_all_columns(members, MEMBER_SCHEMA).with_row_index("member_row")
    keyed = keyed_members(h, m)
    m = keyed if keyed is not None else m.join(
        h.filter(c("id").is_first_distinct()).select("hh", "reference_date",
                                                     household_id=c("id")),
        on="household_id", how="left")
    orphans = m.filter(c("hh").is_null()).get_column("household_id").unique(
        maintain_order=True).to_list()
    m = m.filter(c("hh").is_not_null())
    bad = _by_household(_errors(h, m, lang, dates_as_text=False))
    return TableCheck(bad, orphans, m.select("hh", "reference_date", *MEMBER_SCHEMA))


class RecordCheck(NamedTuple):
    bad: pl.DataFrame  # hh (the record's position) and errors of each bad record
    households: pl.DataFrame  # the tables, their dates as dates (an invalid one empty)
    members: pl.DataFrame  # keyed by hh, with member_row and reference_date


def check_records(tables: RecordTables, lang: str = DEFAULT_LANG) -> RecordCheck:
    """Every problem of records read by ``tables.read_records``."""
    h = _as_dates(tables.households, "reference_date")
    m = _as_dates(tables.members, "birth_date").join(h.select("hh", "reference_date"),
                                                      on="hh", how="left")
    found = _errors(h, m, lang, dates_as_text=True)
    read = pl.DataFrame(tables.errors, schema={"hh": pl.UInt32, "error": pl.String},
                        orient="row")
    if read.height:
        # a value of the wrong type was left out of the tables: it is not missing
        given = read.select("hh", path=c("error").str.split(": ").list.first())
        found = found.with_columns(path=c("error").str.split(": ").list.first()).join(
            given, on=["hh", "path"], how="anti").drop("path")
    return RecordCheck(_by_household(pl.concat([read, found])),
                       h.drop("reference_date_text"), m.drop("birth_date_text"))


def _as_dates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A text date column (YYYY-MM-DD) as dates, an invalid one empty; the text is kept as
    ``<column>_text`` for the date check."""
    text = c(column)
    return frame.with_columns(text.alias(f"{column}_text"), pl.when(
        text.str.contains(DATE_PATTERN)).then(text.str.to_date("%Y-%m-%d", strict=False))
        .alias(column))
