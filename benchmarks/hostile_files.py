"""Hostile uploads, as the penetration test made them (issue 12, finding 1), for the security
tests and the upload benchmark. Each is small on disk and huge, or wrong, once read:

- ``sparse_corners``: a 2 KB workbook whose two cells are A1 and XFD1048576 (a reader that
  trusts the extent asks for 17 billion cells);
- ``huge_cell``: a workbook whose one shared string is 1 GB of the same letter (1 MB on disk);
- ``central_zip_bomb``: an ODK Central export (.zip) whose CSV is 1 GB of one repeated line;
- ``million_rows``: 1,048,576 rows under wrong headers (the sheet's XML is streamed into the
  zip, so the file is written in constant memory);
- ``entity_workbook``: a workbook whose sheet declares an XML entity (billion laughs).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

OOXML = "http://schemas.openxmlformats.org"
DOC = f"{OOXML}/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    f'ContentType="{SHEET_TYPE}.sharedStrings+xml"/></Types>')
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    f'{XML}<workbook xmlns="{OOXML}/spreadsheetml/2006/main" xmlns:r="{DOC}">'
    '<sheets><sheet name="Hộ gia đình" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
SHEET_START = (XML + f'<worksheet xmlns="{OOXML}/spreadsheetml/2006/main">'
               + '{dimension}<sheetData>')
SHEET_END = '</sheetData></worksheet>'


def _strings(values: list[str]) -> str:
    items = "".join(f"<si><t>{v}</t></si>" for v in values)
    return (f'{XML}<sst xmlns="{OOXML}/spreadsheetml/2006/main" '
            f'count="{len(values)}" uniqueCount="{len(values)}">{items}</sst>')


def _package(book: zipfile.ZipFile) -> None:
    """The parts every workbook has: content types, relationships, the one sheet's entry."""
    book.writestr("[Content_Types].xml", CONTENT_TYPES)
    book.writestr("_rels/.rels", ROOT_RELS)
    book.writestr("xl/workbook.xml", WORKBOOK)
    book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)


def _zip(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)


def _workbook(path: Path, sheet_xml: str, strings: list[str]) -> Path:
    with _zip(path) as book:
        _package(book)
        book.writestr("xl/sharedStrings.xml", _strings(strings))
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def sparse_corners(path: Path, with_dimension: bool = False,
                   headers: list[str] | None = None) -> Path:
    """A1 and XFD1048576 (the last cell a sheet may have), with or without the dimension;
    with ``headers``, row 1 holds them (the template's headers pass a header check)."""
    headers = headers or ["Mã hộ"]
    dimension = '<dimension ref="A1:XFD1048576"/>' if with_dimension else ""
    first = "".join(f'<c r="{_column(n)}1" t="s"><v>{n}</v></c>' for n in range(len(headers)))
    sheet = (SHEET_START.format(dimension=dimension) + f'<row r="1">{first}</row>'
             + '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>' + SHEET_END)
    return _workbook(path, sheet, headers)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def huge_cell(path: Path, megabytes: int = 1024) -> Path:
    """One cell whose shared string is ``megabytes`` MB of one letter, streamed into the zip."""
    with _zip(path) as book:
        _package(book)
        book.writestr("xl/worksheets/sheet1.xml",
                      SHEET_START.format(dimension='<dimension ref="A1"/>')
                      + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_END)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'{XML}<sst xmlns="{OOXML}/spreadsheetml/2006/main" count="1" '
                      'uniqueCount="1"><si><t>'.encode())
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                out.write(block)
            out.write(b"</t></si></sst>")
    return path


def central_zip_bomb(path: Path, megabytes: int = 1024) -> Path:
    """An ODK Central export: ``FORM.csv`` of ``megabytes`` MB of the same submission."""
    header = b"SubmissionDate,household-household_code,household-commune_code,KEY\n"
    line = b"2026-11-01,TL-1,26131,uuid:0000\n"
    block = line * (1024 * 1024 // len(line))
    with _zip(path) as archive, archive.open("phieu_ra_soat.csv", "w", force_zip64=True) as out:
        out.write(header)
        for _ in range(megabytes):
            out.write(block)
    return path


def million_rows(path: Path, rows: int = 1_048_576) -> Path:
    """``rows`` rows of two cells under headers that are not the template's."""
    with _zip(path) as book:
        _package(book)
        book.writestr("xl/sharedStrings.xml", _strings(["cot_1", "cot_2"]))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(SHEET_START.format(dimension=f'<dimension ref="A1:B{rows}"/>').encode())
            out.write(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                      b'</row>')
            batch = []
            for n in range(2, rows + 1):
                batch.append(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c>'
                             f'<c r="B{n}"><v>{n % 97}</v></c></row>')
                if len(batch) == 10_000:
                    out.write("".join(batch).encode())
                    batch.clear()
            out.write("".join(batch).encode())
            out.write(SHEET_END.encode())
    return path


def entity_workbook(path: Path) -> Path:
    """A sheet with a DOCTYPE declaring nested entities (billion laughs)."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    sheet = (f'{XML}<!DOCTYPE worksheet [{entities}]>'
             f'<worksheet xmlns="{OOXML}/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>'
             '</sheetData></worksheet>')
    return _workbook(path, sheet, ["Mã hộ"])
