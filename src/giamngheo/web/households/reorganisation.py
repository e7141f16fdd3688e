"""A reorganisation of the administrative units applied to the registry.

A change set (the bundled Tân Phú file with its 2024-11 and 2025-07 changes, or a province's
file in the same format) is loaded as units and successions (``units.loading``); then every
household still living in a commune that has ended moves, with its members, its open requests
and its support (which belong to the household), to the successor commune and the successor
hamlet, one ``Relocation`` and one history entry per change it went through. What a unit did
stays with it: closed reviews, their decisions and certificates keep the commune that made
them (``in_commune_on`` finds the households they decided). Users' assignments on ended units
are shown to the administrator, who decides. A dry run does all of it and rolls it back, so
what it shows is exactly what applying does; applying twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from ..accounts.models import Assignment
from ..reviews.models import Request, Review, Step
from ..support.models import Support
from ..units.loading import load_units
from ..units.models import AdministrativeUnit as Unit
from .models import Household, Member, Relocation

_NUMBERED = re.compile(r"^(?P<stem>.*?)\s*(?P<number>\d+)$")
# the words a hamlet's number follows when the hamlet has no name of its own
_GENERIC_STEMS = {"", "ấp", "thôn", "xóm", "bản", "buôn", "làng", "khóm", "tổ", "khu phố",
                  "tổ dân phố"}


@dataclass
class Flow:
    """The households one commune gives to its successor on one date."""

    effective: dt.date
    instrument: str
    source: Unit
    target: Unit
    households: int = 0
    members: int = 0
    open_requests: int = 0
    support: int = 0
    without_hamlet: int = 0  # no hamlet recorded before the move either
    hamlets_created: int = 0  # hamlets made for this flow (no successor of that name)


@dataclass
class NewHamlet:
    """A hamlet the change set's lists do not name, created to continue an old one."""

    hamlet: Unit
    continues: Unit
    old_commune: Unit


@dataclass
class Plan:
    """What applying a change set does (or did)."""

    units_created: int = 0
    flows: list[Flow] = field(default_factory=list)
    staying: list[tuple[Unit, int]] = field(default_factory=list)  # left before the change
    closed_reviews: list[tuple[Unit, int]] = field(default_factory=list)
    open_reviews: list[Review] = field(default_factory=list)
    assignments: list[tuple[Assignment, Unit | None]] = field(default_factory=list)
    hamlets_created: list[NewHamlet] = field(default_factory=list)
    hamlets_ended: int = 0  # hamlets of ended communes, ended with them
    applied: bool = False

    @property
    def households(self) -> int:
        """Households moved (one moved twice, 2024 then 2025, counts once per change)."""
        return sum(f.households for f in self.flows)


def _successor_names(hamlet: Unit, old: Unit, new: Unit) -> list[str]:
    """The names the hamlet ``hamlet`` of ``old`` goes by in ``new``, the one to create
    first: the same name where the commune kept its name (Ấp 3 of Tà Lài is Ấp 3 of the new
    Tà Lài); a numbered hamlet of a commune that lost its name takes the old commune's name
    and its number (Ấp 3 of Phú Lập is Phú Lập 3, as the 2025 lists of hamlets name them); a
    hamlet with a name of its own keeps it (Phú Trung 3 stays Phú Trung 3 in Phú Lâm, so two
    hamlets never become one)."""
    if old.place_name == new.place_name:
        return [hamlet.name]
    match = _NUMBERED.match(hamlet.name)
    if match and match["stem"].casefold() in _GENERIC_STEMS:
        return [f"{old.place_name} {int(match['number'])}"]
    return [hamlet.name, f"{old.place_name} {hamlet.name}"]


def successor_hamlet(hamlet: Unit | None, old: Unit, new: Unit, on: dt.date) -> Unit | None:
    """The hamlet of ``new`` in force on ``on`` that continues ``hamlet`` of ``old``; None
    when the new commune has none of its names (``_move_commune`` then creates it)."""
    if hamlet is None:
        return None
    hamlets = {h.name: h for h in Unit.objects.filter(parent=new, level="hamlet").valid_on(on)}
    return next((hamlets[name] for name in _successor_names(hamlet, old, new)
                 if name in hamlets), None)


def _create_hamlet(plan: Plan, hamlet: Unit, old: Unit, new: Unit, on: dt.date) -> Unit:
    """A hamlet of ``new`` continuing ``hamlet`` of ``old`` where the lists of hamlets of the
    change set name none (Phú Lâm's are not published): no household ends without a hamlet.
    It is in force while its commune is; its code follows the commune's last hamlet code."""
    taken = [int(code.rsplit("-", 1)[1]) for code in Unit.objects.filter(
        level="hamlet", code__regex=rf"^{re.escape(new.code)}-[0-9]+$").values_list(
        "code", flat=True)]
    created = Unit.objects.create(
        code=f"{new.code}-{max(taken, default=0) + 1:02d}",
        name=_successor_names(hamlet, old, new)[0], kind=hamlet.kind, level="hamlet",
        parent=new, valid_from=on, valid_until=new.valid_until)
    plan.hamlets_created.append(NewHamlet(created, hamlet, old))
    return created


def _successor(commune: Unit) -> Unit | None:
    step = commune.successions.select_related("successor").order_by("effective").first()
    return step.successor if step else None


def _living_on(commune: Unit, day: dt.date):
    return Household.objects.filter(commune=commune).filter(Q(left_on=None) | Q(left_on__gte=day))


