"""What happened to a household and its members, in words: who, when, and for each change
the field's label with the old and the new value (django-simple-history's ``diff_against``),
and the answers that stopped counting as time passed (a child's nutrition answers at 16)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import household as contract
from ...messages import format_int
from ..units.models import AdministrativeUnit
from .models import Household, Member, current_lang, field_label
from .validators import mask_id_number

MONEY = {"income_monthly_per_capita", "income_annual_total"}


@dataclass
class Entry:
    when: dt.datetime
    who: str
    subject: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    day_only: bool = False  # a date the data reached, not a moment someone saved


# the historical models' own managers: the same rows as ``Household.history``, whose
# descriptor builds a new manager class at each access (some 0.3 ms)
HISTORICAL_HOUSEHOLDS = Household.history.model._default_manager
HISTORICAL_MEMBERS = Member.history.model._default_manager


def household_history(household: Household, show_id: bool, limit: int = 40) -> list[Entry]:
    """The newest ``limit`` entries of the household's history and its members', newest
    first."""
    units: dict[int, AdministrativeUnit] = {}
    entries = _entries(HISTORICAL_HOUSEHOLDS.filter(id=household.pk)
                       .select_related("history_user").order_by("history_date", "history_id"),
                       _("Household"), units, show_id)
    records = HISTORICAL_MEMBERS.filter(household_id=household.pk) \
        .select_related("history_user").order_by("id", "history_date", "history_id")
    for _member, versions in groupby(records, key=lambda r: r.id):
        versions = list(versions)
        entries += _entries(versions, _("Member: %(name)s") % {"name": versions[-1].full_name},
                            units, show_id)
    entries += _no_longer_applying(household)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _entries(versions, subject: str, units: dict[int, AdministrativeUnit],
             show_id: bool) -> list[Entry]:
    out = []
    previous = None
    model = None
    for version in versions:
        model = model or version.instance_type
        who = version.history_user.get_full_name() or version.history_user.username \
            if version.history_user else _("system")
        entry = Entry(version.history_date, who, subject, _ACTIONS[version.history_type](),
                      version.history_change_reason or "")
        if previous is not None and version.history_type == "~":
            delta = version.diff_against(previous)
            order = {f.name: n for n, f in enumerate(model._meta.fields)}
            for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
                model_field = model._meta.get_field(change.field)
                entry.changes.append((field_label(model, change.field), *shown_change(
                    model_field, change.old, change.new, units, show_id)))
            if not entry.changes:
                previous = version
                continue  # saved with nothing changed (an older version of the form)
        out.append(entry)
        previous = version
    return out


_ACTIONS = {"+": lambda: _("entered"), "~": lambda: _("corrected"), "-": lambda: _("removed")}


def shown_change(model_field: models.Field, old: Any, new: Any,
                 units: dict[int, AdministrativeUnit], show_id: bool) -> tuple[str, str]:
    """The old and the new value as a page shows them, told apart: two units of the same
    name (the Xã Tà Lài until 30/06/2025 and today's, their Ấp 4) read with the day the old
    one ended, else their codes, else their periods."""
    pair = shown(model_field, old, units, show_id), shown(model_field, new, units, show_id)
    if pair[0] != pair[1] or not isinstance(model_field, models.ForeignKey) \
            or old not in units or new not in units:
        return pair
    a, b = units[old], units[new]
    if a.code != b.code:
        return f"{pair[0]} ({a.code})", f"{pair[1]} ({b.code})"
    return str(a), str(b)


def shown(model_field: models.Field, value: Any, units: dict[int, AdministrativeUnit],
          show_id: bool) -> str:
    """A stored value as a page shows it: labels, not codes; dates dd/mm/yyyy; amounts in
    đồng; yes / no / not recorded."""
    if value is None or value == "":
        return _("not recorded") if model_field.null or isinstance(
            model_field, models.JSONField) else "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field.name == "id_number":
        return value if show_id else mask_id_number(value)
    if isinstance(model_field, models.ForeignKey):
        if value not in units:
            units.update((u.pk, u) for u in AdministrativeUnit.objects.filter(pk=value))
        return units[value].dated_name if value in units else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if model_field.name in MONEY:
        return f"{format_int(int(value), current_lang())} đ"
    if isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",") if current_lang() == "vi" else text
    if isinstance(value, list):
        return "; ".join(_list_label(model_field.name, v) for v in value) or _("none")
    return str(value)


def _list_label(name: str, value: str) -> str:
    from .forms import HouseholdForm

    labels = dict(HouseholdForm.base_fields[name].choices)
    return str(labels.get(value, value))


def _in_sentence(label: str) -> str:
    return label[:1].lower() + label[1:]


def _no_longer_applying(household: Household) -> list[Entry]:
    """A member's nutrition answer "yes", recorded when a child, stops counting on their
    16th birthday: kept in the registry, left out of every record from that day."""
    today = dt.date.today()
    entries = []
    # the members as read with the household (once per page), in their order
    for member in sorted((m for m in household.members.all() if m.left_on is None),
                         key=lambda m: (m.position, m.pk)):
        flags = member.answers_no_longer_applying(today)
        if not flags:
            continue
        birthday = _birthday(member, contract.NUTRITION_AGE_LIMIT)
        labels = ", ".join(_in_sentence(field_label(Member, f)) for f in flags)
        entries.append(Entry(
            timezone.make_aware(dt.datetime.combine(birthday, dt.time())), _("system"),
            _("Member: %(name)s") % {"name": member.full_name},
            _("no longer applies"),
            _("Aged %(age)s: the answers recorded when a child (%(flags)s) no longer count.")
            % {"age": contract.NUTRITION_AGE_LIMIT, "flags": labels}, day_only=True))
    return entries


def _birthday(member: Member, age: int) -> dt.date:
    """The day the member reaches ``age`` as the core counts ages (29 February included)."""
    year = member.birth_date.year + age
    try:
        return member.birth_date.replace(year=year)
    except ValueError:  # born on 29 February, a common year
        common = dt.date(year, 2, 28)
        return common if member.age_on(common) >= age else dt.date(year, 3, 1)

