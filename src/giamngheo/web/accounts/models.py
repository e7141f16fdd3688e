"""Roles of docs/review-procedure.md ("Who takes part"), each given to a user for an
administrative unit.

What a user may see is the units of their assignments, every unit below them and the units
their territory was formed from (read only); what a user may act on is the units of their
assignments and every unit below them. Queries of personal data go through ``visible_units``,
actions through ``working_units`` and ``has_role_for``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..units.models import AdministrativeUnit, Succession


class Role(models.TextChoices):
    SURVEYOR = "surveyor", _("Surveyor")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_CHAIR = "commune_chair", _("Commune chair")
    AREA_OFFICER = "area_officer", _("District or provincial officer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    MONITOR = "monitor", _("Monitor (Fatherland Front, mass organisations)")
    ADMINISTRATOR = "administrator", _("Administrator")


class May(models.TextChoices):
    """What a role may do with the personal data of the households of its units."""

    READ = "read", _("read households' personal data (names, members, address)")
    SEE_ID_NUMBERS = "see_id_numbers", _("see full ID numbers, and search by them")
    EXPORT = "export", _("take lists of personal data away (XLSX, certificates)")


# The one declaration of who may read which personal data: decided for the roles a user holds
# on the object's unit or a unit above it (``privacy.Disclosure``), never merged across units.
# The finance officer manages money: figures, never names. The monitor (Fatherland Front)
# supervises the lists: names, not ID numbers.
ROLE_MAY: dict[str, frozenset[str]] = {
    Role.SURVEYOR: frozenset({May.READ}),
    Role.COMMUNE_OFFICER: frozenset({May.READ, May.SEE_ID_NUMBERS, May.EXPORT}),
    Role.COMMUNE_CHAIR: frozenset({May.READ, May.SEE_ID_NUMBERS, May.EXPORT}),
    Role.AREA_OFFICER: frozenset({May.READ, May.EXPORT}),
    Role.FINANCE_OFFICER: frozenset(),
    Role.MONITOR: frozenset({May.READ}),
    Role.ADMINISTRATOR: frozenset(May),
}


def roles_that(may: str) -> set[str]:
    return {role for role, allowed in ROLE_MAY.items() if may in allowed}


ROLES_SEEING_ID_NUMBERS = roles_that(May.SEE_ID_NUMBERS)
READING_ROLES = roles_that(May.READ)
# who may take lists of personal data away (XLSX, certificates); every export is logged
EXPORTING_ROLES = roles_that(May.EXPORT)
# who enters households, requests and imports (in their communes)
HOUSEHOLD_EDITORS = {Role.COMMUNE_OFFICER, Role.SURVEYOR}


class Assignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="assignments",
                             verbose_name=_("administrative unit"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"],
                                               name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.name}"


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {Role.ADMINISTRATOR}
    if "_roles" not in user.__dict__:  # once per request: the user object is the request's
        user._roles = frozenset(user.assignments.values_list("role", flat=True))
    return set(user._roles)


def visible_units(user, roles: set[str] | None = None) -> set[int]:
    """Ids of the units a user may *read* (with ``roles``: read in one of those roles): those
    assigned and all below them, in every period, and the history of their territory: the
    units it was formed from, through any chain of reorganisations, with all below them. An
    officer of today's Xã Tà Lài reads the closed reviews, decisions and certificates of old
    Tà Lài, Phú Lập and Phú Thịnh; acting on them stays with ``has_role_for`` and
    ``working_units``, which never reach into the history, so that history is read only.
    Worked out once per request and set of roles (the user object lives as long as the
    request)."""
    return _units_cached(user, roles, history=True)


def working_units(user, roles: set[str] | None = None) -> set[int]:
    """Ids of the units a user may *act* on (with ``roles``: in one of those roles): those
    assigned and all below them; never the history of their territory."""
    return _units_cached(user, roles, history=False)


def _units_cached(user, roles: set[str] | None, history: bool) -> set[int]:
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_visible_units", {})
    key = (frozenset(roles) if roles is not None else None, history)
    if key not in cache:
        cache[key] = frozenset(_visible_units(user, roles, history))
    return set(cache[key])


def _visible_units(user, roles: set[str] | None, history: bool) -> set[int]:
    if user.is_superuser or Role.ADMINISTRATOR in roles_of(user):
        return set(AdministrativeUnit.objects.values_list("pk", flat=True))
    reached: dict[int | None, list[int]] = {}  # below, and (history) formed from
    for pk, parent in AdministrativeUnit.objects.values_list("pk", "parent_id"):
        reached.setdefault(parent, []).append(pk)
    if history:
        for predecessor, successor in Succession.objects.values_list("predecessor_id",
                                                                     "successor_id"):
            reached.setdefault(successor, []).append(predecessor)
    seen: set[int] = set()
    assignments = user.assignments.all()
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    frontier = list(assignments.values_list("unit_id", flat=True))
    while frontier:
        pk = frontier.pop()
        if pk not in seen:
            seen.add(pk)
            frontier.extend(reached.get(pk, []))
    return seen


def has_role_for(user, unit: AdministrativeUnit, roles: set[str]) -> bool:
    """Whether the user holds one of ``roles`` for ``unit`` or a unit above it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    above = set()
    current: AdministrativeUnit | None = unit
    while current is not None:
        above.add(current.pk)
        current = current.parent
    return user.assignments.filter(role__in=roles | {Role.ADMINISTRATOR},
                                   unit_id__in=above).exists()


