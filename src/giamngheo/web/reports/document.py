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

from ...plans import Plan, Target, load_plan
from ...plans.actuals import actual
from ..reviews.models import Review, ReviewEntry, Step
from ..units.models import AdministrativeUnit
from .tables import communes_of, result_tables

DEFAULT_PLAN = "tan-phu-73-2024"


@dataclass
class TargetLine:
    target: Target
    actual: float | None
    met: bool | None


@dataclass
class ReportData:
    unit: AdministrativeUnit
    year: int
    half: bool  # the 6-month report, else the annual one
    plan: Plan
    lines: list[TargetLine]
    summary: list  # the total row of the summary table
    on: dt.date

    @property
    def period(self) -> str:
        return (_("the first 6 months of %(year)s") if self.half else _("the year %(year)s")) \
            % {"year": self.year}


def report_data(unit: AdministrativeUnit, year: int, half: bool,
                plan_id: str = DEFAULT_PLAN, on: dt.date | None = None) -> ReportData:
    """The figures of the report on the lists of ``year``; NoClosedReview when none."""
    plan = load_plan(plan_id)
    tables = {t.key: t for t in result_tables(unit, year)}
    reviews = Review.objects.filter(commune__in=communes_of(unit), kind=Review.Kind.PERIODIC,
                                    period_year=year, step=Step.CLOSED)
    pairs = [(record, result) for record, result in ReviewEntry.objects.filter(
        review__in=reviews).exclude(result=None).values_list("record", "result")]
    start = Review.objects.filter(commune__in=communes_of(unit), kind=Review.Kind.PERIODIC,
                                  step=Step.CLOSED, period_year__lt=year).order_by(
        "period_year").first()
    baseline = None
    if start is not None:
        baseline = actual("poor_group_a_reduction", ReviewEntry.objects.filter(
            review__in=Review.objects.filter(commune__in=communes_of(unit),
                                             period_year=start.period_year,
                                             kind=Review.Kind.PERIODIC, step=Step.CLOSED))
            .exclude(result=None).values_list("record", "result"))
    lines = []
    for target in plan.targets:
        value = actual(target.measure, pairs) if target.method == "computed" else None
        lines.append(TargetLine(target, value, target.met(value, baseline)))
    return ReportData(unit, year, half, plan, lines, tables["summary"].rows[-1],
                      on or dt.date.today())


def _rows(data: ReportData) -> list[tuple[str, str, str, str]]:
    return [(line.target.label["vi"], _target_text(line.target), _actual_text(line),
             _assessment(line.met)) for line in data.lines]


def _context(data: ReportData) -> dict:
    return {"data": data, "issuer": _issuer(data.unit), "rows": _rows(data),
            "summary": _summary_text(data)}


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
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [_("Target"), _("Plan"), _("Result"),
                                                _("Assessment")], strict=True):
        cell.text = text
    for row in _rows(data):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_heading(_("II. Poor and near-poor households"), level=2)
    document.add_paragraph(_summary_text(data))
    for heading in (_("III. Activities and budget"), _("IV. Difficulties"),
                    _("V. Proposals")):
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


def _target_text(target: Target) -> str:
    if target.comparison == "reduce_by_pct":
        return _("reduce by %(value)s%%") % {"value": f"{target.value:g}"}
    sign = {">=": "≥", "<=": "≤"}.get(target.comparison, target.comparison)
    return f"{sign} {target.value:g}%"


def _actual_text(line: TargetLine) -> str:
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

