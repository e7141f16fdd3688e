"""The household record as two flat tables, the batch engine's input, and the conversions
between records and rows. Columns and types derive from the field declarations
(``record.py``).

``households``: one row per household, the record's nested objects flattened with ``_``
(``income_monthly_per_capita``, ``dwelling_walls``, ``information_devices``...), plus
``has_dwelling`` (true: a dwelling object; false: ``"dwelling": null``; empty: not recorded).
``members``: one row per member, keyed by ``household_id``, in the household's order.
A ``b1_items`` answer set is scored into ``income_b1_score`` on the way in.

:func:`read_records` turns many records into the tables at once, finding on the way what a
table cannot hold (unknown fields, values of the wrong type: ``validation.type_problem``);
:func:`record_from_row` is the one converter of a flat row back into a record, for typed rows
(the tables) and for text cells (CSV and workbooks) alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from . import record
from .messages import text
from .record import Field
from .validation import element_problem, type_problem, value_problems

if TYPE_CHECKING:
    from .rules.scorecard import Scorecard

DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "date": pl.Date(), "enum": pl.String(),
    "enum_list": pl.List(pl.String()), "bool": pl.Boolean(), "integer": pl.Int64(),
    "number": pl.Float64(),
}
HAS_DWELLING = "has_dwelling"


def _household_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {}
    for f in record.HOUSEHOLD_FIELDS:
        if f.group == "dwelling" and HAS_DWELLING not in schema:
            schema[HAS_DWELLING] = pl.Boolean()
        schema[f.column] = DTYPES[f.kind]
    return schema


HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = _household_schema()
MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.String(), **{f.column: DTYPES[f.kind] for f in record.MEMBER_FIELDS}}
COLUMN_FIELDS: dict[str, Field] = {f.column: f for f in record.HOUSEHOLD_FIELDS}
MEMBER_COLUMN_FIELDS: dict[str, Field] = {f.column: f for f in record.MEMBER_FIELDS}
EMPTY_LIST = "-"


# --- many records into the tables ------------------------------------------------------------

class _Missing:
    """An absent key, where an explicit null matters."""


MISSING = _Missing()
_EMPTY: dict[str, Any] = {}
_TYPES: dict[str, set[type]] = {
    "string": {str}, "date": {str}, "enum": {str}, "enum_list": {list}, "bool": {bool},
    "integer": {int}, "number": {int, float},
}
_INT64 = (-(2**63), 2**63 - 1)


@dataclass
class RecordTables:
    """Records as tables (``hh``: the item's position; dates still text, checked by
    ``table_checks.check_records``), and what the tables cannot hold, as ``(hh, error)``."""

    households: pl.DataFrame
    members: pl.DataFrame
    errors: list[tuple[int, str]]


class _Reader:
    def __init__(self, lang: str):
        self.lang = lang
        self.errors: list[tuple[int, str]] = []

    def error(self, hh: int, path: str, key: str, **fields: Any) -> None:
        self.errors.append((hh, f"{path}: {text(key, self.lang, **fields)}"))

    def unknown(self, objects: list[dict[str, Any]], owners: list[int], allowed: tuple[str, ...],
                prefix: Callable[[int], str]) -> None:
        """Keys outside ``allowed`` (looked for one by one only when there are some)."""
        if set(chain.from_iterable(objects)) <= set(allowed):
            return
        for j, obj in enumerate(objects):
            for key in obj:
                if key not in allowed:
                    self.error(owners[j], f"{prefix(j)}{key}", "unknown_field")

    def column(self, objects: list[dict[str, Any]], f: Field, owners: list[int],
               prefix: Callable[[int], str]) -> list[Any]:
        """The values of ``f`` in ``objects`` (None where absent or of the wrong type). The
        common case, every value of the right type, is checked at C speed."""
        values = list(map(dict.get, objects, repeat(f.name)))
        types = set(map(type, values))
        clean = types <= _TYPES[f.kind] | {type(None)}
        if clean and type(None) in types:  # an explicit null is a wrong value
            absent = len(objects) - sum(map(dict.__contains__, objects, repeat(f.name)))
            clean = values.count(None) == absent
        if clean and f.kind == "number" and float in types:
            clean = all(v == v for v in values if type(v) is float)  # no NaN
        if clean and f.kind == "integer" and int in types:
            numbers = [v for v in values if type(v) is int]
            clean = _INT64[0] <= min(numbers) and max(numbers) <= _INT64[1]
        if clean and f.kind == "enum_list":
            clean = set(map(type, chain.from_iterable(v for v in values if v))) <= {str}
        if not clean:
            for j, obj in enumerate(objects):
                if f.name in obj:
                    values[j] = self._kept(f, obj[f.name], owners[j], prefix(j))
        return values

    def _kept(self, f: Field, value: Any, hh: int, path: str) -> Any:
        """The value a table can hold (None when none), its problems recorded; the record is
        left as it is."""
        problem = type_problem(f, value)
        if problem is None and f.kind == "integer" and not _INT64[0] <= value <= _INT64[1]:
            problem = value_problems(f, value)[0]  # beyond 64 bits: too large or negative
        if problem is not None:
            self.error(hh, f"{path}{f.name}", problem[0], **problem[1])
            return None
        if f.kind != "enum_list":
            return value
        kept = []
        for i, element in enumerate(value):
            wrong = element_problem(f, element)
            if wrong is not None:
                self.error(hh, f"{path}{f.name}[{i}]", wrong[0], **wrong[1])
            kept.append(None if wrong else element)
        return kept

    def group(self, objects: list[dict[str, Any]], group: record.Group, owners: list[int],
              prefix: str) -> dict[str, list[Any] | pl.Series]:
        """The columns of a group's fields (dwelling, income, information) in ``objects``."""
        fields = record.fields_of(group)
        fast = _group_fast(objects, fields)
        if fast is not None:
            return fast
        return {f.column: self.column(objects, f, owners, lambda j: prefix) for f in fields}

    def objects(self, records: list[dict[str, Any]], owners: list[int], key: str,
                not_object: str, null_allowed: bool = False) -> tuple[list[dict[str, Any]],
                                                                      list[Any]]:
        """Each record's ``key`` as a dict (empty when absent, null or wrong), and the raw."""
        raw = list(map(dict.get, records, repeat(key), repeat(MISSING)))
        types = set(map(type, raw))
        if types <= {dict}:
            return raw, raw
        if not types <= {dict, _Missing} | ({type(None)} if null_allowed else set()):
            for j, value in enumerate(raw):
                if type(value) is not dict and value is not MISSING \
                        and not (null_allowed and value is None):
                    self.error(owners[j], key, not_object)
        return [v if type(v) is dict else _EMPTY for v in raw], raw


