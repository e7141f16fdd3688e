"""The 6-month or annual implementation report as a Vietnamese administrative document: an
editable .docx (officers finish it in Word) and a PDF of the same content. The figures come
from the plan's targets and the closed reviews; the narrative parts are left for the officer.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...messages import format_int
from ...plans import Plan, Target
from ..households.models import current_lang
from ..program.models import (
    Task,
    activities_in,
    area_unit_ids,
    budget_by_source,
    funding_in,
    outputs_by_content,
    the_plan,
)
from ..units.models import AdministrativeUnit
from .progress import Progress, target_progress
from .tables import result_tables


@dataclass
class ReportData:
    unit: AdministrativeUnit
    year: int
    half: bool  # the 6-month report, else the annual one
    plan: Plan
    lines: list[Progress]
    summary: list  # the total row of the summary table
    outputs: list[dict]  # activities and their outputs by content of the plan
    budget: list[dict]  # by funding source, with the total last
    overdue: list[Task]
    on: dt.date

    @property
    def period(self) -> str:
        return (_("the first 6 months of %(year)s") if self.half else _("the year %(year)s")) \
            % {"year": self.year}


def report_data(unit: AdministrativeUnit, year: int, half: bool,
                on: dt.date | None = None) -> ReportData:
    """The figures of the report on the lists of ``year``; NoClosedReview when none."""
    tables = {t.key: t for t in result_tables(unit, year)}
    until = dt.date(year, 6, 30) if half else None
    on = on or dt.date.today()
    overdue = [t for t in Task.objects.filter(unit__in=area_unit_ids(unit), due_on__year=year)
               if t.overdue(on)]
    return ReportData(unit, year, half, the_plan(), target_progress(unit, year),
                      tables["summary"].rows[-1],
                      outputs_by_content(activities_in(unit, year, until)),
                      budget_by_source(funding_in(unit, year, until)), overdue, on)


def _rows(data: ReportData) -> list[tuple[str, str, str, str]]:
    return [(line.target.label["vi"], target_text(line.target), actual_text(line),
             _assessment(line.met)) for line in data.lines]


def _money(amount: int) -> str:
    return format_int(amount, "vi" if current_lang() == "vi" else "en")


def _activity_rows(data: ReportData) -> list[list[str]]:
    return [[r["label"], str(r["activities"]), str(r["events"]), str(r["participants"]),
             str(r["officers_trained"])] for r in data.outputs]


ACTIVITY_HEADERS = (gettext_lazy("Content"), gettext_lazy("Activities"),
                    gettext_lazy("Events, media pieces"), gettext_lazy("Participants"),
                    gettext_lazy("Officers trained"))
BUDGET_HEADERS = (gettext_lazy("Funding source"), gettext_lazy("Allocated (đồng)"),
                  gettext_lazy("Disbursed (đồng)"), gettext_lazy("Settled (đồng)"))


def _budget_rows(data: ReportData) -> list[list[str]]:
    return [[str(r["label"]) + (" ⚠" if r["overspent"] else ""), _money(r["allocated"]),
             _money(r["disbursed"]), _money(r["settled"])] for r in data.budget]


def _overdue_text(data: ReportData) -> list[str]:
    return [_("%(task)s (%(agency)s, due %(due)s)") % {
        "task": t.task, "agency": t.agency, "due": f"{t.due_on:%d/%m/%Y}"}
        for t in data.overdue]


def _context(data: ReportData) -> dict:
    return {"data": data, "issuer": _issuer(data.unit), "rows": _rows(data),
            "summary": _summary_text(data), "activity_headers": ACTIVITY_HEADERS,
            "activities": _activity_rows(data), "budget_headers": BUDGET_HEADERS,
            "budget": _budget_rows(data), "overdue": _overdue_text(data)}


def _issuer(unit: AdministrativeUnit) -> str:
    return _("PEOPLE'S COMMITTEE") + "\n" + unit.name.upper()


def build_pdf(data: ReportData) -> bytes:
    import weasyprint

    html = render_to_string("reports/report.html", _context(data))
    return weasyprint.HTML(string=html).write_pdf()


def build_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = _issuer(data.unit) + "\n" + _("No.: …/BC-UBND")
    right.text = "\n".join([_("SOCIALIST REPUBLIC OF VIETNAM"),
                            _("Independence - Freedom - Happiness"),
                            f"{data.unit.name}, " + _("date %(day)s") % {
                                "day": f"{data.on:%d/%m/%Y}"}])
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("REPORT") + "\n").bold = True
    title.add_run(_("Results of the National Target Program on Sustainable Poverty Reduction "
                    "in %(period)s") % {"period": data.period}).bold = True
    document.add_paragraph(_("Pursuant to plan No. %(number)s of %(day)s, %(issuer)s reports:")
                           % {"number": data.plan.number, "day": f"{data.plan.date:%d/%m/%Y}",
                              "issuer": data.unit.name})
    document.add_heading(_("I. Results against the targets"), level=2)
    _docx_table(document, [_("Target"), _("Plan"), _("Result"), _("Assessment")],
                _rows(data))
    document.add_heading(_("II. Poor and near-poor households"), level=2)
    document.add_paragraph(_summary_text(data))
    document.add_heading(_("III. Activities and budget"), level=2)
    _docx_table(document, ACTIVITY_HEADERS, _activity_rows(data))
    document.add_paragraph()
    _docx_table(document, BUDGET_HEADERS, _budget_rows(data))
    if data.overdue:
        document.add_paragraph(_("Overdue tasks:"))
        for line in _overdue_text(data):
            document.add_paragraph(line, style="List Bullet")
    for heading in (_("IV. Difficulties"), _("V. Proposals")):
        document.add_heading(heading, level=2)
        document.add_paragraph("…")
    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run(_("ON BEHALF OF THE PEOPLE'S COMMITTEE") + "\n" + _("CHAIR")).bold = True
    document.add_paragraph(_("Recipients:") + "\n- " + _("as above;") + "\n- " +
                           _("archived."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def target_text(target: Target) -> str:
    if target.comparison == "reduce_by_pct":
        return _("reduce by %(value)s%%") % {"value": f"{target.value:g}"}
    sign = {">=": "≥", "<=": "≤"}.get(target.comparison, target.comparison)
    return f"{sign} {target.value:g}%"


def actual_text(line: Progress) -> str:
    if line.actual is None:
        return _("to be entered") if line.target.method == "entered" else _("no data")
    if line.target.comparison == "reduce_by_pct":
        return _("%(n)s households of group A") % {"n": f"{line.actual:g}"}
    return f"{line.actual:.2f}%".replace(".", ",")


def _assessment(met: bool | None) -> str:
    return {True: _("met"), False: _("not met"), None: "—"}[met]


def _summary_text(data: ReportData) -> str:
    total = data.summary
    return _("%(households)s households, %(persons)s persons; %(poor)s poor households "
             "(%(poor_rate)s%%), %(near)s near-poor households (%(near_rate)s%%).") % {
        "households": total[1], "persons": total[2], "poor": total[3],
        "poor_rate": f"{total[4]:.2f}".replace(".", ","), "near": total[5],
        "near_rate": f"{total[6]:.2f}".replace(".", ",")}

