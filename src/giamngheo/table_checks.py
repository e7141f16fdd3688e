"""Validation of the batch engine's tables, vectorised, with the paths and messages of
``household.validate_household`` (the tables' schema already enforces the types).

Each check is (condition, path, message) over a frame, true on a bad row. Tests give the same
bad records to both validators and compare the errors.
"""

from __future__ import annotations

import string
from typing import NamedTuple

import polars as pl

from . import household as hh
from .messages import DEFAULT_LANG, MESSAGES
from .tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, keyed_members

c = pl.col
REQUIRED_COLUMNS = {"households": ("id", "reference_date", "area"),
                    "members": ("household_id", "id", "relation", "birth_date", "sex")}
Check = tuple[pl.Expr, pl.Expr, pl.Expr]


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


def message(key: str, lang: str, **fields: pl.Expr | str | int) -> pl.Expr:
    """The catalogue message ``key`` with expression fields filled row by row."""
    pattern, args = "", []
    for literal, name, _spec, _conv in string.Formatter().parse(MESSAGES[key][lang]):
        pattern += literal
        if name is not None:
            value = fields[name]
            if isinstance(value, pl.Expr):
                pattern += "{}"
                args.append(value)
            else:
                pattern += str(value)
    return pl.format(pattern, *args) if args else pl.lit(pattern)


def _path(path: pl.Expr | str) -> pl.Expr:
    return pl.lit(path) if isinstance(path, str) else path


def _enum(column: str, allowed: tuple[str, ...], path: pl.Expr | str, lang: str) -> Check:
    return (c(column).is_not_null() & ~c(column).is_in(allowed), _path(path),
            message("not_in_list", lang, value=pl.format("'{}'", c(column)),
                    allowed=", ".join(allowed)))


def _rule(condition: pl.Expr, path: pl.Expr | str, key: str, lang: str, **fields) -> Check:
    return condition, _path(path), message(key, lang, **fields)


def _found(frame: pl.DataFrame, checks: list[Check], locate=None) -> pl.DataFrame:
    """``hh`` and ``error`` of every failed check. Conditions are evaluated in one pass; paths
    and messages only on the few failing rows (``locate`` adds what paths need to those)."""
    flags = [condition.fill_null(False).alias(f"_check{i}")
             for i, (condition, _, _) in enumerate(checks)]
    failing = frame.with_columns(flags).filter(pl.any_horizontal(c(f.meta.output_name())
                                                                 for f in flags))
    if locate is not None:
        failing = locate(failing)
    return pl.concat([failing.filter(c(f"_check{i}")).select(
        "hh", error=pl.concat_str([path, pl.lit(": "), text]))
        for i, (_, path, text) in enumerate(checks)])


