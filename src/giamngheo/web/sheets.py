"""Tables as the pages show them and as workbooks an officer files: each table a sheet named
in Vietnamese, with the form's number, the reporting unit, the period, the headers, the rows
(numbers written as numbers, text as text, never a formula) and the signatures."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..xlsx import new_workbook
from .memo import Memo, fingerprint

# Excel refuses these in a sheet's name
SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass
class Table:
    key: str  # a code for the page's anchors
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    bars: list = field(default_factory=list)  # a chart of the rows, on the dashboard
    sheet: str = ""  # the sheet's Vietnamese name (the title's first words by default)
    form: str = ""  # "Biểu 01": the form's number in the set of tables
    notes: list[str] = field(default_factory=list)
    money: bool = False  # amounts in đồng: written with thousands separators

    def add_total(self, rows: list[list] | None = None, name: str = "") -> None:
        """A total row: the sum of every column that is numeric in all of ``rows`` (the
        table's rows by default)."""
        rows = self.rows if rows is None else rows
        total = [name or _("Total")] + [sum(r[i] for r in rows) if rows and all(
            isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows)
            else "" for i in range(1, len(self.headers))]
        self.rows.append(total)


@dataclass
class Heading:
    """What every sheet of a workbook says above its table."""

    unit: str  # "Ủy ban nhân dân huyện Tân Phú"
    period: str  # "Danh sách năm 2025 (rà soát cuối năm 2024)"
    signer: str = ""
    signer_title: str = ""


# workbooks written, by everything they are written from (the file's properties carry the
# day it was made); a workbook of many rows (the detailed lists) is written each time
_BOOKS = Memo(32)
KEPT_CELLS = 20_000


def workbook(tables: list[Table], heading: Heading) -> bytes:
    if sum(len(table.rows) * len(table.headers) for table in tables) > KEPT_CELLS:
        return _workbook(tables, heading)
    key = fingerprint((get_language(), timezone.localdate(), tables, heading))
    return _BOOKS.get_or_make(key, lambda: _workbook(tables, heading))


def _workbook(tables: list[Table], heading: Heading) -> bytes:
    out = io.BytesIO()
    book = new_workbook(out, in_memory=True)
    styles = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "form": book.add_format({"italic": True, "align": "right"}),
        "head": book.add_format({"bold": True, "text_wrap": True, "border": 1,
                                 "valign": "top", "bg_color": "#F2E6D9"}),
        "total": book.add_format({"bold": True, "border": 1}),
        "cell": book.add_format({"border": 1, "valign": "top"}),
        "money": book.add_format({"border": 1, "num_format": "#,##0"}),
        "money_total": book.add_format({"border": 1, "bold": True, "num_format": "#,##0"}),
        "decimal": book.add_format({"border": 1, "num_format": "0.00"}),
        "decimal_total": book.add_format({"border": 1, "bold": True, "num_format": "0.00"}),
        "note": book.add_format({"italic": True}),
        "sign": book.add_format({"bold": True, "align": "center"}),
    }
    names: set[str] = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table, names))
        _write(sheet, table, heading, styles)
    book.close()
    return out.getvalue()


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = (table.sheet or table.title).translate(SHEET_FORBIDDEN).strip()[:31]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:28]} {n}"
    taken.add(name.lower())
    return name


def _write(sheet, table: Table, heading: Heading, styles: dict) -> None:
    width = max(len(table.headers), 4)
    sheet.write_string(0, 0, _("Reporting unit: %(unit)s") % {"unit": heading.unit})
    if table.form:
        sheet.write_string(0, width - 1, table.form, styles["form"])
    sheet.write_string(1, 0, table.title, styles["title"])
    sheet.write_string(2, 0, heading.period)
    sheet.write_row(4, 0, [str(h) for h in table.headers], styles["head"])
    row = 5
    for cells in table.rows:
        total = bool(cells) and str(cells[0]).startswith(_("Total"))
        for col, value in enumerate(cells):
            _cell(sheet, row, col, value, table.money, total, styles)
        row += 1
    for note in table.notes:
        row += 1
        sheet.write_string(row, 0, note, styles["note"])
    row += 2
    sheet.write_string(row, 0, _("PREPARED BY"), styles["sign"])
    sheet.write_string(row, width - 1, heading.signer_title or _("HEAD OF THE UNIT"),
                       styles["sign"])
    sheet.write_string(row + 1, 0, _("(signature, full name)"))
    sheet.write_string(row + 1, width - 1, _("(signature, full name, seal)"))
    if heading.signer:
        sheet.write_string(row + 5, width - 1, heading.signer, styles["sign"])
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, width, 15)
    sheet.freeze_panes(5, 1)


def _cell(sheet, row: int, col: int, value, money: bool, total: bool, styles: dict) -> None:
    if isinstance(value, bool) or value is None:
        sheet.write_string(row, col, "" if value is None else str(value), styles["cell"])
    elif isinstance(value, int):
        style = ("money_total" if total else "money") if money or abs(value) >= 10_000 \
            else ("total" if total else "cell")
        sheet.write_number(row, col, value, styles[style])
    elif isinstance(value, float):
        sheet.write_number(row, col, value, styles["decimal_total" if total else "decimal"])
    else:
        sheet.write_string(row, col, str(value), styles["total" if total else "cell"])
