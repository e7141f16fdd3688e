"""Household list and page: scoped to the user's units, ID numbers masked for most roles."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, router, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...figures import headcounts_by_hamlet
from ...rules.parameters import default_registry
from ...transitions import benefit_months, months_left
from ..accounts.models import (
    HOUSEHOLD_EDITORS,
    May,
    log_view,
    roles_that,
    visible_unit_rows,
    visible_units,
    working_units,
)
from ..accounts.privacy import disclosure, guard_id_numbers, is_id_number_query, logged_query
from ..reviews.figures import figures_by_commune
from ..reviews.models import Complaint, Review, Step
from ..reviews.questions import asked_fields
from ..reviews.statuses import closed_periodic_reviews, escape_in, timeline
from ..scope import shows_history
from ..units.models import AdministrativeUnit
from .forms import HouseholdForm, MemberFormSet, check_record, problems_in_words
from .fragments import commune_options, list_rows
from .history import household_history, shown_change
from .models import Household, Member, current_lang, next_code
from .templatetags.giamngheo import CLASSIFICATIONS

PAGE_SIZE = 50


MAX_MATCHES = 5000
# A scope of up to this many communes (or hamlets) is searched row by row from the commune
# index: the full-text index would first intersect the country's lists of the common words
# (Nguyễn, Văn, Thị), several times the work of reading a few communes.
FEW_UNITS = 5


def national_indicators() -> dict[str, str]:
    """code → label of the indicators of the national standards, newest first."""
    lang = current_lang()
    labels: dict[str, str] = {}
    for standard in sorted((s for s in default_registry() if s.kind == "national"),
                           key=lambda s: s.valid_from, reverse=True):
        for item in standard.indicators:
            labels.setdefault(item.code, item.label[lang])
    return labels


def read_scope(user) -> tuple[set[int], set[int]]:
    """(communes, hamlets outside them) whose households' personal data the user may read."""
    units = visible_unit_rows(user, roles_that(May.READ)).items()
    communes = {pk for pk, (level, _parent) in units if level == "commune"}
    hamlets = {pk for pk, (level, parent) in units if level == "hamlet" and parent not in communes}
    return communes, hamlets


def scoped_households(user):
    """The households whose personal data the user may read: of the communes where a role
    allows it, and of hamlets allowed without their commune: no OR over both columns, so
    counts at national scale use one index. (A finance officer reads figures, not names.)"""
    communes, hamlets = read_scope(user)
    scope = Q(commune__in=communes)
    if hamlets:
        scope |= Q(hamlet__in=hamlets)
    return Household.objects.filter(scope)


def search(households, query: str, user):
    """A 12-digit query is an ID number (exact), looked for only in the units where the user
    may see ID numbers (elsewhere a masked number beside a birth date would be guessed in a
    few thousand tries); anything else is looked for, without tone marks, in the household
    code and the members' names (``HouseholdQuerySet.matching``): through the full-text index
    for a scope larger than a few communes."""
    if is_id_number_query(query):
        households = disclosure(user).households(households, May.SEE_ID_NUMBERS)
        return households.filter(pk__in=Member.objects.filter(
            id_number=query.replace(" ", "")).values("household_id"))
    return households.matching(query, whole_country=sum(map(len, read_scope(user)))
                               > FEW_UNITS)


LISTED = ("code", "commune", "hamlet", "current_status", "commune__name", "hamlet__name")