def _with_all_columns(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.with_columns(pl.lit(None, dtype=t).alias(k) for k, t in schema.items()
                              if k not in frame.columns)


class TableCheck(NamedTuple):
    bad: pl.DataFrame  # hh (household row) and errors of each bad household
    orphans: list[str]  # household ids named by members rows but not in the households table
    members: pl.DataFrame  # the members of listed households, keyed by hh, with reference_date


def validate_tables(households: pl.DataFrame, members: pl.DataFrame,
                    lang: str = DEFAULT_LANG) -> TableCheck:
    """Every problem of the tables, by household."""
    check_schema(households, HOUSEHOLD_SCHEMA, "households")
    check_schema(members, MEMBER_SCHEMA, "members")
    h = _with_all_columns(households, HOUSEHOLD_SCHEMA).with_row_index("hh")
    first_rows = h.filter(c("id").is_first_distinct())
    m = _with_all_columns(members, MEMBER_SCHEMA).with_row_index("member_row")
    keyed = keyed_members(h, m)
    m = keyed if keyed is not None else m.join(
        first_rows.select("hh", "reference_date", household_id=c("id")),
        on="household_id", how="left")
    orphans = m.filter(c("hh").is_null()).get_column("household_id").unique(
        maintain_order=True).to_list()
    ref, birth = c("reference_date"), c("birth_date")
    m = m.filter(c("hh").is_not_null()).with_columns(
        age=((ref.dt.year() - birth.dt.year()) * 12 + ref.dt.month().cast(pl.Int32)
             - birth.dt.month().cast(pl.Int32)
             - (ref.dt.day() < birth.dt.day()).cast(pl.Int32)) // 12)
    at = c("prefix")

    def first_of_id(failing: pl.DataFrame) -> pl.DataFrame:
        return failing.join(first_rows.select("id", first="hh"), on="id", how="left")

    def member_position(failing: pl.DataFrame) -> pl.DataFrame:
        """members[i]: the member's position in its household, for the failing rows only."""
        positions = m.filter(c("hh").is_in(failing.get_column("hh").unique().implode())) \
            .select("member_row", position=pl.int_range(pl.len()).over("hh"))
        return failing.join(positions, on="member_row", how="left").with_columns(
            prefix=pl.format("members[{}].", c("position")))

    incomes = [f"income_{k}" for k in ("monthly_per_capita", "annual_total", "b1_score")]
    household_checks = [
        _rule(c("id").is_null(), "id", "required", lang),
        _rule(c("id").str.strip_chars() == "", "id", "empty_string", lang),
        _rule(~c("id").is_first_distinct(), "id", "duplicate_id", lang, index=c("first") + 1),
        _rule(c("reference_date").is_null(), "reference_date", "required", lang),
        _rule(c("area").is_null(), "area", "required", lang),
        _enum("area", hh.AREAS, "area", lang),
        _rule(pl.sum_horizontal([c(k).is_not_null().cast(pl.Int32) for k in incomes]) != 1,
              "income", "income_one_of", lang, allowed=", ".join(hh.INCOME_KINDS)),
        *(_rule(c(k) < 0, k.replace("_", ".", 1), "negative", lang) for k in incomes),
        *(_rule(c(k) > hh.MAX_AMOUNT, k.replace("_", ".", 1), "too_large", lang,
                max=hh.MAX_AMOUNT) for k in (*incomes, "dwelling_floor_area_m2")),
        *(_enum(f"dwelling_{k}", hh.DURABILITY, f"dwelling.{k}", lang) for k in hh.STRUCTURES),
        _rule(c("dwelling_floor_area_m2") < 0, "dwelling.floor_area_m2", "negative", lang),
        _enum("dwelling_water_source", hh.WATER_SOURCES, "dwelling.water_source", lang),
        _enum("dwelling_latrine", hh.LATRINES, "dwelling.latrine", lang),
    ]
    devices = h.select("hh", device=c("information_devices"),
                       index=pl.int_ranges(c("information_devices").list.len())) \
        .explode("device", "index").filter(c("device").is_not_null())
    counts = m.group_by("hh").agg(members=pl.len(), heads=(c("relation") == "head").sum())
    h = h.join(counts, on="hh", how="left")
    member_checks = [
        *(_rule(c(k).is_null(), at + k, "required", lang) for k in hh.MEMBER_REQUIRED),
        _rule(c("id").str.strip_chars() == "", at + "id", "empty_string", lang),
        _rule(~pl.struct("hh", "id").is_first_distinct() & (c("id").str.strip_chars() != ""),
              at + "id", "duplicate_member", lang,
              value=pl.format("'{}'", c("id"))),
        *(_enum(k, allowed, at + k, lang) for k, allowed in hh.MEMBER_ENUMS.items()),
        _rule(c("school_level").is_not_null() & ~c("in_education"), at + "school_level",
              "school_level_not_in_education", lang),
        _rule(birth > ref, at + "birth_date", "birth_after_reference", lang),
        _rule((birth <= ref) & (c("age") > hh.MAX_AGE), at + "birth_date", "age_over_max", lang,
              age=c("age"), max=hh.MAX_AGE),
        *(_rule(c(flag) & (birth <= ref) & (c("age") >= hh.NUTRITION_AGE_LIMIT), at + flag,
                "nutrition_adult", lang, limit=hh.NUTRITION_AGE_LIMIT, age=c("age"))
          for flag in ("stunted", "underweight")),
    ]
    membership_checks = [
        _rule(c("members").is_null(), "members", "no_members", lang),
        _rule(c("members").is_not_null() & (c("heads") != 1), "members", "head_count", lang,
              count=c("heads")),
    ]
    found = pl.concat([
        _found(h, household_checks, first_of_id),
        _found(devices, [_enum("device", hh.DEVICES,
                               pl.format("information.devices[{}]", c("index")), lang)]),
        _found(m, member_checks, member_position),
        _found(h, membership_checks),
    ])
    bad = found.group_by("hh", maintain_order=True).agg(errors=c("error")).sort("hh")
    return TableCheck(bad, orphans, m.select("hh", "reference_date", *MEMBER_SCHEMA))
