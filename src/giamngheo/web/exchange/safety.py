"""Bounds an uploaded file must keep before it is read: the cheap checks first, each refusing
with a clear message what would cost the server more than a workbook may.

1. The size on disk (the upload limit).
2. A zip (an XLSX workbook is one; so is an ODK Central export): at most ``members`` entries,
   none encrypted, each entry's declared uncompressed size, their total and the compression
   ratio of the large ones (a 2 MB zip holding 1 GB is a bomb), read from the zip's directory
   without decompressing anything.
3. A workbook's sheets: the declared dimension (``A1:XFD1048576``) from the first kilobytes of
   each sheet; then every entry is decompressed as a stream (the zip library stops at the
   declared size and checks the CRC, so the sizes cannot lie) to find XML entity declarations
   (refused: "not a workbook") and each sheet's real extent (highest row and column of any
   cell): a reader allocates rows × columns cells, whatever few of them are filled.

The header row can then be read alone (``first_row``) before any other row.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Limits:
    entries: int = 300  # a workbook has about 10; an ODK Central export one per repeat
    entry_bytes: int = 400 * MB  # uncompressed, any one entry
    total_bytes: int = 600 * MB  # uncompressed, all entries
    ratio: int = 100  # uncompressed / compressed, for entries over 1 MB (XLSX: 8-15)
    csv_bytes: int = 150 * MB  # a CSV is read into Python rows: tighter
    # per sheet or CSV: 55,000 households have about 195,000 members; a larger area is
    # imported in parts (its dry run and import stay under the job's memory: README)
    rows: int = 200_000
    columns: int = 500  # KoboToolbox exports carry many metadata columns
    cells: int = 8_000_000  # rows × columns of a sheet's extent, which a reader allocates
    tag_bytes: int = 64 * 1024  # no workbook has an XML tag this long


LIMITS = Limits()


class FileRefused(Exception):
    """The file breaks a bound, or is not what it claims to be; the message says which."""


def not_a_workbook() -> FileRefused:
    return FileRefused(_("This file is not an Excel workbook (.xlsx)."))


def check_size(path, limit: int | None = None) -> None:
    limit = limit or settings.GIAMNGHEO_MAX_UPLOAD
    if path.stat().st_size > limit:
        raise FileRefused(_("The file is larger than %(n)s MB.") % {"n": limit // MB})


def open_zip(path, refused=not_a_workbook, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """The zip, once its directory shows nothing a bomb would show."""
    check_size(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused() from None
    try:
        _check_directory(archive, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise FileRefused(_("The file holds %(n)s parts: more than %(max)s.") % {
            "n": len(entries), "max": limits.entries})
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise FileRefused(_("The file is protected by a password: save it without one."))
        total += entry.file_size
        if entry.file_size > limits.entry_bytes or total > limits.total_bytes:
            raise FileRefused(_("Once uncompressed, the file would take more than %(n)s MB: "
                                "split it into smaller files.") % {
                                    "n": limits.total_bytes // MB})
        if entry.file_size > MB and entry.file_size > limits.ratio * max(entry.compress_size,
                                                                          1):
            raise FileRefused(_("The file is compressed %(ratio)s times (a normal workbook: "
                                "about 10): it is refused as a zip bomb.") % {
                                    "ratio": entry.file_size // max(entry.compress_size, 1)})


def stream(archive: zipfile.ZipFile, name: str, chunk: int = MB) -> Iterator[bytes]:
    """An entry's bytes, decompressed a megabyte at a time; the zip library refuses more
    bytes than declared and a wrong CRC (BadZipFile)."""
    with archive.open(name) as handle:
        while block := handle.read(chunk):
            yield block


@dataclass
class Extent:
    rows: int = 0  # highest row number of a cell or row, or the count of rows
    columns: int = 0  # highest column number of a cell

    def check(self, sheet: str, limits: Limits) -> None:
        if self.rows > limits.rows or self.columns > limits.columns or \
                self.rows * self.columns > limits.cells:
            raise FileRefused(_(
                "Sheet %(sheet)s reaches row %(rows)s and column %(columns)s: more than a "
                "workbook may hold here (%(max_rows)s rows, %(max_columns)s columns). Delete "
                "the empty rows and columns below and to the right of the data, or split the "
                "file.") % {"sheet": sheet, "rows": f"{self.rows:,}".replace(",", "."),
                            "columns": self.columns,
                            "max_rows": f"{limits.rows:,}".replace(",", "."),
                            "max_columns": limits.columns})


CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)")
ROW_NUMBER = re.compile(rb"\br=\"(\d{1,7})\"")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]{1,3})?(\d{1,7})?:?"
                       rb"([A-Z]{1,3})?(\d{1,7})?\"")
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def declared_extent(head: bytes) -> Extent | None:
    """The ``<dimension ref=...>`` at the start of a sheet, if it has one."""
    found = DIMENSION.search(head)
    if not found:
        return None
    last_column = found.group(3) or found.group(1) or b"A"
    last_row = found.group(4) or found.group(2) or b"1"
    return Extent(int(last_row), column_number(last_column))


def scan(blocks: Iterator[bytes], limits: Limits = LIMITS) -> Extent:
    """One pass over an XML entry: refuses entity declarations and over-long tags, and
    measures the real extent of the cells. Blocks are cut at their last ``<`` so that no tag
    is split (text holds no ``<``)."""
    extent, rows, carry = Extent(), 0, b""
    for block in blocks:
        data = carry + block
        cut = data.rfind(b"<")
        if cut < 0:
            cut = len(data)
        whole, carry = data[:cut], data[cut:]
        if len(carry) > limits.tag_bytes:
            raise not_a_workbook()
        rows = _measure(whole, extent, rows)
    _measure(carry, extent, rows)
    return extent


def _measure(data: bytes, extent: Extent, rows: int) -> int:
    if DECLARATION.search(data):
        raise not_a_workbook()
    for tag in ROW_TAG.finditer(data):
        rows += 1
        number = ROW_NUMBER.search(tag.group(1))
        extent.rows = max(extent.rows, int(number.group(1)) if number else rows)
    for letters, row in CELL_REF.findall(data):
        extent.columns = max(extent.columns, column_number(letters))
        extent.rows = max(extent.rows, int(row))
    return rows


def workbook_sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the entry holding it, from the workbook's (small) parts."""
    try:
        book = _small_xml(archive, "xl/workbook.xml")
        relations = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        raise not_a_workbook() from None
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(
        f"{PACKAGE_RELATIONSHIPS}Relationship")}
    sheets = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(f"{RELATIONSHIPS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        sheets[sheet.get("name", "")] = path
    return sheets


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    data = archive.read(name)  # checked small by the directory's bounds and the scan
    if len(data) > 10 * MB or DECLARATION.search(data):
        raise not_a_workbook()
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise not_a_workbook() from None


def checked_sheets(path, limits: Limits = LIMITS) -> dict[str, str]:
    """The cheap bounds of a workbook: its size, its zip's directory and each sheet's declared
    dimension, read from the first kilobytes of the sheet. Returns the sheets (name → entry)."""
    with open_zip(path, limits=limits) as archive:
        sheets = workbook_sheets(archive)
        for name, entry in sheets.items():
            if entry not in archive.NameToInfo:
                raise not_a_workbook()
            with archive.open(entry) as handle:
                declared = declared_extent(handle.read(64 * 1024))
            if declared is not None:
                declared.check(name, limits)
    return sheets


def scan_workbook(path, sheets: dict[str, str], limits: Limits = LIMITS) -> None:
    """Every entry of a workbook decompressed as a stream: entity declarations refused, each
    sheet's real extent checked (a sheet may declare no dimension, or a false one)."""
    sheet_entries = {entry: name for name, entry in sheets.items()}
    with open_zip(path, limits=limits) as archive:
        try:
            for entry in archive.namelist():
                if entry.endswith("/"):
                    continue
                extent = scan(stream(archive, entry), limits)
                if entry in sheet_entries:
                    extent.check(sheet_entries[entry], limits)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise not_a_workbook() from None


def check_workbook(path, limits: Limits = LIMITS) -> dict[str, str]:
    """Every bound of a workbook (see the module's text); returns its sheets."""
    sheets = checked_sheets(path, limits)
    scan_workbook(path, sheets, limits)
    return sheets


def first_row(path, sheet: str) -> list[str]:
    """The first row of a sheet (its headers) read alone: the sheet's XML is parsed up to the
    end of that row, and the shared strings up to the last one the row names."""
    with zipfile.ZipFile(path) as archive:
        entry = workbook_sheets(archive).get(sheet)
        if entry is None:
            return []
        cells: list[tuple[int, str, str]] = []  # column, type, raw value
        with archive.open(entry) as handle:
            for _event, element in ElementTree.iterparse(handle, events=("end",)):
                if element.tag == f"{MAIN}c":
                    reference = re.match(r"([A-Z]+)", element.get("r", ""))
                    column = column_number(reference.group(1).encode()) - 1 if reference \
                        else len(cells)
                    kind = element.get("t", "n")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in element.iter(f"{MAIN}t"))
                    else:
                        value = element.findtext(f"{MAIN}v") or ""
                    cells.append((column, kind, value))
                elif element.tag == f"{MAIN}row":
                    break
        wanted = {int(v) for _c, kind, v in cells if kind == "s" and v.isdigit()}
        strings = _shared_strings(archive, max(wanted)) if wanted else []
    row = [""] * (max((c for c, _k, _v in cells), default=-1) + 1)
    for column, kind, value in cells:
        if kind == "s":
            index = int(value) if value.isdigit() else -1
            value = strings[index] if 0 <= index < len(strings) else ""
        row[column] = value.strip()
    return row


