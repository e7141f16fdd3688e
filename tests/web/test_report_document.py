"""The 6-month and annual reports: an editable .docx and a PDF of the same content in the
administrative format of Decree 30/2020; the 6-month report as of 30 June, the annual report
of Y on the review held in Y; both open in real readers (python-docx, pdfium)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.program.models import Activity, EnteredValue, Funding, Task

from .factories import users_with_roles

pytestmark = pytest.mark.django_db


def texts(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_of(document, first_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def test_the_6_month_report_is_as_of_30_june(client, area):
    district, commune, officer = area
    activity = Activity.objects.create(content="4.1", unit=commune, name="Tập huấn cán bộ",
                                       project="7", held_on=dt.date(2025, 3, 1),
                                       officers_trained=12)
    Funding.objects.create(activity=activity, source="commune", allocated=5_000_000,
                           disbursed=6_000_000, settled=0, on=dt.date(2025, 3, 1))
    Funding.objects.create(activity=activity, source="commune", allocated=0,
                           disbursed=1_000_000, settled=0, on=dt.date(2025, 7, 10))  # later
    Activity.objects.create(content="1", unit=commune, name="Hội nghị tháng 9", project="6",
                            held_on=dt.date(2025, 9, 1), events=3)  # after the 6 months
    for day, achieved in ((dt.date(2025, 6, 20), 30), (dt.date(2025, 8, 1), 40)):
        EnteredValue.objects.create(target="officers_trained", unit=district, achieved=achieved,
                                    of=40, as_of=day, recorded_by=officer)
    Task.objects.create(unit=district, agency="Phòng LĐ-TB&XH", task="Báo cáo 6 tháng",
                        due_on=dt.date(2025, 6, 1), status="done", done_on=dt.date(2025, 7, 5))
    client.force_login(officer)
    params = {"unit": district.pk, "year": 2025, "half": "1", "signer": "Nguyễn Văn Bình"}
    response = client.get(reverse("reports:report", args=["docx"]), params)
    assert "bao-cao-giam-ngheo-6-thang-2025-734.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = texts(document)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in header
    assert "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHÚ" in header and "Số:" in header
    assert f"Tân Phú, ngày {dt.date.today():%d} tháng" in header
    assert "6 tháng đầu năm 2025" in text and "Kế hoạch số 73/KH-UBND" in text
    assert "Kính gửi:" in text and "Ủy ban nhân dân tỉnh Đồng Nai;" in text
    targets = table_of(document, "Chỉ tiêu")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in targets.rows[1:]}
    officers = next(v for k, v in rows.items() if "cán bộ" in k.lower())
    assert officers[2].startswith("75,00% (30/40")  # the value of 20 June, not of August
    outputs = {r.cells[0].text: [c.text for c in r.cells]
               for r in table_of(document, "Nội dung").rows}
    assert outputs["4.1. Nâng cao năng lực thực hiện Kế hoạch"][1:] == ["1", "0", "0", "12"]
    assert outputs["1. Truyền thông về giảm nghèo đa chiều"][1] == "0"  # held in September
    budget = {r.cells[0].text: [c.text for c in r.cells] for t in document.tables
              if t.rows[0].cells[0].text in ("Nguồn", "Dự án") for r in t.rows}
    assert budget["Ngân sách xã (vốn đối ứng) ⚠"][1:] == ["5.000.000", "6.000.000", "0"]
    assert budget["Ngân sách địa phương"][1:3] == ["5.000.000", "6.000.000"]  # by group
    assert budget["Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình"][2] == \
        "6.000.000"  # by project; the July line is not counted
    assert "Báo cáo 6 tháng (Phòng LĐ-TB&XH, hạn 01/06/2025)" in text  # late on 30 June
    # the warning names the source and the activity that disbursed more than allocated
    assert "⚠ Giải ngân vượt kế hoạch vốn: Ngân sách xã (vốn đối ứng) (Tập huấn cán bộ)." \
        in text
    signature = next(t for t in document.tables
                     if t.rows[0].cells[0].text.startswith("Nơi nhận:")).rows[0].cells
    assert "Nơi nhận:" in signature[0].text and "Như trên;" in signature[0].text
    assert "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in signature[1].text
    assert "Nguyễn Văn Bình" in signature[1].text
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert "PAGE" in section.header._element.xml and section.different_first_page_header_footer
    assert "Thông tư số 10/2022/TT-BLĐTBXH" in section.first_page_footer.paragraphs[0].text
    response = client.get(reverse("reports:report", args=["pdf"]), params)
    assert "bao-cao-giam-ngheo-6-thang-2025-734.pdf" in response["Content-Disposition"]
    pdf = pdfium.PdfDocument(response.content)
    lines = pdf[0].get_textpage().get_text_range().splitlines()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines  # the motto on one line
    assert any(line.startswith("Tân Phú, ngày") for line in lines)
    if len(pdf) > 1:  # page numbers from page 2
        assert "2" in pdf[1].get_textpage().get_text_range().splitlines()
        assert "1" not in lines


def test_no_overspending_warning_without_overspending(client, area):
    district, commune, officer = area
    activity = Activity.objects.create(content="1", unit=commune, name="Hội nghị", project="6",
                                       held_on=dt.date(2024, 4, 1), events=2)
    client.force_login(officer)
    params = {"unit": district.pk, "year": 2024}
    for allocated, disbursed in ((0, 0), (2_000_000, 2_000_000)):
        Funding.objects.create(activity=activity, source="commune", allocated=allocated,
                               disbursed=disbursed, settled=0, on=dt.date(2024, 4, 1))
        document = docx.Document(io.BytesIO(client.get(
            reverse("reports:report", args=["docx"]), params).content))
        text = texts(document)
        assert "Kinh phí ghi nhận từ 01/01/2024 đến 31/12/2024." in text
        assert "⚠" not in text and "vượt" not in text
        assert not any("⚠" in c.text for t in document.tables for r in t.rows
                       for c in r.cells)
    # one activity beyond its allocation, its source within it: the activity is named
    seeds = Activity.objects.create(content="1", unit=commune, name="Hỗ trợ giống",
                                    project="6", held_on=dt.date(2024, 5, 1))
    Funding.objects.create(activity=seeds, source="commune", allocated=1_000_000,
                           disbursed=1_500_000, settled=0, on=dt.date(2024, 5, 1))
    Funding.objects.create(activity=activity, source="commune", allocated=3_000_000,
                           disbursed=1_000_000, settled=0, on=dt.date(2024, 5, 1))
    document = docx.Document(io.BytesIO(client.get(
        reverse("reports:report", args=["docx"]), params).content))
    assert "⚠ Giải ngân vượt kế hoạch vốn: Ngân sách xã (vốn đối ứng) (Hỗ trợ giống)." \
        in texts(document)


def test_the_annual_report_shows_the_review_held_in_its_year(client, area):
    district, commune, officer = area
    Activity.objects.create(content="1", unit=commune, name="Hội nghị", project="6",
                            held_on=dt.date(2024, 4, 1), events=2)
    client.force_login(officer)
    response = client.get(reverse("reports:report", args=["docx"]),
                          {"unit": district.pk, "year": 2024})
    assert "bao-cao-giam-ngheo-nam-2024-734.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = texts(document)
    assert "huyện Tân Phú báo cáo kết quả thực hiện năm 2024 như sau:" in text
    rates = table_of(document, "")
    labels = [r.cells[0].text for r in rates.rows[1:]]
    assert labels == ["Đầu năm 2024 (danh sách năm 2024)",
                      "Cuối năm 2024 (danh sách năm 2025)"]
    assert [c.text for c in rates.rows[2].cells][1:4] == ["4", "2", "50,00"]
    assert "Trong năm có 1 hộ thoát nghèo" in text
    outputs = {r.cells[0].text: r.cells[1].text for r in table_of(document, "Nội dung").rows}
    assert outputs["1. Truyền thông về giảm nghèo đa chiều"] == "1"
    # the year after: its review is not held yet; the lists it started with, never zeros
    document = docx.Document(io.BytesIO(client.get(
        reverse("reports:report", args=["docx"]), {"unit": district.pk, "year": 2025}).content))
    rates = table_of(document, "")
    assert [c.text for c in rates.rows[1].cells][1:3] == ["4", "2"]
    assert "chưa kết thúc" in texts(document)
    # the province of 2024 had districts: its report rests on theirs
    province = district.parent
    client.force_login(users_with_roles(province, Role.MONITOR)[Role.MONITOR])
    document = docx.Document(io.BytesIO(client.get(
        reverse("reports:report", args=["docx"]), {"unit": province.pk, "year": 2024}).content))
    assert "trên cơ sở báo cáo của Ủy ban nhân dân cấp huyện" in texts(document)


def test_a_province_reports_on_the_program_not_on_a_districts_plan(client, area):
    district, _commune, _officer = area
    province = district.parent
    client.force_login(users_with_roles(province, Role.AREA_OFFICER)[Role.AREA_OFFICER])
    document = docx.Document(io.BytesIO(client.get(
        reverse("reports:report", args=["docx"]), {"unit": province.pk, "year": 2024}).content))
    text = texts(document)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "TỈNH ĐỒNG NAI" in header and "Đồng Nai, ngày" in header
    assert "73/KH-UBND" not in text and "Quyết định số 90/QĐ-TTg" in text
    assert "Kính gửi: Bộ Nông nghiệp và Môi trường." in text


def test_no_report_without_a_closed_review(client, area):
    district, _commune, officer = area
    client.force_login(officer)
    response = client.get(reverse("reports:report", args=["pdf"]),
                          {"unit": district.pk, "year": 2030})
    assert response.status_code == 404 and "Chưa có xã nào" in response.content.decode()
    assert client.get(reverse("reports:report", args=["odt"]),
                      {"unit": district.pk, "year": 2025}).status_code == 404


def test_the_preamble_says_what_the_report_is_drawn_from(client, todays_place):
    """A commune has no units below it: its report rests on its own reviews and records; a
    province's on the reports of the level below it in force (districts until 30/06/2025)."""
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    from .factories import make_household, run_review

    commune, hamlet = todays_place  # today's Tà Lài, outside the plan's area (the district)
    province = Unit.objects.get(level="province", code="75")
    officer = users_with_roles(province, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    households = [make_household(commune, hamlet, f"TL-{n}", 1_000_000, deprived=True)
                  for n in (1, 2)]
    run_review(commune, hamlet, officer, 2025, households)
    client.force_login(officer)

    def preamble(unit, year: int) -> str:
        document = docx.Document(io.BytesIO(client.get(
            reverse("reports:report", args=["docx"]), {"unit": unit.pk, "year": year}).content))
        return next(p.text for p in document.paragraphs if p.text.startswith("Thực hiện"))

    text = preamble(commune, 2025)
    assert "trên cơ sở kết quả rà soát hộ nghèo, hộ cận nghèo và số liệu theo dõi của xã" \
        in text and "trực thuộc" not in text
    assert "trên cơ sở báo cáo của Ủy ban nhân dân cấp xã" in preamble(province, 2025)


def test_the_tables_cells_are_what_python_docx_writes():
    """The report's tables copy one cell of each kind (docx_writer._CellCopies): the XML is
    the very one python-docx writes cell by cell."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from giamngheo.web.reports.docx_writer import TEXT_CM, _table
    from giamngheo.web.sheets import Table

    table = Table("t", "Bảng thử", ["xã", "số hộ", "ghi chú"], notes=["Ghi chú."])
    rows = [[("Xã A", False), ("1.234", True), (" cách đầu", False)],
            [("Xã <B> & C", False), ("", True), ("dòng\nhai\tcột", False)],
            [("Tổng cộng", False), ("12,50", True), ("", False)]]
    ours = docx.Document()
    _table(ours, table, rows, ours.part.get_style_id("Table Grid", WD_STYLE_TYPE.TABLE))

    plain = docx.Document()  # python-docx's own way, a cell at a time
    plain.add_paragraph().add_run("Bảng thử")
    caption = plain.paragraphs[-1]
    caption.paragraph_format.space_before, caption.paragraph_format.keep_with_next = Pt(4), True
    caption.runs[0].italic, caption.runs[0].font.size = True, Pt(13)
    grid = plain.add_table(rows=1, cols=3)
    grid.style, grid.alignment = "Table Grid", 1
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(text)
        run.font.size, run.bold = Pt(11), True
    for row in rows:
        for cell, (text, numeric) in zip(grid.add_row().cells, row, strict=True):
            if numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = cell.paragraphs[0].add_run(text)
            run.font.size, run.bold = Pt(11), row[0][0].startswith("Tổng")
    for n, added in enumerate(grid.rows):
        for flag in (["w:tblHeader"] if n == 0 else []) + ["w:cantSplit"]:
            added._tr.get_or_add_trPr().append(docx.oxml.OxmlElement(flag))
    grid.autofit = False
    widths = [5.2, (TEXT_CM - 5.2) / 2, (TEXT_CM - 5.2) / 2]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for added in grid.rows:
        for cell, width in zip(added.cells, widths, strict=True):
            cell.width = Cm(width)
    note = plain.add_paragraph().add_run("Ghi chú.")
    note.italic, note.font.size = True, Pt(11)
    plain.add_paragraph().paragraph_format.space_after = Pt(2)

    assert ours.element.body.xml == plain.element.body.xml
    assert "dòng" in ours.element.body.xml and 'xml:space="preserve"' in ours.element.body.xml
