"""Reading household records and writing results in the formats of the CLI contract
(docs/record-format.md, "The command line").

Input: JSON (one record or a list), JSONL, CSV (one row per member, household columns
repeated) and XLSX (sheets ``households`` and ``members``). Tabular cells are text to the
reader: a cell that reads as the field's type is converted (``tables.from_cell``), anything
else is passed on unchanged so that validation reports it (nothing is silently coerced).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from .household import ParseFailure
from .tables import from_cell, member_from_row, record_from_row

OUTPUT_FORMATS = ("json", "jsonl", "csv", "xlsx")
MEMBER_PREFIX = "member_"


class InputError(Exception):
    """The input cannot be read at all (exit status 2)."""


Item = dict[str, Any] | ParseFailure | Any


def read_input(path: str) -> list[Item]:
    """Records (or parse failures) of ``path``; ``-`` is standard input (JSON or JSONL)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return _read_json_or_jsonl(data, "-")
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".json":
            return _read_json(p.read_bytes(), path)
        if suffix in (".jsonl", ".ndjson"):
            return list(_read_jsonl(p.read_bytes()))
        if suffix == ".csv":
            return _read_csv(p)
        if suffix in (".xlsx", ".xls", ".ods"):
            return _read_xlsx(p)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    raise InputError(f"{path}: unsupported input format {suffix or '(none)'}; "
                     "use .json, .jsonl, .csv or .xlsx")


def _read_json(data: bytes, name: str) -> list[Item]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON: {exc}") from None
    return value if isinstance(value, list) else [value]


def _read_json_or_jsonl(data: bytes, name: str) -> list[Item]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        items = list(_read_jsonl(data))
        if items and all(isinstance(i, ParseFailure) for i in items):
            raise InputError(f"{name}: neither JSON nor JSONL") from None
        return items
    return value if isinstance(value, list) else [value]


def _read_jsonl(data: bytes) -> Iterator[Item]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield ParseFailure(f"$: line {number} is not valid JSON: {exc}")


# --- tabular input ---------------------------------------------------------------------------

def _household_columns(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if not k.startswith(MEMBER_PREFIX)
            and k != "household_id"}


def records_from_rows(households: Iterable[dict[str, str]],
                      members: Iterable[dict[str, str]] | None) -> list[Item]:
    """Records from a households table and a members table (``household_id`` column); with
    ``members`` None, each household row also carries one member in ``member_*`` columns."""
    records: dict[str, dict[str, Any]] = {}
    order: list[Item] = []
    for index, row in enumerate(households, start=2):
        key = str(row.get("id") or "").strip()
        if not key:
            order.append(ParseFailure(f"$: row {index} has no household id"))
            continue
        if key not in records:
            records[key] = record_from_row(_household_columns(row), from_cell)
            order.append(records[key])
        if members is None:
            records[key]["members"].append(member_from_row(row, from_cell, MEMBER_PREFIX))
    if members is not None:
        for index, row in enumerate(members, start=2):
            key = str(row.get("household_id") or "").strip()
            if key not in records:
                order.append(ParseFailure(
                    f"$: members row {index} names household {key!r}, which is not listed"))
                continue
            records[key]["members"].append(member_from_row(row, from_cell))
    return order


def _read_csv(path: Path) -> list[Item]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise InputError(f"{path}: a CSV needs a header row with an 'id' column")
        return records_from_rows(list(reader), None)


def _read_xlsx(path: Path) -> list[Item]:
    import fastexcel

    try:
        workbook = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own hierarchy for every unreadable file
        raise InputError(f"{path}: not a readable workbook ({exc})") from None
    sheets = {name.lower(): name for name in workbook.sheet_names}
    if "households" not in sheets:
        raise InputError(f"{path}: the workbook needs a sheet named 'households'")

    def rows(name: str) -> list[dict[str, str]]:
        sheet = workbook.load_sheet(sheets[name], dtypes="string")
        return sheet.to_polars().to_dicts()

    return records_from_rows(rows("households"),
                             rows("members") if "members" in sheets else None)


# --- output ----------------------------------------------------------------------------------

def dump_json(results: list[dict[str, Any]]) -> bytes:
    return orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n"


def dump_jsonl(results: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in results)


def flat_rows(results: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per household: the result's scalar fields, one column per indicator and per
    provincial standard's field, the reasons joined by `` | ``, and any errors."""
    codes: list[str] = []
    others: list[str] = []
    for r in results:
        for code in r.get("deprivations", {}):
            if code not in codes:
                codes.append(code)
        for sid in r.get("other_standards", {}):
            if sid not in others:
                others.append(sid)
    fixed = ["id", "standard", "area", "income_per_capita_month", "income_poor",
             "classification", "poor_group", "labour_capacity", "deprivation_count"]
    other_fields = ("income_poor", "classification", "poor_group")
    header = [*fixed, *codes, *(f"{sid}.{k}" for sid in others for k in other_fields),
              "reasons", "errors"]
    rows = []
    for r in results:
        row = [r.get(k) for k in fixed]
        row += [r.get("deprivations", {}).get(code) for code in codes]
        for sid in others:
            summary = r.get("other_standards", {}).get(sid, {})
            row += [summary.get(k) for k in other_fields]
        row += [" | ".join(r.get("reasons", [])), " | ".join(r.get("errors", []))]
        rows.append(row)
    return header, rows


def dump_csv(results: list[dict[str, Any]]) -> bytes:
    header, rows = flat_rows(results)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v
                         for v in row])
    return out.getvalue().encode("utf-8")


def write_xlsx(results: list[dict[str, Any]], target: Path | io.BytesIO) -> None:
    from .xlsx import new_workbook

    header, rows = flat_rows(results)
    workbook = new_workbook(target, constant_memory=True, in_memory=False)
    sheet = workbook.add_worksheet("results")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, ["" if v is None else v for v in row])
    sheet.freeze_panes(1, 1)
    workbook.close()