def read_records(items: list[Any], lang: str,
                 scorecard: Scorecard | None = None) -> RecordTables:
    """Many household records (dicts; anything else is refused) as the two tables."""
    from .household import ParseFailure

    reader = _Reader(lang)
    owners: list[int] = []
    records: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            owners.append(i)
            records.append(item)
        elif isinstance(item, ParseFailure):
            reader.errors.append((i, item.message))
        else:
            reader.error(i, "$", "not_object")
    households = _households(reader, records, owners, scorecard)
    members = _members(reader, records, owners)
    return RecordTables(households, members, reader.errors)


def _households(reader: _Reader, records: list[dict[str, Any]], owners: list[int],
                scorecard: Scorecard | None) -> pl.DataFrame:
    def top(j: int) -> str:
        return ""

    reader.unknown(records, owners, record.TOP_LEVEL, top)
    columns: dict[str, list[Any] | pl.Series] = {}
    for f in record.fields_of("household"):
        columns[f.column] = reader.column(records, f, owners, top)
    for key in ("income", "members"):
        if not all(map(dict.__contains__, records, repeat(key))):
            for j, r in enumerate(records):
                if key not in r:
                    reader.error(owners[j], key, "required")
    incomes, _ = reader.objects(records, owners, "income", "not_object")
    reader.unknown(incomes, owners, record.INCOME_KINDS, lambda j: "income.")
    columns.update(reader.group(incomes, "income", owners, "income."))
    given = [sum(map(d.__contains__, record.INCOME_KINDS)) for d in incomes]
    income_given = [g if type(r.get("income")) is dict else None
                    for g, r in zip(given, records, strict=True)]
    _score_items(reader, records, incomes, owners, columns, scorecard)
    dwellings, raw = reader.objects(records, owners, "dwelling", "not_object_or_null",
                                    null_allowed=True)
    columns[HAS_DWELLING] = [True if type(d) is dict else False if d is None else None
                             for d in raw]
    reader.unknown(dwellings, owners, record.keys_of("dwelling"), lambda j: "dwelling.")
    columns.update(reader.group(dwellings, "dwelling", owners, "dwelling."))
    informations, _ = reader.objects(records, owners, "information", "not_object")
    reader.unknown(informations, owners, record.keys_of("information"), lambda j: "information.")
    columns.update(reader.group(informations, "information", owners, "information."))
    reader.objects(records, owners, "extra", "not_object")
    schema = {**HOUSEHOLD_SCHEMA, "reference_date": pl.String()}
    frame = pl.DataFrame({k: _series(k, columns[k], t) for k, t in schema.items()})
    listed = [type(r.get("members")) is list for r in records]
    return frame.with_columns(
        pl.Series("hh", owners, dtype=pl.UInt32),
        pl.Series("_income_given", income_given, dtype=pl.Int32),
        pl.Series("_members_listed", listed, dtype=pl.Boolean))


