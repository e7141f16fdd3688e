"""The demo district's 6-month and annual reports as a reader sees them: the .docx drawn to
pages by LibreOffice (as Word users open it; Times New Roman drawn with the metric-compatible
Liberation Serif) and the PDF drawn by pdfium, each page saved as a PNG under
artifacts/reports/ for people to look at, and checked as an administrative document."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.utils import translation

from giamngheo.web.reports.document import build_docx, build_pdf, report_data
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db
PAGES = Path(__file__).parents[2] / "artifacts" / "reports"


def docx_to_pdf(docx: bytes, folder: Path) -> bytes:
    """LibreOffice, headless, with its own profile so that runs never share one."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice draws the .docx (scripts/dev.sh test installs it)"
    source = folder / "report.docx"
    source.write_bytes(docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (folder / "report.pdf").read_bytes()


def pages_of(pdf_bytes: bytes, name: str) -> list[str]:
    """Each page saved as artifacts/reports/<name>-<n>.png; the pages' text."""
    PAGES.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(pdf_bytes)
    texts = []
    for n in range(len(pdf)):
        page = pdf[n]
        width, height = page.get_size()
        # A4, portrait; the appendix's wide tables on landscape pages
        assert abs(min(width, height) / max(width, height) - 210 / 297) < 0.01
        assert n > 0 or width < height
        image = page.render(scale=1.4).to_pil()
        image.save(PAGES / f"{name}-{n + 1}.png")
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < 100 < lightest  # a page with text, not blank
        texts.append(page.get_textpage().get_text_range())
    for stale in PAGES.glob(f"{name}-*.png"):  # pages of an older, longer version
        if int(stale.stem.rsplit("-", 1)[1]) > len(pdf):
            stale.unlink()
    return texts


@pytest.mark.parametrize("half", [True, False], ids=["6-months", "annual"])
def test_the_demo_districts_reports_drawn_to_pages(small_demo, tmp_path, half):
    district = Unit.objects.get(level="district", code="734", valid_from=None)
    with translation.override("vi"):
        data = report_data(district, 2024, half, signer="Nguyễn Văn An")
        docx, pdf = build_docx(data), build_pdf(data)
    kind = "6-thang" if half else "nam"
    for source, pages in (("docx", pages_of(docx_to_pdf(docx, tmp_path), f"{kind}-docx")),
                          ("pdf", pages_of(pdf, f"{kind}-pdf"))):
        first = pages[0].replace("\r", "").splitlines()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first, source  # the motto, one line
        assert any(line.startswith("Tân Phú, ngày") for line in first), source
        assert any(line.strip() == "BÁO CÁO" for line in first), source
        assert "Kính gửi:" in pages[0], source
        text = "\n".join(pages)
        assert "TM. ỦY BAN NHÂN DÂN" in text and "Nguyễn Văn An" in text, source
        assert "Nơi nhận:" in text, source
        assert len(pages) >= 2 and "2" in pages[1].replace("\r", "").splitlines(), source
        title = " ".join(pages[0].split())  # the title wraps where the page ends it
        assert ("bền vững 6 tháng đầu năm 2024" if half else "bền vững năm 2024") in title, \
            source