class AccessLog(models.Model):
    """Who viewed or exported which personal data (a household, a list), and when; never the
    data itself. Kept in the database, for the administrators, not in the application logs."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    action = models.CharField(_("action"), max_length=6, choices=Action.choices,
                              default=Action.EXPORT)
    what = models.CharField(_("what"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"])]


def log_view(user, what: str, rows: int = 1) -> None:
    """Record that ``user`` saw the personal data of ``rows`` households (``what``)."""
    AccessLog.objects.create(user=user, action=AccessLog.Action.VIEW, what=what[:200],
                             rows=rows)


def editable_communes(user, on: dt.date | None = None) -> dict[str, AdministrativeUnit]:
    """GSO code → the commune the user may enter households for: the unit valid on ``on``
    (today), else the latest, since a code is reused across reorganisations."""
    on = on or dt.date.today()
    units = AdministrativeUnit.objects.filter(level="commune",
                                              pk__in=working_units(user, HOUSEHOLD_EDITORS))
    chosen: dict[str, AdministrativeUnit] = {}
    for unit in sorted(units, key=lambda u: (u.is_valid_on(on), u.valid_from or dt.date.min)):
        chosen[unit.code] = unit  # the best comes last
    return chosen


def navigation(request) -> dict[str, object]:
    """Template context: the menu the user's roles open (no link to a 403, no list of
    households to a role that reads figures only). A surveyor working in the field sees what
    they use there: households, a new one, requests, reviews."""
    from django.urls import reverse  # the URL configuration imports these models

    roles = roles_of(request.user)
    in_the_field = bool(roles) and roles <= {Role.SURVEYOR}
    can_edit = bool(roles & (HOUSEHOLD_EDITORS | {Role.ADMINISTRATOR}))
    entries = [("households:list", _("Households"))] if roles & READING_ROLES else []
    if can_edit:
        entries.append(("households:new", _("New household")))
    if in_the_field:
        entries += [("reviews:requests", _("Requests")), ("reviews:list", _("Reviews"))]
    else:
        entries += [("reviews:list", _("Reviews")), ("reports:dashboard", _("Dashboard")),
                    ("program:overview", _("Plan")), ("support:list", _("Support")),
                    ("analysis:index", _("Analysis"))]
        if roles & HOUSEHOLD_EDITORS:
            entries.append(("exchange:upload", _("Import")))
        if Role.ADMINISTRATOR in roles:
            entries.append(("households:reorganise", _("Reorganisation")))
    return {"can_edit": can_edit,
            "can_import": bool(roles & HOUSEHOLD_EDITORS) and not in_the_field,
            "can_export": bool(roles & EXPORTING_ROLES) or Role.ADMINISTRATOR in roles,
            "menu": [(reverse(name), label) for name, label in entries]}