def _page(households, query: str, number: str | None, user):
    """One page of the list. A search reads its matches once, in order (up to MAX_MATCHES),
    instead of a count and then a page: two scans of the search index."""
    # the columns the list shows: a row is a tenth of a whole household and its units
    households = households.order_by("code").only(*LISTED)
    # each household's heads in their order (by position), without joining the households
    # again to order them as the households are (prefetching groups them by household)
    heads = Prefetch("members", Member.objects.filter(relation="head", left_on=None)
                     .only("household_id", "full_name", "id_number")
                     .order_by("position", "pk"), to_attr="heads")
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
        level="commune", pk__in=seen.units(May.READ)).order_by("code", "valid_from") \
        .only("name", "valid_from", "valid_until")  # what the filter shows
    if not shows_history(request):
        communes = communes.filter(Q(pk__in=AdministrativeUnit.objects.valid_on(
            dt.date.today()).values("pk")) | Q(pk=int(commune) if commune.isdigit() else 0))
    log_view(request.user, f"household list {logged_query(request.GET)}", rows=len(page))
    return render(request, "households/list.html", {
        "page": page, "rows": list_rows(page, heads, seen), "query": query,
        "commune_options": commune_options(communes, commune),
        "commune": commune, "status": status, "truncated": truncated,
        "indicators": indicators, "indicator": indicator,
        "max_matches": MAX_MATCHES, "reads": seen.anywhere(May.READ),
        "id_search_refused": is_id_number_query(query)
        and not seen.anywhere(May.SEE_ID_NUMBERS),
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


@functools.cache
def _kept_lists() -> dict[str, tuple[QuerySet, str]]:
    """What the household's page lists beside its data, by name: every household's rows in
    their order (joined with what they show) and the path from a row to its household."""
    def rows(name: str) -> QuerySet:  # a reverse relation's model (support imports this module)
        return Household._meta.get_field(name).related_model._default_manager.all()
    return {
        "requests": (rows("requests").select_related("review__commune"), "household"),
        "complaints": (Complaint.objects.all(), "entry__household"),
        "certificates": (rows("certificates").select_related("review__decision"), "household"),
        "support": (rows("support").select_related("member"), "household"),
        "participations": (rows("participations").select_related("model"), "household"),
    }


def _has_any() -> dict[str, Exists]:
    """has_<list>: whether a household has rows in each of ``_kept_lists`` (most have none),
    asked in the household's own query."""
    return {f"has_{name}": Exists(rows.filter(**{path: OuterRef("pk")}))
            for name, (rows, path) in _kept_lists().items()}


class _Written(RawSQL):
    """An expression's SQL as Django wrote it (without the parentheses of ``RawSQL``)."""

    def as_sql(self, compiler, connection):
        return self.sql, self.params


@functools.cache
def _has_any_written(database: str) -> dict[str, RawSQL]:
    """``_has_any`` as the SQL Django writes for it in a household's own query (the household
    table by its name), written once per database: building and compiling five subqueries
    cost more than the rest of the page's query, and as much on a code that is not found."""
    query = Household.objects.all().query
    compiler = query.get_compiler(database)
    written = {}
    for name, exists in _has_any().items():
        sql, params = exists.resolve_expression(query).as_sql(compiler, connections[database])
        written[name] = _Written(sql, tuple(params), output_field=BooleanField())
    return written


def _kept_on(household) -> dict[str, object]:
    """The household's rows of each of ``_kept_lists``, read only when it has some."""
    return {name: rows.filter(**{path: household}) if getattr(household, f"has_{name}") else []
            for name, (rows, path) in _kept_lists().items()}


@login_required
def household_detail(request, code: str):
    # the commune's parent with it: the record names the province (``province_code``); one
    # household by its (unique) code, unordered (ordering it cost a tenth of a 404)
    try:
        household = scoped_households(request.user).filter(code=code) \
            .select_related("commune__parent", "hamlet").prefetch_related("members") \
            .annotate(**_has_any_written(router.db_for_read(Household))).get()
    except Household.DoesNotExist:
        raise Http404 from None
    on = _date(request.GET.get("on")) or dt.date.today()
    log_view(request.user, f"household {household.code}")
    result = household.classify(on)
    if result.get("errors"):
        result["errors"] = problems_in_words(household, on)
    decided = timeline(household)
    escaped = escape_in(decided)
    windows = [(name, months_left(escaped.lists_date, dt.date.today(), name))
               for name in benefit_months()] if escaped else []
    show_id = disclosure(request.user).allows(May.SEE_ID_NUMBERS, household)
    return render(request, "households/detail.html", {
        "household": household, "members": household.members.all(),  # in their order
        "result": result, "on": on, "entries": decided,
        "escaped": escaped, "windows": windows,
        "history": household_history(household, show_id),
        **_kept_on(household),
    })


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None



@login_required
def household_edit(request, code: str | None = None):
    """Enter or correct a household and its members on one page. A member is added by a
    button (a script adds the form in place; without it the page comes back with one more
    empty member, everything typed kept); the record is checked by the core's validation
    with each problem beside its field and listed at the top; posting back unchanged saves
    nothing; the second of two officers saving the same household is told and shown what
    the first changed."""
    household = None
    if code is not None:
        household = scoped_households(request.user).filter(code=code) \
            .select_related("commune__parent").first()  # its province's code is asked
        if household is None:
            raise Http404
    editable = working_units(request.user, HOUSEHOLD_EDITORS)
    if household is not None and household.commune_id not in editable:
        raise PermissionDenied
    communes = AdministrativeUnit.objects.filter(level="commune", pk__in=editable) \
        .order_by("-valid_until", "name")
    data = request.POST.copy() if request.method == "POST" else None
    adding = data is not None and "add_member" in data
    if adding:  # one more empty member form, nothing checked or saved yet
        total = data.get("members-TOTAL_FORMS", "")
        data["members-TOTAL_FORMS"] = str(int(total) + 1) if total.isdigit() else total
    # a new household lives in a commune in force today; one on record keeps its own
    offered = communes.filter(Q(pk__in=AdministrativeUnit.objects.valid_on(
        dt.date.today()).values("pk")) | Q(pk=household.commune_id if household else 0))
    if household is None and not offered.exists():  # none, or only ended communes: no
        raise PermissionDenied  # new household can live there (one on record keeps its own)
    asked = asked_fields([household.commune] if household else offered, dt.date.today())
    form = HouseholdForm(data, instance=household, communes=offered, asked=asked,
                         initial=None if household else _new_household_initial(offered))
    members = MemberFormSet(data, instance=household or Household())
    if household is None and data is None:
        members.extra = 1
    guard_id_numbers(members.forms, household is None
                     or disclosure(request.user).allows(May.SEE_ID_NUMBERS, household))
    if household is not None:
        log_view(request.user, f"household {household.code} (edit form)")
    conflict = None
    if data is not None and not adding:
        valid = form.is_valid() & members.is_valid()  # both, to show every problem
        if valid or not form.errors.get("commune"):
            check_record(form, members, dt.date.today())
        if valid and not form.errors and not any(f.errors for f in members.forms):
            conflict, changed = _save(form, members, household)
            if conflict is None:
                messages.success(request, _("Saved.") if changed else
                                 _("Nothing was changed; nothing was saved."))
                return redirect("households:detail", form.instance.code)
    elif adding:  # not checked yet: no error shown while the officer is still typing
        for bound in [form, *members.forms]:
            bound._errors, bound.cleaned_data = ErrorDict(), {}
        members._errors, members._non_form_errors = [], members.error_class()
        if members.forms:  # the page comes back at the new member's name
            members.forms[-1].fields["full_name"].widget.attrs["autofocus"] = True
    return render(request, "households/edit.html", {
        "form": form, "members": members, "household": household, "conflict": conflict,
        "errors": [] if adding else error_summary(form, members),
        "codes": {c.pk: [next_code(c), c.area_type] for c in offered[:MAX_PROPOSALS]}
        if household is None else {}})


def _new_household_initial(communes) -> dict[str, object]:
    """A new household is proposed in the first commune offered (in force today), with the
    next code of that commune."""
    commune = communes.first()
    return {"commune": commune, "code": next_code(commune), "area": commune.area_type}


def error_summary(form, members) -> list[tuple[str, str, str]]:
    """(where, message, anchor of the field) of every problem on the page, in its order."""
    summary = [("", str(e), "") for e in form.non_field_errors()]
    summary += [(str(form[name].label), str(e), form[name].auto_id)
                for name in form.fields for e in form.errors.get(name, [])]
    for number, member in enumerate(members.forms, start=1):
        who = _("Member %(number)s") % {"number": number}
        summary += [(who, str(e), member["full_name"].auto_id)
                    for e in member.non_field_errors()]
        summary += [(f"{who} — {member[name].label}", str(e), member[name].auto_id)
                    for name in member.fields for e in member.errors.get(name, [])]
    summary += [("", str(e), "") for e in members.non_form_errors()]
    return summary


MAX_PROPOSALS = 30  # codes proposed ahead for the communes an officer may choose

HOUSEHOLD_SAVED = [f.attname for f in Household._meta.concrete_fields]
MEMBER_SAVED = [f.attname for f in Member._meta.concrete_fields]


def _values(instance, names) -> dict[str, object]:
    return {name: getattr(instance, name) for name in names}


@transaction.atomic
def _save(form, members, household) -> tuple[list[tuple[str, object, object]] | None, bool]:
    """Save what changed, unless someone saved the household after this form was opened:
    then (field, value now stored, value in this form) and nothing is saved. Returns that
    conflict (or None) and whether anything changed; an untouched form saves nothing (no
    new version, no history)."""
    new = form.instance
    if household is not None:
        posted = form.cleaned_data.get("version")
        current = Household.objects.select_for_update().get(pk=household.pk)
        if posted != current.version:
            units: dict[int, AdministrativeUnit] = {}
            return [(form.fields[name].label, *shown_change(
                        Household._meta.get_field(name),
                        *(getattr(v, "pk", v) for v in (getattr(current, name), value)),
                        units, True))
                    for name, value in form.cleaned_data.items()
                    if name in form.fields and name != "version"
                    and hasattr(current, name) and getattr(current, name) != value], False
        stored_members = list(current.members.all())  # in their order
        stored = {m.pk: _values(m, MEMBER_SAVED) for m in stored_members}
        entered = members.entered()
        changed_members = [f.instance for f in entered if f.instance.pk is None
                           or _values(f.instance, MEMBER_SAVED) != stored[f.instance.pk]]
        household_changed = _values(new, HOUSEHOLD_SAVED) != _values(current, HOUSEHOLD_SAVED)
        if not household_changed and not changed_members:
            return None, False
        new.version = current.version + 1
        if household_changed:  # its members' names as stored (the changed are saved next)
            new.save(names=[m.full_name for m in stored_members])
        else:  # members only: the household's data and history stay, its version moves
            Household.objects.filter(pk=new.pk).update(version=new.version)
    else:
        new.save()
        changed_members = [f.instance for f in members.entered()]
    for member in changed_members:
        member.household = new
        member.save()
    return None, True
