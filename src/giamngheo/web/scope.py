"""The scope of a page: the area and year it is about, chosen in its query (?unit=&year=),
else the user's own area (the widest unit assigned) and a default year; another area is a
404, never a peek."""

from __future__ import annotations

from django.http import Http404

from .accounts.models import visible_units
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
        unit = AdministrativeUnit.objects.filter(pk=int(unit_id),
                                                 pk__in=visible_units(request.user)).first()
    else:
        unit = home_unit(request.user)
    if unit is None or (year and not (year.isdigit() and 1900 < int(year) < 2200)):
        raise Http404
    return unit, int(year) if year else default_year


def area_choices(user) -> list[AdministrativeUnit]:
    """The provinces, districts and communes a user may choose, in force today first."""
    return sorted(AdministrativeUnit.objects.filter(
        pk__in=visible_units(user), level__in=LEVEL_ORDER[:3]),
        key=lambda u: (LEVEL_ORDER.index(u.level), u.valid_until is not None, u.code))
