"""Household list and page: scoped to the user's units, ID numbers masked for most roles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render

from ..accounts.models import ROLES_SEEING_ID_NUMBERS, roles_of, visible_units
from ..reviews.models import ReviewEntry, Step
from ..units.models import AdministrativeUnit
from .models import Household

PAGE_SIZE = 50


def scoped_households(user):
    units = visible_units(user)
    return Household.objects.filter(Q(commune__in=units) | Q(hamlet__in=units))


def latest_status():
    """The classification of the household in its latest closed review."""
    entries = ReviewEntry.objects.filter(household=OuterRef("pk"), review__step=Step.CLOSED) \
        .order_by("-review__period_year", "-review__reference_date")
    return Subquery(entries.values("classification")[:1])


@login_required
def household_list(request):
    households = scoped_households(request.user).select_related("commune", "hamlet") \
        .annotate(current_status=latest_status())
    query = request.GET.get("q", "").strip()
    if query:
        households = households.filter(
            Q(code__icontains=query) | Q(members__full_name__icontains=query)
            | Q(members__id_number=query)).distinct()
    commune = request.GET.get("commune")
    if commune:
        households = households.filter(commune_id=commune)
    status = request.GET.get("status")
    if status:
        households = households.filter(current_status=status)
    page = Paginator(households.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    heads = {m.household_id: m for h in page for m in h.members.all() if m.relation == "head"}
    communes = AdministrativeUnit.objects.filter(
        level="commune", pk__in=visible_units(request.user)).order_by("code", "valid_from")
    return render(request, "households/list.html", {
        "page": page, "heads": heads, "query": query, "communes": communes,
        "commune": commune, "status": status,
        "show_id": bool(roles_of(request.user) & ROLES_SEEING_ID_NUMBERS),
    })


@login_required
def household_detail(request, code: str):
    household = scoped_households(request.user).filter(code=code) \
        .select_related("commune", "hamlet").first()
    if household is None:
        raise Http404
    on = _date(request.GET.get("on")) or dt.date.today()
    result = household.classify(on)
    entries = household.review_entries.filter(review__step=Step.CLOSED) \
        .select_related("review").order_by("-review__period_year")
    return render(request, "households/detail.html", {
        "household": household, "members": household.members.order_by("position"),
        "result": result, "on": on, "entries": entries,
        "history": household.history.select_related("history_user")[:20],
        "show_id": bool(roles_of(request.user) & ROLES_SEEING_ID_NUMBERS),
    })


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
