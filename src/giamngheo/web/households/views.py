"""Household list and page: scoped to the user's units, ID numbers masked for most roles."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...figures import headcounts_by_hamlet
from ...rules.parameters import default_registry
from ...transitions import benefit_months, months_left
from ..accounts.models import (
    HOUSEHOLD_EDITORS,
    ROLES_SEEING_ID_NUMBERS,
    log_view,
    roles_of,
    visible_units,
)
from ..reviews.figures import figures_by_commune
from ..reviews.models import Complaint, Review, Step
from ..reviews.statuses import closed_periodic_reviews, escape_in, timeline
from ..units.models import AdministrativeUnit
from .forms import HouseholdForm, MemberFormSet
from .models import Household, Member, current_lang
from .templatetags.giamngheo import CLASSIFICATIONS

PAGE_SIZE = 50


MAX_MATCHES = 5000


def national_indicators() -> dict[str, str]:
    """code → label of the indicators of the national standards, newest first."""
    lang = current_lang()
    labels: dict[str, str] = {}
    for standard in sorted((s for s in default_registry() if s.kind == "national"),
                           key=lambda s: s.valid_from, reverse=True):
        for item in standard.indicators:
            labels.setdefault(item.code, item.label[lang])
    return labels


def scoped_households(user):
    """The households of the communes the user sees, and of hamlets seen without their
    commune: no OR over both columns, so counts at national scale use one index."""
    units = AdministrativeUnit.objects.filter(pk__in=visible_units(user)) \
        .values_list("pk", "level", "parent_id")
    communes = {pk for pk, level, _parent in units if level == "commune"}
    hamlets = {pk for pk, level, parent in units if level == "hamlet" and parent not in communes}
    scope = Q(commune__in=communes)
    if hamlets:
        scope |= Q(hamlet__in=hamlets)
    return Household.objects.filter(scope)


def search(households, query: str):
    """A 12-digit query is an ID number (exact); anything else is looked for, without tone
    marks, in the household code and the members' names (``HouseholdQuerySet.matching``)."""
    digits = query.replace(" ", "")
    if len(digits) == 12 and digits.isdigit():
        return households.filter(pk__in=Member.objects.filter(id_number=digits)
                                 .values("household_id"))
    return households.matching(query)


def _page(households, query: str, number: str | None):
    """One page of the list. A search reads its matches once, in order (up to MAX_MATCHES),
    instead of a count and then a page: two scans of the search index."""
    households = households.order_by("code")
    heads = Prefetch("members", Member.objects.filter(relation="head", left_on=None),
                     to_attr="heads")
    if not query:
        return Paginator(households.prefetch_related(heads), PAGE_SIZE).get_page(number), \
            False
    matches = list(search(households, query).values_list("pk", flat=True)[:MAX_MATCHES + 1])
    page = Paginator(matches[:MAX_MATCHES], PAGE_SIZE).get_page(number)
    rows = households.filter(pk__in=page.object_list).prefetch_related(heads)
    page.object_list = list(rows)
    return page, len(matches) > MAX_MATCHES


def filtered_households(request) -> tuple[object, dict[str, str]]:
    """The user's households under the list's filters (commune, status, indicator), and the
    filters as read."""
    households = scoped_households(request.user).select_related("commune", "hamlet")
    commune = request.GET.get("commune", "")
    commune = commune if commune.isdigit() else ""
    if commune:
        households = households.filter(commune_id=commune)
    status = request.GET.get("status", "")
    status = status if status in CLASSIFICATIONS else ""
    if status:
        households = households.filter(current_status=status)
    indicator = request.GET.get("indicator", "")
    if indicator in national_indicators():
        households = households.filter(current_deprivations__contains=f" {indicator} ")
    return households, {"commune": commune, "status": status, "indicator": indicator,
                        "query": request.GET.get("q", "").strip()}


@login_required
def household_list(request):
    households, filters = filtered_households(request)
    query, commune, status, indicator = (filters[k] for k in (
        "query", "commune", "status", "indicator"))
    indicators = national_indicators()
    page, truncated = _page(households, query, request.GET.get("page"))
    heads = {h.pk: h.heads[0] for h in page if h.heads}
    communes = AdministrativeUnit.objects.filter(
        level="commune", pk__in=visible_units(request.user)).order_by("code", "valid_from")
    log_view(request.user, f"household list {request.GET.urlencode()}", rows=len(page))
    return render(request, "households/list.html", {
        "page": page, "heads": heads, "query": query, "communes": communes,
        "commune": commune, "status": status, "truncated": truncated,
        "indicators": indicators, "indicator": indicator,
        "max_matches": MAX_MATCHES,
        "show_id": bool(roles_of(request.user) & ROLES_SEEING_ID_NUMBERS),
    })


