"""The 6-month and annual implementation reports as Vietnamese administrative documents
(Decree 30/2020/NĐ-CP: A4, Times New Roman 13-14, the national motto with its rule, the place
and date in italics, "Kính gửi", the signer's title and name, "Nơi nhận", page numbers): an
editable .docx (officers finish it in Word) and a PDF of the same content.

The 6-month report of year Y is "as of 30 June": the lists the year started with (those of Y)
and what the monthly reviews decided by 30 June, the activities, money, entered values and
tasks as they stood on that day. The annual report of Y shows the annual review held in Y (the
lists of Y+1) beside the lists of Y, and the activities and budget of Y. Content after Circular
10/2022/TT-BLĐTBXH (monitoring report, Form 01) and the seed plan; where the official form is
not known the document's footnote says so. Every figure comes from the same definitions as the
pages (``giamngheo.figures``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ...figures import Headcount, headcount, provincial_rates
from ...messages import format_int
from ...plans import label
from ...procedure import PERIODIC
from ...rules.parameters import rule_values
from ...transitions import ESCAPES
from ..households.models import current_lang
from ..memo import Memo, fingerprint
from ..program.models import (
    LivelihoodModel,
    Task,
    activities_in,
    area_unit_ids,
    budget_by,
    budget_by_source,
    funding_in,
    group_choices,
    outputs_by_content,
    project_choices,
    the_plan,
)
from ..program.outcomes import outcomes
from ..program.progress import (
    Progress,
    actual_text,
    state_text,
    target_progress,
    target_text,
)
from ..reviews.figures import (
    area_figures,
    figures_by_review,
    figures_by_year,
    reviews_of,
    territory_communes,
)
from ..reviews.models import Review, Step
from ..reviews.statuses import MOVEMENT_LABELS, decisions
from ..sheets import Table
from ..support.models import Support
from ..units.models import AdministrativeUnit
from .tables import NoClosedReview, movement_tables, rate, summary_table

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def vn_date(day: dt.date) -> str:
    """"ngày 01 tháng 12 năm 2026": days under 10 and months under 3 with a leading zero
    (Decree 30/2020, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("day %(d)s month %(m)s year %(y)s") % {"d": f"{day.day:02d}", "m": month,
                                                    "y": day.year}


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class ReportData:
    unit: AdministrativeUnit
    year: int
    half: bool  # the 6-month report, else the annual one
    on: dt.date  # the document's date
    until: dt.date  # the period's end: figures as of that day
    issuer: list[str]  # the issuing body, one line each
    number: str
    recipients: list[str]
    preamble: str
    sections: list[Section]
    appendix: list[Table]
    signer_title: list[str]
    signer: str
    distribution: list[str]
    footnote: str
    lines: list[Progress]  # the targets (also in the first section's table)
    start: Headcount | None  # the lists the year started with
    end: Headcount | None  # the lists at the period's end (annual: the review held in Y)

    @property
    def period(self) -> str:
        return (_("the first 6 months of %(year)s") if self.half else _("the year %(year)s")) \
            % {"year": self.year}

    @property
    def title(self) -> str:
        return _("Results of the National Target Program on Sustainable Poverty Reduction in "
                 "%(period)s") % {"period": self.period}

    @property
    def place_date(self) -> str:
        return f"{self.unit.place_name}, {vn_date(self.on)}"

    @property
    def file_name(self) -> str:
        kind = "6-thang" if self.half else "nam"
        return f"bao-cao-giam-ngheo-{kind}-{self.year}-{self.unit.code}"


def report_data(unit: AdministrativeUnit, year: int, half: bool, on: dt.date | None = None,
                signer: str = "", signer_title: str = "", number: str = "") -> ReportData:
    """The report of ``year`` for the area; NoClosedReview when no lists say anything."""
    until = dt.date(year, 6, 30) if half else dt.date(year, 12, 31)
    communes = unit.communes()
    territory = territory_communes(unit, communes)
    start_figures = area_figures(unit, year, territory)
    end_figures = None if half else area_figures(unit, year + 1, territory)
    if start_figures is None and end_figures is None:
        raise NoClosedReview(_("No commune of %(unit)s has a closed annual review for the "
                               "lists of %(year)s.") % {"unit": unit.name, "year": year})
    lists_year = year if half or end_figures is None else year + 1
    lines = target_progress(unit, year, lists_year, until,
                            by_year=figures_by_year(unit, territory))
    start = headcount(start_figures) if start_figures else None
    end = headcount(end_figures) if end_figures else None
    sections = [
        _targets_section(lines, lists_year),
        _poverty_section(communes, year, half, until, start_figures, end_figures),
        _activities_section(unit, communes, year, until),
        _money_section(unit, year, until),
        _tasks_section(unit, year, until),
        Section(_("VI. Difficulties and problems"), ["…"]),
        Section(_("VII. Proposals"), ["…"]),
    ]
    chair = signer_title or _("CHAIR")
    return ReportData(
        unit, year, half, on or dt.date.today(), until, _issuer(unit),
        number or "", _recipients(unit, on or dt.date.today()), _preamble(unit, year, half),
        sections, _appendix(unit, lists_year, end_figures or start_figures, territory),
        [_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), chair.upper()], signer,
        [_("As above;"), *_copies(unit), _("Archived: office.")], _footnote(), lines, start,
        end)


