"""Reading the cells of officers' workbooks: dates, numbers and yes/no written the ways
Vietnamese spreadsheets write them. Every parser takes the cell as text (how calamine gives it)
and returns the value or raises ``CellError`` with a message key of ``messages.py``.
"""

from __future__ import annotations

import datetime as dt
import re

from .text import fold


class CellError(ValueError):
    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


YES = {"co", "x", "yes", "true", "1", "dung", "c"}
NO = {"khong", "no", "false", "0", "sai", "k"}
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_text(cell: str) -> str:
    return " ".join(cell.split())


_CURRENCY = re.compile(r"(đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def parse_int(cell: str) -> int:
    """1500000, 1.500.000, 1,500,000, 1 500 000 or 1500000.0 (how a number cell reads), with
    or without the currency after it (1.500.000 đ, 1500000 VND)."""
    text = cell.strip().replace(" ", "").replace("\u00a0", "")
    text = _CURRENCY.sub("", text)
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text) or text.isdigit():
        return int(re.sub(r"[.,]", "", text))
    raise CellError("cell.not_whole_number", value=cell)


def parse_decimal(cell: str) -> float:
    """18.5 or 18,5 (decimal comma); 1.234,5 and 1,234.5 too."""
    text = cell.strip().replace(" ", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise CellError("cell.not_number", value=cell) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("cell.not_number", value=cell)
    return value


def parse_date(cell: str, today: dt.date | None = None) -> dt.date:
    """A date cell (2024-10-15 00:00:00), dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy, ISO, or
    an Excel serial number. Two-digit years are in the past century when they would be in
    the future."""
    text = cell.strip()
    try:
        if match := _DATE_ISO.match(text):
            return dt.date(*map(int, match.groups()))
        if match := _DATE_DMY.match(text):
            day, month, year = map(int, match.groups())
            if len(match.group(3)) == 2:
                this_year = (today or dt.date.today()).year
                year += 2000 if 2000 + year <= this_year else 1900
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{5}(\.0+)?", text):
            return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError:
        pass
    raise CellError("cell.not_date", value=cell)


def parse_bool(cell: str) -> bool:
    """Có / Không, x, yes / no, 1 / 0, đúng / sai."""
    word = fold(cell)
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError("cell.not_yes_no", value=cell)


def choice_index(choices: dict[str, str]) -> dict[str, str]:
    """Folded code or label → code, to read many cells of one column."""
    return {fold(code): code for code in choices} | {fold(label): code
                                                     for code, label in choices.items()}


def parse_choice(cell: str, choices: dict[str, str],
                 index: dict[str, str] | None = None) -> str:
    """One of ``choices`` (code → label), by its label or its code, without tone marks."""
    code = (index or choice_index(choices)).get(fold(cell))
    if code is None:
        raise CellError("cell.not_choice", value=cell, choices=", ".join(choices.values()))
    return code


def parse_choices(cell: str, choices: dict[str, str],
                  index: dict[str, str] | None = None) -> list[str]:
    """Several of ``choices`` separated by semicolons, line breaks or commas; a label that
    holds a comma itself ("Ốm đau, tai nạn") is read whole, the longest label first."""
    index = index or choice_index(choices)
    found = []
    for group in re.split(r"[;\n]", cell):
        parts = group.split(",")
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                code = index.get(fold(",".join(parts[start:end]).strip()))
                if code is not None:
                    found.append(code)
                    start = end
                    break
            else:
                if parts[start].strip():
                    found.append(parse_choice(parts[start].strip(), choices, index))
                start += 1
    return found
