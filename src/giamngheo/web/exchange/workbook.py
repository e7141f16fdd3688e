"""Reading an officer's household workbook with calamine (fastexcel): two sheets keyed by the
household code, or one sheet with a row per member whose household cells may be merged or left
blank under the first member. Every cell problem is reported with sheet, row and column; nothing
is dropped silently.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from ...cells import CellError
from ...messages import text
from ...text import fold
from . import safety
from .columns import Column, household_columns, match_headers, member_columns

HOUSEHOLD_SHEETS = {"ho gia dinh", "households", "ho"}
MEMBER_SHEETS = {"thanh vien", "members", "nhan khau"}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    unreadable: set[str] = field(default_factory=set)  # keys whose cell could not be read


@dataclass
class ParsedWorkbook:
    households: dict[str, Row] = field(default_factory=dict)
    members: dict[str, list[Row]] = field(default_factory=dict)
    household_fields: set[str] = field(default_factory=set)
    member_fields: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


class WorkbookError(Exception):
    """The file cannot be read as a household workbook at all."""


class BoundedWorkbook:
    """An uploaded workbook whose bounds were checked (``safety``): its headers are read
    alone, then its rows, one at a time, once every entry passed the full scan."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.sheets = safety.checked_sheets(path)
        except safety.FileRefused as refused:
            raise WorkbookError(str(refused)) from None
        self.sheet_names = list(self.sheets)
        self._scanned = False

    def headers(self, sheet: str) -> list[str]:
        try:
            return safety.first_row(self.path, sheet)
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
            raise WorkbookError(_("This file is not an Excel workbook (.xlsx).")) from None

    def rows(self, sheet: str) -> Iterator[tuple[str | None, ...]]:
        """The rows under the header row, as text, streamed from the sheet's columns."""
        import fastexcel

        if not self._scanned:
            try:
                safety.scan_workbook(self.path, self.sheets)
            except safety.FileRefused as refused:
                raise WorkbookError(str(refused)) from None
            self._scanned = True
        try:
            frame = fastexcel.read_excel(str(self.path)).load_sheet(
                sheet, header_row=None, skip_rows=1, dtypes="string").to_polars()
        except Exception:  # fastexcel raises its own hierarchy for every unreadable file
            raise WorkbookError(_("This file is not an Excel workbook (.xlsx).")) from None
        yield from frame.iter_rows()

    def records(self, sheet: str) -> Iterator[dict[str, str | None]]:
        headers = self.headers(sheet)
        for row in self.rows(sheet):
            yield {h: v for h, v in zip(headers, row, strict=False) if h}


def load_workbook(path: Path) -> BoundedWorkbook:
    return BoundedWorkbook(path)


def read_workbook(path: Path, lang: str = "vi") -> ParsedWorkbook:
    workbook = load_workbook(path)
    parsed = ParsedWorkbook()
    names = {fold(n): n for n in workbook.sheet_names}
    household_sheet = next((names[n] for n in names if n in HOUSEHOLD_SHEETS), None)
    member_sheet = next((names[n] for n in names if n in MEMBER_SHEETS), None)
    if household_sheet and member_sheet:
        # the members' headers too are checked before a row of either sheet is read
        _columns(workbook.headers(member_sheet), member_columns(), member_sheet,
                 ParsedWorkbook())
        _read_households(workbook, household_sheet, parsed, lang)
        _read_members(workbook, member_sheet, parsed, lang, with_households=False)
    elif member_sheet or household_sheet or workbook.sheet_names:
        sheet = member_sheet or household_sheet or workbook.sheet_names[0]
        _read_members(workbook, sheet, parsed, lang, with_households=True)
    return parsed


class WrongHeaders(WorkbookError):
    """The headers miss a required column: the rows are not read."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(f"{p.sheet} / {p.column}: {p.message}" for p in problems))
        self.problems = problems


def _columns(headers: list[str], columns: tuple[Column, ...], sheet: str,
             parsed: ParsedWorkbook, others: tuple[Column, ...] = ()) -> dict[int, Column]:
    found = match_headers(headers, columns)
    known = set(match_headers(headers, columns + others))
    for index, header in enumerate(headers):
        if header and index not in known:
            parsed.problems.append(Problem(sheet, 1, header, _(
                "Unknown column; the template's columns are: %(headers)s") % {
                    "headers": ", ".join(c.header for c in columns + others)}))
    missing = [Problem(sheet, 1, column.header, _("Required column missing."))
               for column in columns if column.required and column not in found.values()]
    if missing:  # checked before a single row is read
        raise WrongHeaders(parsed.problems + missing)
    return found


def _parse_row(cells: list[str | None], columns: dict[int, Column], sheet: str, number: int,
               parsed: ParsedWorkbook, lang: str) -> Row:
    """The row's values; a required cell left empty and every unreadable cell is a problem."""
    row = Row(sheet, number, {})
    for index, column in columns.items():
        cell = cells[index] if index < len(cells) else None
        if cell is None or not cell.strip():
            if column.required:
                row.unreadable.add(column.key)
                parsed.problems.append(Problem(sheet, number, column.header, _("Required.")))
            continue
        try:
            row.values[column.key] = column.parse(cell)
        except CellError as error:
            row.unreadable.add(column.key)
            parsed.problems.append(Problem(sheet, number, column.header,
                                           text(error.key, lang, **error.fields)))
    return row


def _read_households(workbook, sheet: str, parsed: ParsedWorkbook, lang: str) -> None:
    columns = _columns(workbook.headers(sheet), household_columns(), sheet, parsed)
    parsed.household_fields = {c.key for c in columns.values()}
    for number, cells in enumerate(workbook.rows(sheet), start=2):
        if not any(c and c.strip() for c in cells):
            continue  # empty rows are skipped
        add_household(parsed, _parse_row(cells, columns, sheet, number, parsed, lang))


def add_household(parsed: ParsedWorkbook, row: Row) -> None:
    code = row.values.get("code")
    if not code:
        return  # reported as a required cell
    if code in parsed.households:
        first = parsed.households[code]
        parsed.problems.append(Problem(row.sheet, row.number, "Mã hộ", _(
            "Household code %(code)s already on row %(row)s.") % {
                "code": code, "row": first.number}))
    else:
        parsed.households[code] = row


def _read_members(workbook, sheet: str, parsed: ParsedWorkbook, lang: str,
                  with_households: bool) -> None:
    headers = workbook.headers(sheet)
    household_cols = match_headers(headers, household_columns()) if with_households else {}
    columns = _columns(headers, member_columns(), sheet, parsed,
                       others=household_columns() if with_households else ())
    if with_households:
        parsed.household_fields = {c.key for c in household_cols.values()}
    parsed.member_fields = {c.key for c in columns.values()}
    code_index = next((i for i, c in columns.items() if c.key == "household"), None)
    current: str | None = None
    for number, cells in enumerate(workbook.rows(sheet), start=2):
        if not any(c and c.strip() for c in cells):
            continue
        cells = list(cells)
        if code_index is not None and with_households:
            # a merged or blank household code belongs to the household above
            if cells[code_index] and cells[code_index].strip():
                current = cells[code_index].strip()
            elif current:
                cells[code_index] = current
        row = _parse_row(cells, columns, sheet, number, parsed, lang)
        code = row.values.get("household")
        if not code:
            continue  # reported as a required cell
        if with_households and code not in parsed.households:
            add_household(parsed, _parse_row(cells, household_cols, sheet, number, parsed,
                                              lang))
        parsed.members.setdefault(code, []).append(row)