def _issuer(unit: AdministrativeUnit) -> list[str]:
    return [_("PEOPLE'S COMMITTEE"), unit.name.upper()]


def _recipients(unit: AdministrativeUnit, on: dt.date) -> list[str]:
    """The People's Committee of the level above (as it stood on ``on``), and the body in
    charge of poverty reduction there."""
    bodies = rule_values("reporting.yaml", "report_recipients", on)
    above = unit.parent
    if above is None:
        return [bodies["ministry"]]
    out = [_("People's Committee of %(unit)s") % {"unit": above.in_sentence}]
    if above.level == AdministrativeUnit.Level.PROVINCE:
        out.append(f"{bodies['provincial_department']} {above.in_sentence}")
    return out


def _copies(unit: AdministrativeUnit) -> list[str]:
    return [_("Standing committee of the Party, People's Council of %(unit)s (to know);") % {
        "unit": unit.in_sentence}]


def _preamble(unit: AdministrativeUnit, year: int, half: bool) -> str:
    """The plan is cited where the area carries it out (the plan's area or a unit in it); a
    level above the plan's area reports on the program itself."""
    plan = the_plan()
    lang = current_lang()
    period = _("the first 6 months of %(year)s") % {"year": year} if half \
        else _("the year %(year)s") % {"year": year}
    plan_area = AdministrativeUnit.objects.filter(code=plan.area).first()
    if plan_area is not None and unit.pk in plan_area.below():
        return _("Carrying out plan No. %(number)s of %(day)s of the %(issuer)s on the "
                 "National Target Program on Sustainable Poverty Reduction in %(year)s, the "
                 "People's Committee of %(unit)s reports the results of %(period)s as "
                 "follows:") % {
            "number": plan.number, "day": f"{plan.date:%d/%m/%Y}",
            "issuer": label(plan.issuer, lang), "year": plan.start.year,
            "unit": unit.in_sentence, "period": period}
    until = dt.date(year, 6, 30) if half else dt.date(year, 12, 31)
    return _("Carrying out the National Target Program on Sustainable Poverty Reduction "
             "(Decision 90/QĐ-TTg) and %(basis)s, the People's Committee of %(unit)s reports "
             "the results of %(period)s as follows:") % {
        "basis": _basis(unit, until), "unit": unit.in_sentence, "period": period}


