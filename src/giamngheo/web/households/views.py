"""Household list and page: scoped to the user's units, ID numbers masked for most roles."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...rules.parameters import default_registry
from ..accounts.models import HOUSEHOLD_EDITORS, May, log_view, visible_units
from ..accounts.privacy import disclosure, guard_id_numbers, is_id_number_query, logged_query
from ..reviews.models import Complaint, Review, Step
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
    """The households whose personal data the user may read: of the communes where a role
    allows it, and of hamlets allowed without their commune: no OR over both columns, so
    counts at national scale use one index. (A finance officer reads figures, not names.)"""
    units = AdministrativeUnit.objects.filter(pk__in=disclosure(user).units(May.READ)) \
        .values_list("pk", "level", "parent_id")
    communes = {pk for pk, level, _parent in units if level == "commune"}
    hamlets = {pk for pk, level, parent in units if level == "hamlet" and parent not in communes}
    scope = Q(commune__in=communes)
    if hamlets:
        scope |= Q(hamlet__in=hamlets)
    return Household.objects.filter(scope)


def search(households, query: str, user):
    """A 12-digit query is an ID number (exact), looked for only in the units where the user
    may see ID numbers (elsewhere a masked number beside a birth date would be guessed in a
    few thousand tries); anything else is looked for, without tone marks, in the household
    code and the members' names (``HouseholdQuerySet.matching``)."""
    if is_id_number_query(query):
        households = disclosure(user).households(households, May.SEE_ID_NUMBERS)
        return households.filter(pk__in=Member.objects.filter(
            id_number=query.replace(" ", "")).values("household_id"))
    return households.matching(query)


def _page(households, query: str, number: str | None, user):
    """One page of the list. A search reads its matches once, in order (up to MAX_MATCHES),
    instead of a count and then a page: two scans of the search index."""
    households = households.order_by("code")
    heads = Prefetch("members", Member.objects.filter(relation="head", left_on=None),
                     to_attr="heads")
    if not query:
        return Paginator(households.prefetch_related(heads), PAGE_SIZE).get_page(number), \
            False
    matches = list(search(households, query, user).values_list("pk", flat=True)
                   [:MAX_MATCHES + 1])
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
def home(request):
    """The households for the roles that read them; the dashboard for the others."""
    if disclosure(request.user).anywhere(May.READ):
        return redirect("households:list")
    return redirect("reports:dashboard")


@login_required
def household_list(request):
    households, filters = filtered_households(request)
    query, commune, status, indicator = (filters[k] for k in (
        "query", "commune", "status", "indicator"))
    indicators = national_indicators()
    page, truncated = _page(households, query, request.GET.get("page"), request.user)
    heads = {h.pk: h.heads[0] for h in page if h.heads}
    seen = disclosure(request.user)
    communes = AdministrativeUnit.objects.filter(
        level="commune", pk__in=seen.units(May.READ)).order_by("code", "valid_from")
    log_view(request.user, f"household list {logged_query(request.GET)}", rows=len(page))
    return render(request, "households/list.html", {
        "page": page, "heads": heads, "query": query, "communes": communes,
        "commune": commune, "status": status, "truncated": truncated,
        "indicators": indicators, "indicator": indicator,
        "max_matches": MAX_MATCHES, "reads": seen.anywhere(May.READ),
        "id_search_refused": is_id_number_query(query)
        and not seen.anywhere(May.SEE_ID_NUMBERS),
    })


@login_required
def commune_summary(request, pk: int):
    """A commune's households, persons, poor and near-poor by hamlet, as of the latest
    closed reviews."""
    commune = AdministrativeUnit.objects.filter(level="commune", pk=pk).first()
    if commune is None or commune.pk not in visible_units(request.user):
        raise Http404
    return render(request, "households/summary.html", {
        "commune": commune, "show_not_reviewed": True,
        "summary": Household.objects.filter(commune=commune).summary_by_hamlet(),
        "years": sorted(set(Household.objects.filter(commune=commune)
                            .exclude(status_year=None)
                            .values_list("status_year", flat=True).distinct()))})


@login_required
def household_detail(request, code: str):
    household = scoped_households(request.user).filter(code=code) \
        .select_related("commune", "hamlet").first()
    if household is None:
        raise Http404
    on = _date(request.GET.get("on")) or dt.date.today()
    log_view(request.user, f"household {household.code}")
    result = household.classify(on)
    entries = status_by_review(household)
    return render(request, "households/detail.html", {
        "household": household, "members": household.members.order_by("position"),
        "result": result, "on": on, "entries": entries,
        "history": household.history.select_related("history_user")[:20],
        "requests": household.requests.select_related("review__commune"),
        "complaints": Complaint.objects.filter(entry__household=household),
        "certificates": household.certificates.all(),
    })


def status_by_review(household: Household) -> list[tuple[Review, str, str]]:
    """(review, classification, group) for every closed review of the household's commune
    that decided it: by listing it, or, for an annual review, by not listing it (not poor)."""
    reviews = Review.objects.filter(commune=household.commune, step=Step.CLOSED) \
        .order_by("-reference_date", "-pk")
    listed = {e.review_id: e for e in household.review_entries.filter(review__in=reviews)}
    decided = []
    for review in reviews:
        entry = listed.get(review.pk)
        if entry is not None:
            decided.append((review, entry.classification, entry.poor_group))
        elif review.kind == Review.Kind.PERIODIC and \
                household.registered_on <= review.reference_date:
            decided.append((review, "not_poor", ""))
    return decided


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
    guard_id_numbers(members.forms, household is None
                     or disclosure(request.user).allows(May.SEE_ID_NUMBERS, household))
    if household is not None:
        log_view(request.user, f"household {household.code} (edit form)")
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
