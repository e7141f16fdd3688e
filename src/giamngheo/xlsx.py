"""Every workbook the software writes is made here. Text is written as text: a name typed as
``=HYPERLINK("http://…"&C4,"…")`` stays those characters in Excel, never a live formula or a
link (formula injection), and a code like ``0012`` keeps its zeros."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}


def new_workbook(target: str | Path | BinaryIO, **options: bool) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook (``constant_memory``, ``in_memory``, ... as ``options``)
    whose ``write`` never turns a string into a formula, a link or a number."""
    return xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target,
                               {**options, **TEXT_STAYS_TEXT})


class Tables:
    """A workbook of tables (the what-if, the support plan) written one sheet at a time: a
    header row, then rows whose text is written as text."""

    def __init__(self, target: Path | io.BytesIO):
        self.book = new_workbook(target)
        self.bold = self.book.add_format({"bold": True})

    def add(self, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        sheet = self.book.add_worksheet(name[:31])
        sheet.write_row(0, 0, list(header), self.bold)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(i, j, value)
                elif value is not None:
                    sheet.write(i, j, value)
        sheet.freeze_panes(1, 1)
        sheet.set_column(0, max(len(header) - 1, 0), 16)

    def close(self) -> None:
        self.book.close()