def _basis(unit: AdministrativeUnit, until: dt.date) -> str:
    """What the report is drawn from, for its level: a commune has no units below it (its own
    reviews and records); a district or province, the reports of the level below in force at
    the period's end (the districts until 30/06/2025, the communes since)."""
    if unit.level == AdministrativeUnit.Level.COMMUNE:
        return _("on the results of the commune's own reviews of poor and near-poor households "
                 "and its records")
    if AdministrativeUnit.objects.filter(parent=unit, level=AdministrativeUnit.Level.DISTRICT
                                         ).valid_on(until).exists():
        return _("on the reports of the district People's Committees")
    return _("on the reports of the commune People's Committees")


def _targets_section(lines: list[Progress], lists_year: int) -> Section:
    table = Table("targets", _("Results against the plan's targets"),
                  [_("Target"), _("Plan"), _("Result"), _("Assessment")])
    lang = current_lang()
    for line in lines:
        table.rows.append([label(line.target.label, lang), target_text(line.target),
                           actual_text(line), state_text(line)])
    return Section(_("I. Results against the targets"), [
        _("Computed targets are measured on the lists of %(year)s; a value with unknown "
          "answers is never counted as met.") % {"year": lists_year}], [table])


def _headcount_row(name: str, line: Headcount, figures: dict) -> list:
    provincial = provincial_rates(figures) or {}
    return [name, line.households, line.poor, rate(line.poor, line.households),
            line.near_poor, rate(line.near_poor, line.households), line.undecided,
            *[round(provincial[s], 2) if provincial.get(s) is not None else "—"
              for s in ("poor", "near_poor")]]


def _poverty_section(communes: list[AdministrativeUnit], year: int, half: bool,
                     until: dt.date, start: dict | None, end: dict | None) -> Section:
    section = Section(_("II. Poor and near-poor households"))
    table = Table("rates", _("Poor and near-poor households, national and provincial "
                             "standards"), [
        "", _("households"), _("poor"), _("% poor"), _("near-poor"), _("% near-poor"),
        _("without a decision (shown apart)"), _("% poor (provincial standard)"),
        _("% near-poor (provincial standard)")])
    if start:
        table.rows.append(_headcount_row(_("At the start of %(year)s (lists of %(year)s)") % {
            "year": year}, headcount(start), start))
    if end:
        table.rows.append(_headcount_row(_("At the end of %(year)s (lists of %(next)s)") % {
            "year": year, "next": year + 1}, headcount(end), end))
    section.tables.append(table)
    if start and end:
        a, b = headcount(start), headcount(end)
        section.paragraphs.append(_(
            "The poverty rate went from %(a)s%% to %(b)s%%, the near-poverty rate from %(c)s%% "
            "to %(d)s%%.") % {"a": _pct(a.poor_rate), "b": _pct(b.poor_rate),
                               "c": _pct(a.near_poor_rate), "d": _pct(b.near_poor_rate)})
    if end and "movements" in end:
        moves = end["movements"]
        section.paragraphs.append(_(
            "In the year %(escaped)s households escaped poverty (%(to_near)s of them became "
            "near-poor), %(new)s became newly poor and %(re)s fell back into poverty; "
            "%(escaped_near)s escaped near-poverty and %(new_near)s became newly near-poor."
        ) % {"escaped": sum(moves.get(m, 0) for m in ESCAPES),
             "to_near": moves.get("poor_to_near_poor", 0), "new": moves.get("new_poor", 0),
             "re": moves.get("re_poor", 0),
             "escaped_near": moves.get("escaped_near_poverty", 0),
             "new_near": moves.get("new_near_poor", 0)})
    elif end:
        section.paragraphs.append(_("No earlier annual review to compare the lists with."))
    if end is None and not half:
        section.paragraphs.append(_("The annual review of %(year)s is not closed yet in every "
                                    "commune: its lists are not counted here.") % {
                                        "year": year})
    monthly = _monthly_moves(communes, dt.date(year, 1, 1), until)
    if monthly:
        changes = Table("monthly", _("Decided by the monthly reviews from %(start)s to %(end)s")
                        % {"start": f"01/01/{year}", "end": f"{until:%d/%m/%Y}"},
                        [_("movement"), _("households")])
        changes.rows = [[str(MOVEMENT_LABELS[m]), n] for m, n in sorted(monthly.items())
                        if m not in ("remain_poor", "remain_near_poor", "remain_above")]
        if changes.rows:
            section.tables.append(changes)
    return section


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _monthly_moves(communes: list[AdministrativeUnit], start: dt.date, end: dt.date
                   ) -> Counter:
    """What the monthly reviews of the area's ``communes`` decided from ``start`` to
    ``end``."""
    moves: Counter = Counter()
    # only the communes with a monthly review decided in the period have moves to count
    with_monthly = set(Review.objects.filter(
        commune__in=communes, step=Step.CLOSED, decision__signed_on__gte=start,
        decision__signed_on__lte=end).exclude(kind=PERIODIC).values_list("commune", flat=True))
    for commune in communes:
        if commune.pk not in with_monthly:
            continue
        for step in decisions(commune, end):
            if step.review.kind != PERIODIC and step.review.lists_date >= start:
                moves += step.moves
    return moves


