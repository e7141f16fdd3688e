"""Report pages and downloads: the dashboard (page and XLSX), the review's result tables for
an area and the lists of a year (XLSX), the 6-month and annual reports (DOCX and PDF)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..accounts.models import AccessLog, May, Role
from ..accounts.privacy import disclosure
from ..memo import Memo, fingerprint
from ..scope import area_choices, chosen_area, visible_unit
from ..sheets import Heading, workbook
from ..units.models import AdministrativeUnit
from .dashboard import add_charts, dashboard
from .document import build_docx, build_pdf, report_data
from .tables import NoClosedReview, result_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _area(request) -> tuple[AdministrativeUnit, int]:
    unit_id, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if not (unit_id.isdigit() and year.isdigit() and 1900 < int(year) < 2200):
        raise Http404
    unit = visible_unit(request.user, int(unit_id))
    if unit is None:
        raise Http404
    return unit, int(year)


def _body(unit: AdministrativeUnit) -> str:
    return _("People's Committee of %(unit)s") % {"unit": unit.name}


# parts of the dashboard as HTML (its tables and charts, the choice of units), by everything
# they are written from
_FRAGMENTS = Memo(64)


def _fragment(template: str, context: dict, *depends_on) -> str:
    """``template`` rendered with ``context``, which holds nothing but ``depends_on``."""
    return _FRAGMENTS.get_or_make(fingerprint((template, get_language(), depends_on)),
                                  lambda: render_to_string(template, context))


@login_required
def dashboard_page(request):
    """?unit=&year=: the area's dashboard for a calendar year (the user's own area and the
    current year by default)."""
    unit, year = chosen_area(request, timezone.localdate().year)
    board = dashboard(unit, year)
    if board:
        add_charts(board)
    sections = [(t.key, t) for t in board.tables] if board else []
    units = area_choices(request.user, request)
    return render(request, "reports/dashboard.html", {
        "unit": unit, "year": year, "board": board,
        "unit_options": _fragment("reports/_unit_options.html", {"units": units, "unit": unit},
                                  unit.pk, [(u.pk, u.name, u.valid_until) for u in units]),
        "sections_html": _fragment("reports/_dashboard_sections.html", {"sections": sections},
                                   sections)})


@login_required
def dashboard_xlsx(request):
    unit, year = chosen_area(request, timezone.localdate().year)
    board = dashboard(unit, year)
    if board is None:
        raise Http404
    heading = Heading(_body(unit), _("Year %(year)s (lists of %(lists)s)") % {
        "year": year, "lists": board.lists_year})
    response = HttpResponse(workbook(board.tables, heading), content_type=XLSX)
    response["Content-Disposition"] = \
        f'attachment; filename="bang-dieu-khien-{unit.code}-{year}.xlsx"'
    return response


@login_required
def review_tables(request):
    """?unit=<id>&year=<lists of the year>: the tables as XLSX, or why there are none; with
    the detailed lists (names) for the roles that may take personal data away, logged."""
    unit, year = _area(request)
    with_lists = disclosure(request.user).on_unit(May.EXPORT, unit)
    try:
        # ?units=today: each row a commune of today, adding up those it was formed from
        tables = result_tables(unit, year, with_lists=with_lists, on_units_of=(
            timezone.localdate() if request.GET.get("units") == "today" else None))
    except NoClosedReview as error:
        return render(request, "reports/none.html", {"message": str(error)}, status=404)
    if with_lists:
        AccessLog.objects.create(user=request.user, rows=len(tables[-1].rows),
                                 what=f"detailed lists {unit.code} {year}")
    heading = Heading(_body(unit), _("Lists of %(lists)s (annual review held in %(year)s)") % {
        "lists": year, "year": year - 1})
    response = HttpResponse(workbook(tables, heading), content_type=XLSX)
    response["Content-Disposition"] = \
        f'attachment; filename="bieu-ket-qua-ra-soat-{unit.code}-{year}.xlsx"'
    return response


class ReportForm(forms.Form):
    """What the officer fills before downloading a report: who signs, the number."""

    signer = forms.CharField(label=gettext_lazy("signed by (full name)"), max_length=120,
                             required=False)
    signer_title = forms.CharField(label=gettext_lazy("title of the signer"), max_length=60,
                                   required=False, initial=gettext_lazy("CHAIR"))
    number = forms.CharField(label=gettext_lazy("number of the report"), max_length=20,
                             required=False)


def _signer(unit: AdministrativeUnit) -> str:
    """The chair of the unit when the system knows one (a commune chair's account)."""
    from ..accounts.models import Assignment

    chair = Assignment.objects.filter(unit=unit, role=Role.COMMUNE_CHAIR) \
        .select_related("user").first()
    return chair.user.get_full_name().split(" (")[0] if chair else ""


@login_required
def reports_page(request):
    """The 6-month and annual reports of an area and a year, to download as DOCX or PDF."""
    unit, year = chosen_area(request, timezone.localdate().year)
    form = ReportForm(request.GET if "signer" in request.GET else None,
                      initial={"signer": _signer(unit)})
    values = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
    query = {"unit": unit.pk, "year": year, **{k: v for k, v in values.items() if v}}
    return render(request, "reports/reports.html", {
        "unit": unit, "year": year, "units": area_choices(request.user, request), "form": form,
        "query": "&".join(f"{k}={urlencode(v)}" for k, v in query.items())})


@login_required
def implementation_report(request, kind: str):
    """?unit=&year=&half=1: the 6-month (half=1) or annual report, .docx or .pdf."""
    if kind not in ("docx", "pdf"):
        raise Http404
    unit, year = _area(request)
    form = ReportForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {}
    try:
        data = report_data(unit, year, half=request.GET.get("half") == "1",
                           signer=values.get("signer", ""),
                           signer_title=values.get("signer_title", ""),
                           number=values.get("number", ""))
    except NoClosedReview as error:
        return render(request, "reports/none.html", {"message": str(error)}, status=404)
    content, mime = (build_docx(data), DOCX) if kind == "docx" else (build_pdf(data),
                                                                     "application/pdf")
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{data.file_name}.{kind}"'
    return response
