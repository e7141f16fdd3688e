"""Report downloads: the review's result tables for an area and a year (XLSX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ..accounts.models import visible_units
from ..units.models import AdministrativeUnit
from .tables import NoClosedReview, result_tables, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def review_tables(request):
    """?unit=<id>&year=<lists of the year>: the tables as XLSX, or why there are none."""
    unit_id, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if not (unit_id.isdigit() and year.isdigit()):
        raise Http404
    unit = AdministrativeUnit.objects.filter(pk=int(unit_id),
                                             pk__in=visible_units(request.user)).first()
    if unit is None:
        raise Http404
    try:
        tables = result_tables(unit, int(year))
    except NoClosedReview as error:
        return render(request, "reports/none.html", {"message": str(error)}, status=404)
    response = HttpResponse(workbook(unit, int(year), tables), content_type=XLSX)
    response["Content-Disposition"] = \
        f'attachment; filename="bieu-ket-qua-ra-soat-{unit.code}-{year}.xlsx"'
    return response