def _series(name: str, values: list[Any] | pl.Series, dtype: pl.DataType) -> pl.Series:
    if isinstance(values, pl.Series):
        return values.alias(name)
    if isinstance(dtype, pl.List):
        return _list_series(name, values, dtype)
    return pl.Series(name, values, dtype=dtype)


def _group_fast(objects: list[dict[str, Any]],
                fields: tuple[Field, ...]) -> dict[str, list[Any] | pl.Series] | None:
    """A group's columns built by Polars at once, when every value has its field's type; None
    when some value may not (then each column is checked value by value). Polars turns any
    value into text where a text is due: the group's values may only be of its fields' types,
    a number read into a text shows as a code outside its field's list, which sends the group
    to the careful path, and a number field is looked at alone."""
    if any(f.kind == "enum_list" for f in fields):
        return None  # Polars builds list columns element by element: _list_series is faster
    allowed = set().union(*(_TYPES[f.kind] for f in fields))
    if not set(map(type, chain.from_iterable(map(dict.values, objects)))) <= allowed:
        return None  # a null, a wrong type, a value of another field's type
    for f in fields:  # Polars would read 1.0 as the whole number 1, "40" as the number 40
        if f.kind not in ("string", "enum") and _TYPES[f.kind] != allowed and not set(
                map(type, map(dict.get, objects, repeat(f.name)))) <= _TYPES[f.kind] | {
                type(None)}:
            return None
    try:
        frame = pl.from_dicts(objects, schema={f.name: DTYPES[f.kind] for f in fields},
                              strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        return None
    checks = [~pl.col(f.name).is_in(f.codes) for f in fields if f.kind == "enum"]
    checks += [pl.col(f.name).is_nan() for f in fields if f.kind == "number"]
    if checks and frame.select(pl.any_horizontal(checks).any()).item():
        return None  # an error to word exactly: the careful path does
    return {f.column: frame.get_column(f.name) for f in fields}


def _list_series(name: str, lists: list[list[Any] | None], dtype: pl.List) -> pl.Series:
    """A list column, built from its elements at once (Polars would build each list apart)."""
    lengths = [len(v) if v is not None else 0 for v in lists]
    elements = pl.Series(list(chain.from_iterable(v for v in lists if v)), dtype=dtype.inner)
    rows = np.repeat(np.arange(len(lists), dtype=np.uint32), lengths)
    grouped = pl.DataFrame({"row": rows, "v": elements}).group_by("row").agg("v")
    given = pl.Series("given", [v is not None for v in lists], dtype=pl.Boolean)
    return pl.DataFrame({"row": np.arange(len(lists), dtype=np.uint32), "given": given}).join(
        grouped, on="row", how="left", maintain_order="left").select(
        pl.when(pl.col("given")).then(pl.col("v").fill_null(pl.lit([], dtype=dtype)))
        .alias(name)).to_series()


def _score_items(reader: _Reader, records: list[dict[str, Any]], incomes: list[dict[str, Any]],
                 owners: list[int], columns: dict[str, list[Any] | pl.Series],
                 scorecard: Scorecard | None) -> None:
    """B1 item answers scored into ``income_b1_score`` (their problems reported)."""
    if not any(map(dict.__contains__, incomes, repeat("b1_items"))):
        return
    scores = columns["income_b1_score"]
    assert isinstance(scores, list)  # answers are objects: the careful path read the incomes
    for j, income in enumerate(incomes):
        if "b1_items" not in income:
            continue
        answers = income["b1_items"]
        if not isinstance(answers, dict):
            reader.error(owners[j], "income.b1_items", "not_object")
        elif scorecard is None:
            reader.error(owners[j], "income.b1_items", "no_scorecard")
        else:
            problems = scorecard.check_answers(answers, records[j], lang=reader.lang)
            reader.errors += [(owners[j], p) for p in problems]
            area, province = records[j].get("area"), records[j].get("province_code")
            if not problems and area in record.AREA.codes and isinstance(province, str | None) \
                    and scorecard.column(area, province) is not None:
                scores[j] = scorecard.score(answers, area, province)


def _members(reader: _Reader, records: list[dict[str, Any]], owners: list[int]) -> pl.DataFrame:
    raw = list(map(dict.get, records, repeat("members"), repeat(MISSING)))
    lists = raw if set(map(type, raw)) <= {list} else [
        v if type(v) is list else [] for v in raw]
    for j, value in enumerate(raw):
        if value is not MISSING and type(value) is not list:
            reader.error(owners[j], "members", "not_list")
    counts = list(map(len, lists))
    members = list(chain.from_iterable(lists))
    positions = list(chain.from_iterable(map(range, counts)))
    hh = np.repeat(np.asarray(owners, dtype=np.uint32), counts).tolist()
    if not set(map(type, members)) <= {dict}:
        keep = [type(m) is dict for m in members]
        for j in (j for j, k in enumerate(keep) if not k):
            reader.error(hh[j], f"members[{positions[j]}]", "not_object")
        members = [m for m, k in zip(members, keep, strict=True) if k]
        positions = [p for p, k in zip(positions, keep, strict=True) if k]
        hh = [h for h, k in zip(hh, keep, strict=True) if k]

    def prefix(j: int) -> str:
        return f"members[{positions[j]}]."

    reader.unknown(members, hh, record.keys_of("member"), prefix)
    schema = {f.column: DTYPES[f.kind] for f in record.MEMBER_FIELDS}
    schema["birth_date"] = pl.String()
    frame = _members_fast(members, schema)
    if frame is None:
        frame = pl.DataFrame({f.column: pl.Series(f.column, reader.column(members, f, hh, prefix),
                                                  dtype=schema[f.column])
                              for f in record.MEMBER_FIELDS})
    return frame.with_columns(pl.Series("hh", hh, dtype=pl.UInt32),
                              pl.Series("position", positions, dtype=pl.Int32),
                              pl.int_range(pl.len(), dtype=pl.UInt32).alias("member_row"))


def _members_fast(members: list[dict[str, Any]],
                  schema: dict[str, pl.DataType]) -> pl.DataFrame | None:
    """The members' table when every value has its field's type (members hold only texts and
    booleans), built by Polars at once; None when some value does not (then each column is
    checked value by value)."""
    if not set(map(type, chain.from_iterable(map(dict.values, members)))) <= {str, bool}:
        return None  # a number, a list, a null...
    try:
        frame = pl.from_dicts(members, schema=schema, strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        return None  # a text where a boolean is due
    # a boolean where a text is due reads as "true" or "false": look at those rows
    texts = [k for k, t in schema.items() if t == pl.String()]
    suspects = frame.select(pl.any_horizontal(pl.col(texts).is_in(["true", "false"]))) \
        .to_series()
    if suspects.any():
        for j in suspects.arg_true().to_list():
            if any(type(members[j].get(k)) is bool for k in texts):
                return None
    return frame


def records_to_tables(records: list[dict[str, Any]],
                      scorecard: Scorecard | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Valid household records (``household.validate_household``) as the two tables."""
    tables = read_records(records, "en", scorecard)
    households = tables.households.with_columns(
        pl.col("reference_date").str.to_date("%Y-%m-%d")).select(list(HOUSEHOLD_SCHEMA))
    ids = households.get_column("id")
    members = tables.members.with_columns(
        household_id=ids.gather(tables.members.get_column("hh")),
        birth_date=pl.col("birth_date").str.to_date("%Y-%m-%d")).select(list(MEMBER_SCHEMA))
    return households, members


# --- rows back into records -------------------------------------------------------------------

_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d+(\.\d+)?")
_EXCEL_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00(?:\.0+)?)?")
GROUPS = ("income", "dwelling", "information")


def from_cell(cell: str, f: Field | None) -> Any:
    """A text cell as ``f``'s type when it reads exactly as one; else the text unchanged, for
    validation to report (nothing is silently coerced)."""
    value = cell.strip()
    kind = f.kind if f is not None else "string"
    if kind == "integer":
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value) and float(value).is_integer():  # spreadsheets store floats
            return int(float(value))
    elif kind == "number":
        if _FLOAT.fullmatch(value):
            return int(value) if _INT.fullmatch(value) else float(value)
    elif kind == "bool":
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    elif kind == "date":
        match = _EXCEL_DATE.fullmatch(value)
        if match:
            return match.group(1)
    elif kind == "enum_list":
        return [] if value == EMPTY_LIST else [p.strip() for p in value.split(";") if p.strip()]
    return value


def from_typed(value: Any, f: Field | None) -> Any:
    """A typed table value as the record holds it (dates as YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, dt.date) else value


Reader = Callable[[Any, Field | None], Any]


def record_from_row(row: Mapping[str, Any], read: Reader = from_typed,
                    members: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A households-table row as a record: ``income_*``, ``dwelling_*`` and ``information_*``
    columns into their objects, ``has_dwelling`` deciding between a dwelling and none. Empty
    cells are left out; ``read`` turns a cell into the field's value (``from_typed`` for table
    rows, ``from_cell`` for text cells)."""
    out: dict[str, Any] = {}
    objects: dict[str, dict[str, Any]] = {group: {} for group in GROUPS}
    has_dwelling: Any = None
    for column, cell in row.items():
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        if column == HAS_DWELLING:
            has_dwelling = read(cell, record.DWELLING_PRESENCE)
            continue
        value = read(cell, COLUMN_FIELDS.get(column))
        group, _, name = column.partition("_")
        if group in GROUPS and name:
            objects[group][name] = value
        else:
            out[column] = value
    out["income"] = objects["income"]
    if has_dwelling is True or (has_dwelling is None and objects["dwelling"]):
        out["dwelling"] = objects["dwelling"]
    elif has_dwelling is False:
        out["dwelling"] = None
    elif has_dwelling is not None:
        out["dwelling"] = has_dwelling  # neither yes nor no: validation reports it
    if objects["information"]:
        out["information"] = objects["information"]
    out["members"] = [] if members is None else members
    return out


def member_from_row(row: Mapping[str, Any], read: Reader = from_typed,
                    prefix: str = "") -> dict[str, Any]:
    """A members-table row (or the ``prefix``-ed columns of a row) as a member."""
    member = {}
    for column, cell in row.items():
        if not column.startswith(prefix) or column == "household_id" or cell is None \
                or (isinstance(cell, str) and not cell.strip()):
            continue
        key = column.removeprefix(prefix)
        member[key] = read(cell, MEMBER_COLUMN_FIELDS.get(key))
    return member


def tables_to_records(households: pl.DataFrame, members: pl.DataFrame) -> list[dict[str, Any]]:
    """The two tables back as household records (unrecorded fields left out)."""
    by_household: dict[str, list[dict[str, Any]]] = {}
    for row in members.iter_rows(named=True):
        by_household.setdefault(row["household_id"], []).append(member_from_row(row))
    return [record_from_row(row, members=by_household.get(row["id"], []))
            for row in households.iter_rows(named=True)]


# --- table files ------------------------------------------------------------------------------

class TableReadError(ValueError):
    """A table file cannot be read as the schema says (the message names file, row, column)."""


def read_table(path: Path | str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A households or members table from Parquet, CSV or JSONL.

    CSV cells are text: each column is converted to the schema's type (dates YYYY-MM-DD,
    booleans true/false, lists separated by ``;`` with ``-`` for an empty list) and a cell that
    does not convert is an error.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return _typed_json_lines(path, schema)
        if suffix != ".csv":
            raise TableReadError(f"{path}: use a .parquet, .csv or .jsonl table")
        raw = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableReadError(f"{path}: {exc}") from None
    converted = []
    for column in raw.columns:
        cell = pl.col(column).str.strip_chars()
        cell = pl.when(cell == "").then(None).otherwise(cell)
        kind = schema.get(column, pl.String())
        if kind == pl.Date:
            value = cell.str.to_date("%Y-%m-%d", strict=False)
        elif kind == pl.Boolean:
            lowered = cell.str.to_lowercase()
            value = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
        elif isinstance(kind, pl.List):  # "-" records an empty list; an empty cell, nothing
            value = pl.when(cell == EMPTY_LIST).then(pl.lit([], dtype=kind)).otherwise(
                cell.str.split(";").list.eval(pl.element().str.strip_chars()))
        else:
            value = cell.cast(kind, strict=False)
        converted.append((column, cell, value))
    frame = raw.select(*(v.alias(k) for k, _, v in converted),
                       *(t.is_not_null().alias(f"_given_{k}") for k, t, _ in converted))
    for column, _, _ in converted:
        bad = frame.with_row_index("row").filter(
            pl.col(f"_given_{column}") & pl.col(column).is_null())
        if bad.height:
            row = bad.get_column("row")[0]
            value = raw.get_column(column)[row]
            raise TableReadError(f"{path.name} row {row + 2}, column {column}: "
                                 f"{value!r} is not a {schema.get(column, pl.String())}")
    return frame.select(raw.columns)


def _typed_json_lines(path: Path, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A JSONL table (one flat object per line) with the schema's types, strictly."""
    raw = pl.read_ndjson(path, infer_schema_length=None)
    columns = []
    for column, dtype in raw.schema.items():
        wanted = schema.get(column, dtype)
        if wanted == pl.Date and dtype == pl.String:
            columns.append(pl.col(column).str.to_date("%Y-%m-%d"))
        elif dtype in (wanted, pl.Null):
            columns.append(pl.col(column).cast(wanted))
        else:
            raise TableReadError(f"{path.name}, column {column}: {dtype} values where "
                                 f"{wanted} is due")
    try:
        return raw.select(columns)
    except pl.exceptions.PolarsError as exc:
        raise TableReadError(f"{path.name}: {exc}") from None


def write_results(results: pl.DataFrame, path: Path | str) -> None:
    """Batch results as Parquet, CSV (lists joined by `` | ``) or JSONL, by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        results.write_parquet(path)
    elif suffix == ".csv":
        results.with_columns(pl.col(k).list.join(" | ") for k, t in results.schema.items()
                             if isinstance(t, pl.List)).write_csv(path)
    elif suffix in (".jsonl", ".ndjson"):
        results.write_ndjson(path)
    else:
        raise TableReadError(f"{path}: write .parquet, .csv or .jsonl")


def keyed_members(households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame | None:
    """Members with their household's ``hh`` and ``reference_date``, found by run lengths when
    the members come grouped in the households' order (the usual layout, and far faster than a
    join on the ids); None when they do not."""
    runs = members.get_column("household_id").rle().struct.unnest()
    ids = households.get_column("id")
    if runs.height != households.height or not runs.get_column("value").equals(ids):
        return None
    rows = pl.int_range(households.height, eager=True, dtype=pl.UInt32) \
        .repeat_by(runs.get_column("len")).explode()
    return members.with_columns(hh=households.get_column("hh").gather(rows),
                                reference_date=households.get_column("reference_date")
                                .gather(rows))
