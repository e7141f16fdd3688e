"""Roles of docs/review-procedure.md ("Who takes part"), each given to a user for an
administrative unit.

What a user may see is the units of their assignments, every unit below them and the units
their territory was formed from (read only); what a user may act on is the units of their
assignments and every unit below them. Queries of personal data go through ``visible_units``,
actions through ``working_units`` and ``has_role_for``.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db import connections, models, router
from django.utils.functional import SimpleLazyObject
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


def request_cache(user) -> dict:
    """What is worked out once per request about a user, kept on the user object (which lives
    as long as the request). ``request.user`` is a lazy wrapper whose own attributes are not
    the user's: the cache is on the user inside it, where every call of the request finds it."""
    return vars(getattr(user, "_wrapped", user)).setdefault("_request_cache", {})


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {Role.ADMINISTRATOR}
    cache = request_cache(user)
    if "roles" not in cache:
        cache["roles"] = frozenset(role for _pk, _level, _parent, role, history
                                   in _assigned_rows(user) if history is None)
    return set(cache["roles"])


def visible_units(user, roles: set[str] | None = None) -> set[int]:
    """Ids of the units a user may *read* (with ``roles``: read in one of those roles): those
    assigned and all below them, in every period, and the history of their territory: the
    units it was formed from, through any chain of reorganisations, with all below them. An
    officer of today's Xã Tà Lài reads the closed reviews, decisions and certificates of old
    Tà Lài, Phú Lập and Phú Thịnh; acting on them stays with ``has_role_for`` and
    ``working_units``, which never reach into the history, so that history is read only.
    Worked out once per request and set of roles (the user object lives as long as the
    request)."""
    return set(visible_unit_rows(user, roles))


def working_units(user, roles: set[str] | None = None) -> set[int]:
    """Ids of the units a user may *act* on (with ``roles``: in one of those roles): those
    assigned and all below them; never the history of their territory."""
    return set(_unit_rows(user, roles, history=False))


def visible_unit_rows(user, roles: set[str] | None = None) -> dict[int, tuple[str, int | None]]:
    """id → (level, parent id) of the units of ``visible_units``."""
    return _unit_rows(user, roles, history=True)


def _unit_rows(user, roles: set[str] | None,
               history: bool) -> dict[int, tuple[str, int | None]]:
    if not user.is_authenticated:
        return {}
    cache = request_cache(user).setdefault("visible_units", {})
    key = (frozenset(roles) if roles is not None else None, history)
    if key not in cache:
        if user.is_superuser or Role.ADMINISTRATOR in roles_of(user):
            units = AdministrativeUnit.objects.values_list("pk", "level", "parent_id")
            cache[key] = {pk: (level, parent) for pk, level, parent in units.order_by()}
        else:
            cache[key] = {pk: (level, parent) for pk, level, parent, role, through_history
                          in _assigned_rows(user) if (roles is None or role in roles)
                          and (history or not through_history)}
    return cache[key]


def _assigned_rows(user) -> list[tuple[int, str, int | None, str, bool | None]]:
    """(unit id, level, parent id, role, reached through the history) of every unit below or
    before a unit the user is assigned to, for each role; the assigned units themselves also
    once with None (their roles): one query per request for every question about the user's
    units and roles."""
    cache = request_cache(user)
    if "assigned" in cache:
        return cache["assigned"]
    # the assigned units and, step by step, the units below them and the units their
    # territory was formed from (marked: reading only): one query, rows, not model objects
    database = router.db_for_read(AdministrativeUnit)
    assigned, parameters = Assignment.objects.filter(user=user).values("unit_id", "role") \
        .query.get_compiler(database).as_sql()
    table = AdministrativeUnit._meta.db_table
    with connections[database].cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE link(source, target, history) AS ("
            f"SELECT parent_id, id, FALSE FROM {table} UNION ALL "
            f"SELECT successor_id, predecessor_id, TRUE FROM {Succession._meta.db_table}), "
            f"mine(unit_id, role) AS ({assigned}), "
            f"seen(id, role, history) AS (SELECT unit_id, role, FALSE FROM mine UNION "
            f"SELECT link.target, seen.role, seen.history OR link.history FROM link "
            f"JOIN seen ON link.source = seen.id) "
            f"SELECT unit.id, unit.level, unit.parent_id, seen.role, seen.history "
            f"FROM {table} unit JOIN seen USING (id) UNION ALL "
            f"SELECT unit.id, unit.level, unit.parent_id, mine.role, NULL "
            f"FROM {table} unit JOIN mine ON mine.unit_id = unit.id", parameters)
        cache["assigned"] = [(pk, level, parent, role, None if history is None
                              else bool(history))
                             for pk, level, parent, role, history in cursor.fetchall()]
    return cache["assigned"]


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
    """Template context: what the user's roles open on a page (a new household, an export, an
    import), worked out when a template asks (an error page asks nothing). The menu is the
    page header's (``accounts/templatetags/header.py``)."""
    # a request refused before the authentication middleware (the 400 page of an unknown
    # host) has no user: the roles of nobody
    @functools.cache
    def roles() -> frozenset[str]:
        return frozenset(roles_of(request.user) if hasattr(request, "user") else ())

    return {"can_edit": SimpleLazyObject(lambda: bool(roles() & EDITING_ROLES)),
            "can_import": SimpleLazyObject(lambda: bool(roles() & HOUSEHOLD_EDITORS)
                                           and not _in_the_field(roles())),
            "can_export": SimpleLazyObject(lambda: bool(roles() & EXPORTING_ROLES)
                                           or Role.ADMINISTRATOR in roles())}


EDITING_ROLES = HOUSEHOLD_EDITORS | {Role.ADMINISTRATOR}


def _in_the_field(roles: frozenset[str]) -> bool:
    return bool(roles) and roles <= {Role.SURVEYOR}


def menu(roles: frozenset[str]) -> list[tuple[str, str]]:
    """(URL name, label) of the pages the roles open (no link to a 403, no list of households
    to a role that reads figures only). A surveyor working in the field sees what they use
    there: households, a new one, requests, reviews."""
    entries = [("households:list", _("Households"))] if roles & READING_ROLES else []
    if roles & EDITING_ROLES:
        entries.append(("households:new", _("New household")))
    if _in_the_field(roles):
        entries += [("reviews:requests", _("Requests")), ("reviews:list", _("Reviews"))]
    else:
        entries += [("reviews:list", _("Reviews")), ("reports:dashboard", _("Dashboard")),
                    ("program:overview", _("Plan")), ("support:list", _("Support")),
                    ("analysis:index", _("Analysis"))]
        if roles & HOUSEHOLD_EDITORS:
            entries.append(("exchange:upload", _("Import")))
        if Role.ADMINISTRATOR in roles:
            entries.append(("households:reorganise", _("Reorganisation")))
    return entries