def _activities_section(unit, communes: list[AdministrativeUnit], year: int,
                        until: dt.date) -> Section:
    outputs = Table("outputs", _("Activities by content of the plan"), [
        _("Content"), _("Activities"), _("Events, media pieces"), _("Participants"),
        _("Officers trained")])
    outputs.rows = [[r["label"], r["activities"], r["events"], r["participants"],
                     r["officers_trained"]] for r in outputs_by_content(
        activities_in(unit, year, until))]
    outputs.add_total()
    models = Table("models", _("Livelihood models"), [
        _("model"), _("commune"), _("started on"), _("participating households"),
        _("escaped poverty since"), _("disbursed (đồng)")], money=True)
    units = area_unit_ids(unit)
    for model in LivelihoodModel.objects.filter(commune__in=units, started_on__lte=until) \
            .exclude(ended_on__lt=dt.date(year, 1, 1)).select_related("commune"):
        found = outcomes(model)
        disbursed = sum(f.disbursed for f in model.funding.filter(on__lte=until))
        models.rows.append([model.name, model.commune.name, f"{model.started_on:%d/%m/%Y}",
                            len(found), sum(1 for o in found if o.movement in ESCAPES),
                            disbursed])
    trained = Support.objects.given().filter(
        household__commune__in=communes, given_on__year=year, given_on__lte=until
    ).aggregate(  # one query
        n=Count("pk", filter=Q(kind="vocational_training")),
        h=Count("household", filter=Q(kind="vocational_training"), distinct=True),
        p=Count("pk", filter=Q(kind="job_placement")))
    training = [_("Vocational training: %(n)s people of %(h)s households; job counselling and "
                  "placement: %(p)s people.") % trained]
    section = Section(_("III. Activities, livelihood models and training"), training,
                      [outputs])
    if models.rows:
        section.tables.append(models)
    return section


def _money_section(unit, year: int, until: dt.date) -> Section:
    funding = funding_in(unit, year, until)
    headers = [_("Allocated (đồng)"), _("Disbursed (đồng)"), _("Settled (đồng)")]
    tables = []
    by_source = budget_by_source(funding)
    for key, title, rows in (
            ("by_project", _("Funding by project of the program"),
             budget_by(funding, "project", project_choices())),
            ("by_group", _("Funding by source"), budget_by(funding, "group", group_choices())),
            ("by_source", _("Funding by budget and contributor"), by_source)):
        table = Table(key, title, [_("Source") if key != "by_project" else _("Project"),
                                   *headers], money=True)
        table.rows = [[str(r["label"]) + (" ⚠" if r.get("overspent") else ""),
                       r["allocated"], r["disbursed"], r["settled"]] for r in rows]
        tables.append(table)
    paragraphs = [_("Money recorded from 01/01/%(year)s to %(end)s.") % {
        "year": year, "end": f"{until:%d/%m/%Y}"}]
    overspent = _overspent(funding, by_source)
    if overspent:
        paragraphs.append(_("⚠ More disbursed than allocated: %(where)s.") % {
            "where": "; ".join(overspent)})
    return Section(_("IV. Funding"), paragraphs, tables)


