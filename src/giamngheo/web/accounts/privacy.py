"""Whether a user may read, see the ID numbers of, or take away a household's personal data:
decided in one place, for the roles the user holds on the household's own unit (its commune or
hamlet, or a unit above them), never for roles held elsewhere. Pages, the edit form, exports,
certificates, the review lists, the reports and the API all ask here.

A commune officer of Tà Lài who is also a monitor of the district sees full ID numbers in Tà
Lài and masked ones in the district's other communes.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ..households.validators import mask_id_number
from .models import May, request_cache, roles_that, visible_units

ID_NUMBER = re.compile(r"\d{12}")
MASKED_ID_NUMBER = re.compile(r"\d{3}\*{6}\d{3}")
ID_NUMBER_MARKER = "[CCCD]"  # what the access log keeps of a searched ID number


class Disclosure:
    """What one user may do with personal data, unit by unit; made once per request."""

    def __init__(self, user):
        self.user = user
        self._units: dict[str, frozenset[int]] = {}

    def units(self, may: str) -> frozenset[int]:
        """Ids of the units where the user may ``may``: those assigned in a role allowing it,
        and every unit below them."""
        if may not in self._units:
            self._units[may] = frozenset(visible_units(self.user, roles_that(may)))
        return self._units[may]

    def anywhere(self, may: str) -> bool:
        return bool(self.units(may))

    def allows(self, may: str, household) -> bool:
        """For one household (anything with ``commune_id`` and ``hamlet_id``)."""
        return self.allows_in(may, household.commune_id, household.hamlet_id)

    def allows_in(self, may: str, commune_id: int, hamlet_id: int | None) -> bool:
        units = self.units(may)
        return commune_id in units or (hamlet_id is not None and hamlet_id in units)

    def on_unit(self, may: str, unit) -> bool:
        return unit is not None and unit.pk in self.units(may)

    def households(self, households, may: str, prefix: str = ""):
        """``households`` (a queryset of households, or of rows naming one through
        ``prefix``, e.g. "household__") narrowed to those where the user may ``may``."""
        units = self.units(may)
        return households.filter(Q(**{f"{prefix}commune__in": units})
                                 | Q(**{f"{prefix}hamlet__in": units}))

    def id_number(self, member, household=None) -> str:
        """The member's ID number as this user may see it: whole, or masked."""
        if not member or not member.id_number:
            return ""
        if self.allows(May.SEE_ID_NUMBERS, household or member.household):
            return member.id_number
        return mask_id_number(member.id_number)


def disclosure(user) -> Disclosure:
    """The user's disclosure, kept on the user object (which lives as long as the request)."""
    cache = request_cache(user)
    if "disclosure" not in cache:
        cache["disclosure"] = Disclosure(user)
    return cache["disclosure"]


def is_id_number_query(query: str) -> bool:
    return bool(ID_NUMBER.fullmatch(query.replace(" ", "")))


def logged_query(params) -> str:
    """A request's query for the access log, with a searched ID number replaced by a marker:
    the log records that someone searched by an ID number, never the number."""
    kept = params.copy()
    for key in ("q",):
        if key in kept and is_id_number_query(kept[key]):
            kept[key] = ID_NUMBER_MARKER
    return kept.urlencode()


def id_number_sent_back(sent: str, stored: str, sees_it: bool) -> str:
    """The ID number to store when a form or an API body brings one back: the masked value
    the user was shown means "unchanged"; a user who was shown only the masked value cannot
    erase the number (that would be blind), so an empty value from them is refused."""
    if stored and sent == mask_id_number(stored):
        return stored
    if stored and not sent and not sees_it:
        raise ValidationError(_("You were shown this ID number masked: you cannot erase it. "
                                "Leave the masked value to keep it."), code="masked")
    if MASKED_ID_NUMBER.fullmatch(sent or ""):
        raise ValidationError(_("This masked ID number is not the member's."), code="masked")
    return sent


def guard_id_numbers(member_forms, sees_them: bool) -> None:
    """Member forms (the household edit page) show each stored ID number as the user may see
    it, and read the value sent back through ``id_number_sent_back`` before their own field
    checks it."""
    for form in member_forms:
        stored = form.instance.id_number if form.instance.pk else ""
        if stored and not sees_them:
            form.initial["id_number"] = mask_id_number(stored)
        field = form.fields["id_number"]  # each form's own copy
        field.clean = _reading_back(field.clean, stored, sees_them)


def _reading_back(clean, stored: str, sees_them: bool):
    def cleaned(value):
        return clean(id_number_sent_back((value or "").strip(), stored, sees_them))
    return cleaned