def _move(plan: Plan, today: dt.date, user) -> None:
    """Move every household living in an ended commune, one change at a time, oldest first
    (Phú Sơn → Phú Sơn of 1/11/2024 → Phú Lâm of 1/7/2025), until each is in a commune
    valid ``today``."""
    while True:
        pending = [c for c in Unit.objects.filter(level="commune", valid_until__lt=today)
                   .order_by("valid_until", "code")
                   if _successor(c) is not None
                   and _living_on(c, c.valid_until + dt.timedelta(days=1)).exists()]
        if not pending:
            return
        for commune in pending:
            if commune.valid_until == pending[0].valid_until:
                _move_commune(plan, commune, user)


def _move_commune(plan: Plan, commune: Unit, user) -> None:
    effective = commune.valid_until + dt.timedelta(days=1)
    succession = commune.successions.select_related("successor").order_by("effective").first()
    target = succession.successor
    households = list(_living_on(commune, effective).select_related("hamlet"))
    staying = Household.objects.filter(commune=commune, left_on__lt=effective).count()
    if staying:
        plan.staying.append((commune, staying))
    flow = Flow(effective, succession.instrument, commune, target, households=len(households))
    ids = [h.pk for h in households]
    flow.members = Member.objects.filter(household_id__in=ids).count()
    flow.open_requests = Request.objects.filter(household_id__in=ids, review=None).count()
    flow.support = Support.objects.filter(household_id__in=ids).count()
    hamlets: dict[int | None, Unit | None] = {}
    relocations = []
    for household in households:
        if household.hamlet_id not in hamlets:
            new_hamlet = successor_hamlet(household.hamlet, commune, target, effective)
            if new_hamlet is None and household.hamlet is not None:
                new_hamlet = _create_hamlet(plan, household.hamlet, commune, target, effective)
                flow.hamlets_created += 1
            hamlets[household.hamlet_id] = new_hamlet
        new_hamlet = hamlets[household.hamlet_id]
        flow.without_hamlet += new_hamlet is None
        relocations.append(Relocation(
            household=household, effective=effective, from_commune=commune,
            from_hamlet=household.hamlet, to_commune=target, to_hamlet=new_hamlet,
            instrument=succession.instrument, applied_by=user))
        household.commune, household.hamlet = target, new_hamlet
        household.area = target.area_type
        household.version += 1
    Relocation.objects.bulk_create(relocations, batch_size=1000)
    # two communes of the same name (old Tà Lài and today's) read apart by their codes
    change = f"{commune.name} → {target.name}" if commune.name != target.name \
        else f"{commune.name} ({commune.code} → {target.code})"
    reason = _("reorganisation %(instrument)s of %(day)s: %(change)s") % {
        "instrument": succession.instrument or "", "day": f"{effective:%d/%m/%Y}",
        "change": change}
    bulk_update_with_history(households, Household, ["commune", "hamlet", "area", "version"],
                             batch_size=1000, default_user=user,
                             default_change_reason=reason[:100])
    plan.flows.append(flow)


def _end_hamlets(plan: Plan, today: dt.date) -> None:
    """A hamlet ends with its commune: the hamlets of a commune that has ended are not
    offered today (their households moved to the successor's hamlets)."""
    for commune in Unit.objects.filter(level="commune", valid_until__lt=today):
        plan.hamlets_ended += Unit.objects.filter(
            parent=commune, level="hamlet").filter(
            Q(valid_from=None) | Q(valid_from__lte=commune.valid_until),
            Q(valid_until=None) | Q(valid_until__gt=commune.valid_until)).update(
            valid_until=commune.valid_until)


def _report_what_stays(plan: Plan, today: dt.date) -> None:
    ended = Unit.objects.filter(valid_until__lt=today)
    counts = Counter(dict(Review.objects.filter(commune__in=ended, step=Step.CLOSED)
                          .values("commune").annotate(n=Count("pk")).values_list("commune", "n")))
    units = Unit.objects.in_bulk(counts.keys())
    plan.closed_reviews = sorted(((units[pk], n) for pk, n in counts.items()),
                                 key=lambda pair: pair[0].code)
    plan.open_reviews = list(Review.objects.filter(commune__in=ended).exclude(
        step=Step.CLOSED).select_related("commune"))
    plan.assignments = [(a, a.unit.successor_on(today)) for a in Assignment.objects.filter(
        unit__in=ended).select_related("user", "unit").order_by("unit__code", "user__username")]


def apply_change_set(data: dict[str, Any], user=None, dry_run: bool = False,
                     today: dt.date | None = None) -> Plan:
    """Load the change set's units and move the registry's households onto the units valid
    ``today``; with ``dry_run`` nothing is kept. All or nothing."""
    today = today or timezone.localdate()
    plan = Plan()
    with transaction.atomic():
        plan.units_created = load_units(data)
        _move(plan, today, user)
        _end_hamlets(plan, today)
        _report_what_stays(plan, today)
        plan.applied = not dry_run
        if dry_run:
            transaction.set_rollback(True)
    return plan


def flagged_assignments(today: dt.date | None = None) -> list[tuple[Assignment, Unit | None]]:
    """Assignments on units that have ended, with the unit that succeeded each (for the
    administrator to move or end)."""
    plan = Plan()
    _report_what_stays(plan, today or timezone.localdate())
    return plan.assignments
