"""The 6-month and annual report: an editable .docx and a PDF of the same content, with the
plan's targets and the registry's figures; both open in real readers (python-docx, pdfium)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from giamngheo.web.program.models import Activity, Funding

pytestmark = pytest.mark.django_db
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"


def test_the_report_as_docx_and_pdf(client, area):
    district, commune, officer = area
    activity = Activity.objects.create(content="4.1", unit=commune, name="Tập huấn cán bộ",
                                       project="7", held_on=dt.date(2025, 3, 1),
                                       officers_trained=12)
    Funding.objects.create(activity=activity, source="commune", allocated=5_000_000,
                           disbursed=6_000_000, settled=0)
    Activity.objects.create(content="1", unit=commune, name="Hội nghị tháng 9", project="6",
                            held_on=dt.date(2025, 9, 1), events=3)  # after the 6 months
    client.force_login(officer)
    params = {"unit": district.pk, "year": 2025, "half": "1"}
    response = client.get(reverse("reports:report", args=["docx"]), params)
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "HUYỆN TÂN PHÚ" in header
    assert "6 tháng đầu năm 2025" in text and "73/KH-UBND" in text
    targets = document.tables[1]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in targets.rows[1:]}
    water = next(v for k, v in rows.items() if "nước sinh hoạt" in k)
    assert water[1] == "> 95%" and water[2] == "33,33%" and water[3] == "không đạt"
    officers = next(v for k, v in rows.items() if "cán bộ" in k.lower())
    assert officers[2] == "chờ nhập"  # an entered target has no figure from the registry
    assert "4 hộ, 4 nhân khẩu; 2 hộ nghèo (50,00%), 1 hộ cận nghèo (25,00%)." in text
    outputs = {r.cells[0].text: [c.text for c in r.cells] for r in document.tables[2].rows}
    assert outputs["4.1. Nâng cao năng lực thực hiện Kế hoạch"][1:] == ["1", "0", "0", "12"]
    assert outputs["1. Truyền thông về giảm nghèo đa chiều"][1] == "0"  # held in September
    budget = {r.cells[0].text: [c.text for c in r.cells] for r in document.tables[3].rows}
    assert budget["Ngân sách xã (vốn đối ứng) ⚠"][1:] == ["5.000.000", "6.000.000", "0"]
    response = client.get(reverse("reports:report", args=["pdf"]), params)
    assert response.content.startswith(b"%PDF")
    pdf = pdfium.PdfDocument(response.content)
    page = pdf[0]
    lines = page.get_textpage().get_text_range().splitlines()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines  # the motto on one line
    image = page.render(scale=1.5).to_pil()
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SHOTS / "report-page-1.png")  # kept with the CI artifacts
    darkest, lightest = image.convert("L").getextrema()
    assert image.size[0] > 800 and darkest < 100 < lightest  # a page with text, not blank


def test_no_report_without_a_closed_review(client, area):
    district, _commune, officer = area
    client.force_login(officer)
    response = client.get(reverse("reports:report", args=["pdf"]),
                          {"unit": district.pk, "year": 2030})
    assert response.status_code == 404 and "Chưa có xã nào" in response.content.decode()
    assert client.get(reverse("reports:report", args=["odt"]),
                      {"unit": district.pk, "year": 2025}).status_code == 404
