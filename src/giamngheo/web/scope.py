"""The scope of a page: the area and year it is about, chosen in its query (?unit=&year=),
else the user's own area (the widest unit assigned) and a default year; another area is a
404, never a peek."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .accounts.models import visible_unit_rows
from .units.models import AdministrativeUnit

LEVEL_ORDER = ["province", "district", "commune", "hamlet"]


def home_unit(user) -> AdministrativeUnit | None:
    units = AdministrativeUnit.objects.filter(assignments__user=user) if not \
        user.is_superuser else AdministrativeUnit.objects.filter(level="province")
    return min(units, key=lambda u: (LEVEL_ORDER.index(u.level), u.code), default=None)


def chosen_area(request, default_year: int) -> tuple[AdministrativeUnit, int]:
    unit_id, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        unit = visible_unit(request.user, int(unit_id))
    else:
        unit = home_unit(request.user)
    if unit is None or (year and not (year.isdigit() and 1900 < int(year) < 2200)):
        raise Http404
    return unit, int(year) if year else default_year


def visible_unit(user, pk: int) -> AdministrativeUnit | None:
    """The unit ``pk`` if the user may read it (``visible_units``), else None: the id looked
    up among the user's units, not sent with them all to the database."""
    return AdministrativeUnit.objects.filter(pk=pk).first() \
        if pk in visible_unit_rows(user) else None


def shows_history(request) -> bool:
    """Whether the page was asked to offer the units that have ended too (?history=1)."""
    return request is not None and request.GET.get("history") == "1"


def area_choices(user, request=None) -> list[AdministrativeUnit]:
    """The provinces, districts and communes a user may choose: those in force today (and
    the one chosen), or every period with the history switch."""
    levels = LEVEL_ORDER[:3]
    units = AdministrativeUnit.objects.filter(pk__in=[
        pk for pk, (level, _parent) in visible_unit_rows(user).items() if level in levels],
        level__in=levels)
    if not shows_history(request):
        chosen = request.GET.get("unit", "") if request is not None else ""
        units = units.filter(Q(pk__in=AdministrativeUnit.objects.valid_on(
            timezone.localdate()).values("pk")) | Q(pk=int(chosen) if chosen.isdigit() else 0))
    return sorted(units, key=lambda u: (LEVEL_ORDER.index(u.level), u.valid_until is not None,
                                        u.code))
