"""Every workbook the software writes is made here. Text is written as text: a name typed as
``=HYPERLINK("http://…"&C4,"…")`` stays those characters in Excel, never a live formula or a
link (formula injection), and a code like ``0012`` keeps its zeros."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import xlsxwriter

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}


def new_workbook(target: str | Path | BinaryIO, **options: bool) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook (``constant_memory``, ``in_memory``, ... as ``options``)
    whose ``write`` never turns a string into a formula, a link or a number."""
    return xlsxwriter.Workbook(str(target) if isinstance(target, Path) else target,
                               {**options, **TEXT_STAYS_TEXT})