def _overspent(funding, by_source: list[dict]) -> list[str]:
    """Each source with the activities and livelihood models whose money of that source
    was disbursed beyond its allocation (a source's total may stay within it)."""
    labels = {r["source"]: str(r["label"]) for r in by_source}
    found: dict[str, list[str]] = {}
    for line in funding.values("source", "activity__name", "livelihood_model__name").annotate(
            allocated=Sum("allocated"), disbursed=Sum("disbursed")).order_by(
            "source", "activity__name", "livelihood_model__name"):
        if line["disbursed"] > line["allocated"]:
            found.setdefault(line["source"], []).append(
                line["activity__name"] or line["livelihood_model__name"])
    return [f"{labels.get(source, source)} ({', '.join(names)})"
            for source, names in found.items()]


def _tasks_section(unit, year: int, until: dt.date) -> Section:
    late = [t for t in Task.objects.filter(unit__in=area_unit_ids(unit), due_on__year=year)
            .order_by("due_on") if t.overdue(until)]
    section = Section(_("V. Tasks late on %(day)s") % {"day": f"{until:%d/%m/%Y}"})
    section.bullets = [_("%(task)s (%(agency)s, due %(due)s)") % {
        "task": t.task, "agency": t.agency, "due": f"{t.due_on:%d/%m/%Y}"} for t in late] \
        or [_("none")]
    return section


def _appendix(unit, lists_year: int, figures: dict | None,
              territory: list[AdministrativeUnit]) -> list[Table]:
    if figures is None:
        return []
    reviews = reviews_of(unit, lists_year, territory)
    figures = figures_by_review(reviews)
    rows = [(r.commune, figures[r.pk]) for r in reviews]
    table = summary_table(rows)
    table.title = _("Appendix: poor and near-poor households by unit, lists of %(year)s") % {
        "year": lists_year}
    table.notes = table.notes[:1]
    return [table, *movement_tables(rows)]


def _footnote() -> str:
    return _("The layout follows Decree 30/2020/NĐ-CP; the content follows the monitoring "
             "report of Circular 10/2022/TT-BLĐTBXH (Form 01) as we read it: the official "
             "form's exact table numbering is not known to the software, check it before "
             "issuing. Figures computed by GiảmNghèo from the closed reviews and the recorded "
             "activities; demo data are synthetic.")


def cell_text(value) -> str:
    """A table cell as the document writes it: numbers with Vietnamese separators."""
    lang = "vi" if current_lang() == "vi" else "en"
    if isinstance(value, bool) or value is None:
        return str(value or "")
    if isinstance(value, int):
        return format_int(value, lang)
    if isinstance(value, float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if lang == "vi" else text
    return str(value)


def _cells(table: Table) -> list[list[tuple[str, bool]]]:
    """The rows as (text, numeric) cells, the way both documents write them."""
    return [[(cell_text(c), isinstance(c, (int, float)) and not isinstance(c, bool))
             for c in row] for row in table.rows]


def _context(data: ReportData) -> dict:
    return {"data": data, "motto": MOTTO, "total_word": _("Total"),
            "sections": [(s, [(t, _cells(t)) for t in s.tables]) for s in data.sections],
            "appendix": [(t, _cells(t)) for t in data.appendix]}


def build_pdf(data: ReportData) -> bytes:
    import weasyprint

    html = render_to_string("reports/report.html", _context(data))
    return weasyprint.HTML(string=html).write_pdf()


# documents written, by everything they are written from: the report's data (the writer
# reads nothing else) in the active language
_DOCUMENTS = Memo(32)


def build_docx(data: ReportData) -> bytes:
    from .docx_writer import write_docx

    return _DOCUMENTS.get_or_make(fingerprint((get_language(), data)),
                                  lambda: write_docx(data, _context(data)))