def _shared_strings(archive: zipfile.ZipFile, last: int) -> list[str]:
    try:
        handle = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with handle:
        for _event, element in ElementTree.iterparse(handle, events=("end",)):
            if element.tag == f"{MAIN}si":
                strings.append("".join(t.text or "" for t in element.iter(f"{MAIN}t")))
                element.clear()
                if len(strings) > last:
                    break
    return strings


def check_csv_entry(archive: zipfile.ZipFile, name: str, limits: Limits = LIMITS) -> None:
    """A CSV inside a zip: its declared size, then its rows counted as it streams."""
    if archive.getinfo(name).file_size > limits.csv_bytes:
        raise FileRefused(_("The CSV file %(name)s would take more than %(n)s MB once "
                            "uncompressed: export fewer submissions at a time.") % {
                                "name": name, "n": limits.csv_bytes // MB})
    lines = 0
    try:
        for block in stream(archive, name):
            lines += block.count(b"\n")
            if lines > limits.rows + 1:
                raise FileRefused(_("The CSV file %(name)s has more than %(n)s rows: export "
                                    "fewer submissions at a time.") % {
                                        "name": name, "n": limits.rows})
    except (zipfile.BadZipFile, EOFError, OSError):
        raise FileRefused(_("This file is not a .zip export.")) from None
