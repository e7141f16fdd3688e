"""Workbooks of tables (the what-if, the support plan): a header row, then rows whose text
is written as text — never a formula, a link or a number, whatever it starts with."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}


class Tables:
    """A workbook written one table (sheet) at a time."""

    def __init__(self, target: Path | io.BytesIO):
        self.book = xlsxwriter.Workbook(target, TEXT_STAYS_TEXT)
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