@login_required
def commune_summary(request, pk: int):
    """A commune's households, persons, poor and near-poor by hamlet for the lists of a year
    (the latest by default): the figures every page and file shows; then what changed since
    in the registry and by monthly reviews, counted, never a second rate."""
    commune = AdministrativeUnit.objects.filter(level="commune", pk=pk).first()
    if commune is None or commune.pk not in visible_units(request.user):
        raise Http404
    reviews = {r.period_year: r for r in closed_periodic_reviews(commune)}
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in reviews else max(reviews, default=None)
    review = reviews.get(year)
    figures = figures_by_commune([commune], year).get(commune.pk) if review else None
    since = {}
    if review is not None:
        living = Household.objects.filter(commune=commune)
        on = review.lists_date
        since = {
            "joined": living.filter(registered_on__gt=on).count(),
            "left": living.filter(left_on__gt=on).count(),
            "monthly": Review.objects.filter(commune=commune, kind=Review.Kind.REGULAR,
                                             step=Step.CLOSED, decision__signed_on__gt=on)
            .aggregate(n=Count("entries", filter=Q(entries__withdrawn_because="")))["n"],
        }
    return render(request, "households/summary.html", {
        "commune": commune, "review": review, "year": year, "years": sorted(reviews),
        "summary": headcounts_by_hamlet(figures) if figures else [], "since": since})


@login_required
def household_detail(request, code: str):
    household = scoped_households(request.user).filter(code=code) \
        .select_related("commune", "hamlet").first()
    if household is None:
        raise Http404
    on = _date(request.GET.get("on")) or dt.date.today()
    log_view(request.user, f"household {household.code}")
    result = household.classify(on)
    decided = timeline(household)
    escaped = escape_in(decided)
    windows = [(name, months_left(escaped.lists_date, dt.date.today(), name))
               for name in benefit_months()] if escaped else []
    return render(request, "households/detail.html", {
        "household": household, "members": household.members.order_by("position"),
        "result": result, "on": on, "entries": decided,
        "escaped": escaped, "windows": windows,
        "history": household.history.select_related("history_user")[:20],
        "requests": household.requests.select_related("review__commune"),
        "complaints": Complaint.objects.filter(entry__household=household),
        "certificates": household.certificates.select_related("review__decision"),
        "show_id": bool(roles_of(request.user) & ROLES_SEEING_ID_NUMBERS),
    })


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None



@login_required
def household_edit(request, code: str | None = None):
    """Enter or correct a household and its members; the second of two officers saving the
    same household is told and shown what the first changed."""
    household = None
    if code is not None:
        household = scoped_households(request.user).filter(code=code).first()
        if household is None:
            raise Http404
    communes = AdministrativeUnit.objects.filter(
        level="commune", pk__in=visible_units(request.user, HOUSEHOLD_EDITORS))
    if not communes.exists() or (household and household.commune not in communes):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None, instance=household, communes=communes)
    members = MemberFormSet(request.POST or None, instance=household or Household())
    conflict = None
    if request.method == "POST" and form.is_valid() and members.is_valid():
        conflict = _save(form, members, household)
        if conflict is None:
            messages.success(request, _("Saved."))
            return redirect("households:detail", form.instance.code)
    return render(request, "households/edit.html", {
        "form": form, "members": members, "household": household, "conflict": conflict})


@transaction.atomic
def _save(form, members, household) -> list[tuple[str, object, object]] | None:
    """Save, unless someone saved the household after this form was opened: then the list of
    (field, value now stored, value in this form) and nothing is saved."""
    if household is not None:
        posted = form.cleaned_data.get("version")
        current = Household.objects.select_for_update().get(pk=household.pk)
        if posted != current.version:
            return [(form.fields[name].label, getattr(current, name), value)
                    for name, value in form.cleaned_data.items()
                    if name in form.fields and name != "version"
                    and hasattr(current, name) and getattr(current, name) != value]
        form.instance.version = current.version + 1
    saved = form.save()
    members.instance = saved
    members.save()
    return None
