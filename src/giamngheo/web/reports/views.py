"""Report downloads: the review's result tables for an area and a year (XLSX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ..accounts.models import EXPORTING_ROLES, AccessLog, has_role_for, visible_units
from ..areas import area_choices, chosen_area
from ..program.models import the_plan
from ..units.models import AdministrativeUnit
from .dashboard import add_charts, dashboard
from .document import build_docx, build_pdf, report_data
from .tables import NoClosedReview, result_tables, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _area(request) -> tuple[AdministrativeUnit, int]:
    unit_id, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if not (unit_id.isdigit() and year.isdigit()):
        raise Http404
    unit = AdministrativeUnit.objects.filter(pk=int(unit_id),
                                             pk__in=visible_units(request.user)).first()
    if unit is None:
        raise Http404
    return unit, int(year)


@login_required
def dashboard_page(request):
    """?unit=&year=: the area's dashboard (the user's own area by default)."""
    unit, year = chosen_area(request, the_plan().end.year)
    board = dashboard(unit, year)
    if board:
        add_charts(board)
    return render(request, "reports/dashboard.html", {
        "unit": unit, "year": year, "board": board, "units": area_choices(request.user),
        "sections": [(t.key, t) for t in board.tables] if board else []})


@login_required
def dashboard_xlsx(request):
    unit, year = chosen_area(request, the_plan().end.year)
    board = dashboard(unit, year)
    if board is None:
        raise Http404
    response = HttpResponse(workbook(unit, year, board.tables), content_type=XLSX)
    response["Content-Disposition"] = \
        f'attachment; filename="bang-dieu-khien-{unit.code}-{year}.xlsx"'
    return response


@login_required
def review_tables(request):
    """?unit=<id>&year=<lists of the year>: the tables as XLSX, or why there are none; with
    the detailed lists (names) for the roles that may take personal data away, logged."""
    unit, year = _area(request)
    with_lists = has_role_for(request.user, unit, EXPORTING_ROLES)
    try:
        tables = result_tables(unit, year, with_lists=with_lists)
    except NoClosedReview as error:
        return render(request, "reports/none.html", {"message": str(error)}, status=404)
    if with_lists:
        AccessLog.objects.create(user=request.user, rows=len(tables[-1].rows),
                                 what=f"detailed lists {unit.code} {year}")
    response = HttpResponse(workbook(unit, year, tables), content_type=XLSX)
    response["Content-Disposition"] = \
        f'attachment; filename="bieu-ket-qua-ra-soat-{unit.code}-{year}.xlsx"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def implementation_report(request, kind: str):
    """?unit=&year=&half=1: the 6-month (half=1) or annual report, .docx or .pdf."""
    if kind not in ("docx", "pdf"):
        raise Http404
    unit, year = _area(request)
    try:
        data = report_data(unit, year, half=request.GET.get("half") == "1")
    except NoClosedReview as error:
        return render(request, "reports/none.html", {"message": str(error)}, status=404)
    content, mime = (build_docx(data), DOCX) if kind == "docx" else (build_pdf(data),
                                                                     "application/pdf")
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = \
        f'attachment; filename="bao-cao-giam-ngheo-{unit.code}-{year}.{kind}"'
    return response
