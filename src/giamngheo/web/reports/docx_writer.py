"""The report as a .docx in the administrative format of Decree 30/2020/NĐ-CP (Appendix I):
A4, margins 20/20/30/15 mm, Times New Roman (Word has it; LibreOffice on Debian draws it with
the metric-compatible Liberation Serif), the issuing body and the national motto side by side
with their rules, the place and date in italics, the title, "Kính gửi", the body at 14 pt, the
signer's title and name, "Nơi nhận", page numbers at the top centre from page 2."""

from __future__ import annotations

import io
from copy import deepcopy

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
# the widths of the header's two columns and of the text, in cm (A4 210 mm - 30 - 15)
LEFT_CM, RIGHT_CM, TEXT_CM = 6.2, 10.3, 16.5
LANDSCAPE_CM = 25.7  # 297 mm - 20 - 20


def write_docx(data, context: dict) -> bytes:
    document = Document()
    _page(document)
    _header(document, data, context["motto"])
    _title(document, data)
    grid = document.part.get_style_id("Table Grid", WD_STYLE_TYPE.TABLE)
    for section, tables in context["sections"]:
        _heading(document, section.heading)
        for text in section.paragraphs:
            _body(document, text)
        for table, rows in tables:
            _table(document, table, rows, grid)
        for text in section.bullets:
            _body(document, f"- {text}")
    _signature(document, data)
    if context["appendix"]:
        # the appendix's wide tables on landscape pages, numbered on
        appendix = document.add_section(WD_SECTION.NEW_PAGE)
        appendix.orientation = WD_ORIENT.LANDSCAPE
        appendix.page_width, appendix.page_height = Mm(297), Mm(210)
        appendix.left_margin, appendix.right_margin = Mm(20), Mm(20)
        appendix.top_margin, appendix.bottom_margin = Mm(30), Mm(15)
        appendix.different_first_page_header_footer = False
        _centered(document, _("APPENDIX"), bold=True)
        for table, rows in context["appendix"]:
            _table(document, table, rows, grid, width=LANDSCAPE_CM)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    # page numbers: top centre, from the second page (Decree 30/2020, Appendix I)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE")


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _cell_paragraph(cell, text: str, size: float, bold=False, italic=False, first=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(container, width_cm: float, container_cm: float) -> None:
    """A horizontal line of ``width_cm``, centred in a cell or on the page: an empty
    paragraph with a bottom border, indented from both sides."""
    paragraph = container.add_paragraph()
    indent = max((container_cm - width_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(indent)
    paragraph.paragraph_format.right_indent = Cm(indent)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.line_spacing = Pt(3)
    paragraph.add_run().font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _widths(table, widths: list[float]) -> None:
    """Column widths, in the grid (LibreOffice reads it) and on every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for tr in table._tbl.tr_lst:  # the cells' elements: no merged cells in these tables
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = Cm(width)


def _header(document, data, motto: tuple[str, str]) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [LEFT_CM, RIGHT_CM])
    left, right = table.rows[0].cells
    first = True
    for line in data.issuer:
        _cell_paragraph(left, line, 13, bold=True, first=first)
        first = False
    _rule(left, 2.4, LEFT_CM)
    _cell_paragraph(left, _("No.: %(number)s/BC-UBND") % {
        "number": data.number or "\u2003\u2003"}, 13)
    country, words = motto
    _cell_paragraph(right, country, 12.5, bold=True, first=True)
    _cell_paragraph(right, words, 13.5, bold=True)
    _rule(right, 6.0, RIGHT_CM)
    _cell_paragraph(right, data.place_date, 14, italic=True)


def _centered(document, text: str, bold=False, size: float = 14, after: float = 0):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    return paragraph


def _title(document, data) -> None:
    document.add_paragraph().paragraph_format.space_after = Pt(6)
    _centered(document, _("REPORT"), bold=True)
    paragraph = _centered(document, data.title, bold=True)
    marker = paragraph.add_run("(*)")
    marker.font.superscript, marker.font.size = True, Pt(11)
    _rule(document, 4.0, TEXT_CM)
    recipients = data.recipients
    if len(recipients) == 1:
        _centered(document, _("To: %(who)s.") % {"who": recipients[0]}, after=6)
    else:
        _centered(document, _("To:"), after=0)
        for n, who in enumerate(recipients):
            end = "." if n == len(recipients) - 1 else ";"
            paragraph = document.add_paragraph(f"- {who}{end}")
            paragraph.paragraph_format.left_indent = Cm(5.5)
        document.add_paragraph().paragraph_format.space_after = Pt(4)
    _body(document, data.preamble)
    # the footnote the title's (*) points to, at the foot of the first page
    footer = document.sections[0].first_page_footer.paragraphs[0]
    run = footer.add_run(f"(*) {data.footnote}")
    run.italic, run.font.size = True, Pt(10)


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = True


def _body(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    paragraph.add_run(text)


def _table(document, table, rows: list[list[tuple[str, bool]]], style: str,
           width: float = TEXT_CM) -> None:
    """``style``: the id of the style "Table Grid" (looked up once a document: python-docx
    looks for it among the styles at each table)."""
    caption = document.add_paragraph()
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.keep_with_next = True
    run = caption.add_run(table.title)
    run.italic, run.font.size = True, Pt(13)
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid._tbl.tblStyle_val = style
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = TABLE_PT if len(table.headers) < 7 else 10
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        _grid_text(cell, str(text), size, bold=True, centre=True)
    _row_flags(grid.rows[0], "w:tblHeader", "w:cantSplit")  # the header on every page
    first = 5.2 if len(table.headers) < 7 else 3.4
    rest = (width - first) / max(len(table.headers) - 1, 1)
    widths = [first] + [rest] * (len(table.headers) - 1)
    _widths(grid, widths)
    written = _CellCopies(grid, size, widths)
    for row in rows:
        tr = grid._tbl.add_tr()
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # never cut between pages
        total = row[0][0].startswith(_("Total"))
        for column, (text, numeric) in enumerate(row):
            tr.append(written.cell(column, text, bold=total, right=numeric))
    for note in table.notes:
        paragraph = document.add_paragraph()
        note_run = paragraph.add_run(note)
        note_run.italic, note_run.font.size = True, Pt(11)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


class _CellCopies:
    """The cells of a table's rows as copies of one cell of each kind (bold, aligned right)
    written once by python-docx (``_grid_text``), with their column's width and their text:
    the same XML, without python-docx's look-ups for every paragraph, run and property of a
    table of hundreds of rows."""

    def __init__(self, grid, size: float, widths: list[float]) -> None:
        self.grid, self.size, self.widths = grid, size, widths
        self.kinds: dict[tuple[bool, bool], object] = {}
        self.columns: dict[tuple[int, bool, bool], object] = {}

    def cell(self, column: int, text: str, bold: bool, right: bool):
        written = self.columns.get((column, bold, right))
        if written is None:
            kind = self.kinds.get((bold, right))
            if kind is None:
                row = self.grid.add_row()
                _grid_text(row.cells[0], "", self.size, bold=bold, right=right)
                kind = self.kinds[(bold, right)] = row._tr.tc_lst[0]
                self.grid._tbl.remove(row._tr)
            written = self.columns[(column, bold, right)] = deepcopy(kind)
            written.width = Cm(self.widths[column])
        tc = deepcopy(written)
        if not text:
            return tc
        run = tc.p_lst[0].r_lst[0]
        if "\t" in text or "\r" in text or "\n" in text:
            run.text = text  # tabs and line breaks as Word's elements
        else:  # what ``add_run(text)`` writes after the run's properties
            t = OxmlElement("w:t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(qn("xml:space"), "preserve")
            run.append(t)
        return tc


def _row_flags(row, *flags: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for flag in flags:
        properties.append(OxmlElement(flag))


def _grid_text(cell, text: str, size: float, bold=False, centre=False, right=False) -> None:
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold


def _signature(document, data) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    _widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    run = heading.add_run(_("Recipients:"))
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in data.distribution:
        paragraph = left.add_paragraph()
        paragraph.add_run(f"- {line}").font.size = Pt(11)
    first = True
    for line in data.signer_title:
        _cell_paragraph(right, line, 14, bold=True, first=first)
        first = False
    for _blank in range(4):
        right.add_paragraph()
    _cell_paragraph(right, data.signer or "", 14, bold=True)
