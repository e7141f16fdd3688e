"""Review campaigns: the list, one review's page, and the actions of each step.

Commune officers run the steps of their commune's reviews, the commune chair records the
decision, closes and reopens; everybody else in the area reads. A step's action is a POST that
names the step it was shown for, so a page left open cannot repeat or skip a step.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, Q, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...transitions import DECIDED
from ..accounts.models import (
    HOUSEHOLD_EDITORS,
    AccessLog,
    May,
    Role,
    has_role_for,
    log_view,
    visible_units,
    working_units,
)
from ..accounts.privacy import disclosure
from ..households.models import Household
from ..scope import shows_history
from ..units.models import AdministrativeUnit
from .forms import (
    AddHouseholdForm,
    ComplaintForm,
    DecisionForm,
    MeetingForm,
    PostingForm,
    RecheckForm,
    RequestForm,
    ReviewForm,
    WithdrawForm,
)
from .lists import lists_of, summary_of, workbook
from .models import (
    Request,
    Review,
    ReviewEntry,
    ReviewError,
    Step,
    current_lists,
    history_reason,
)
from .questions import missing_answers

OFFICERS = {Role.COMMUNE_OFFICER}
CHAIRS = {Role.COMMUNE_CHAIR}


def scoped_reviews(user):
    return Review.objects.filter(commune__in=visible_units(user)).select_related("commune")


def _communes_run_by(user):
    return AdministrativeUnit.objects.filter(
        level="commune", pk__in=working_units(user, OFFICERS)).order_by("code", "valid_from")


@login_required
def review_list(request):
    communes = _communes_run_by(request.user)
    # offered: the communes in force today (a review of an ended commune is refused by the
    # review itself whatever is posted); every period with the history switch
    offered = communes if request.method == "POST" or shows_history(request) else \
        communes.valid_on(timezone.localdate())
    form = ReviewForm(request.POST or None, communes=offered)
    if request.method == "POST":
        if not communes.exists():
            raise PermissionDenied
        if form.is_valid():
            review = form.save(commit=False)
            review.opened_by = request.user
            review.save()
            messages.success(request, _("The review is open: list the households."))
            return redirect("reviews:detail", review.pk)
    reviews = scoped_reviews(request.user).annotate(households=Count("entries")) \
        .order_by("-period_year", "commune__code")
    return render(request, "reviews/list.html", {
        "reviews": reviews, "form": form if communes.exists() else None})


def _review_for(request, pk: int) -> Review:
    review = scoped_reviews(request.user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


@login_required
def review_detail(request, pk: int, forms=None):
    review = _review_for(request, pk)
    counts = dict(review.entries.filter(withdrawn_because="").values_list("classification")
                  .annotate(n=Count("pk")))
    done: dict[str, list] = {}
    for record in review.step_records.select_related("done_by"):
        done.setdefault(record.step, []).append(record)
    forms = forms or {}
    undecided = review.undecided_entries()
    decision = getattr(review, "decision", None)
    is_chair = has_role_for(request.user, review.commune, CHAIRS)
    reads = disclosure(request.user).on_unit(May.READ, review.commune)  # not the finance
    missing = missing_answers(review) if reads and not review.closed else []
    entries, shown = _entries_page(request, review, missing) if reads else (None, {})
    return render(request, "reviews/detail.html", {
        "review": review, "counts": counts,
        "steps": [(step, done.get(step, []), step == review.step)
                  for step in review.steps[:-1]],
        "meetings": review.meetings.select_related("hamlet"),
        "posting": getattr(review, "posting", None), "decision": decision,
        "decision_history": decision.history.select_related("history_user")
        if decision else [],
        "entries": entries, "shown": shown,
        "entries_count": review.entries.count(),
        "undecided": undecided.count(), "departed": review.departed_entries().count(),
        "withdrawn": review.entries.exclude(withdrawn_because="").count(),
        "missing_lists": review.current_lists_missing().count() if not review.closed else 0,
        "date_problems": [] if review.closed else review.date_problems(),
        "is_officer": has_role_for(request.user, review.commune, OFFICERS),
        "is_chair": is_chair,
        "can_decide": is_chair and not review.closed and review.reached(Step.DECISION),
        "after_survey": review.reached(Step.SURVEY) and review.step != Step.SURVEY,
        "closing_step": review.step == review.steps[-2],
        "meeting_form": forms.get("meeting") or MeetingForm(review=review),
        "meeting_forms": [(m, MeetingForm(instance=m, review=review, prefix=f"m{m.pk}"))
                          for m in review.meetings.all()],
        "posting_form": forms.get("posting") or PostingForm(instance=getattr(
            review, "posting", None)),
        "decision_form": forms.get("decision") or DecisionForm(instance=decision),
        "complaint_form": forms.get("complaint") or ComplaintForm(),
        "add_form": forms.get("add") or AddHouseholdForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "complaints": review.complaints.select_related("entry__household__hamlet",
                                                       "rechecked_by"),
        "recheck_form": forms.get("recheck") or RecheckForm(),
        "pending_requests": review.pending_requests().count(),
        "certificates": review.certificates.filter(revoked_on=None).count(),
        "today": dt.date.today(),
        "successor": review.commune.successor_on(dt.date.today())
        if review.commune.valid_until else None,
        "missing_answers": missing,
        "missing_shown": MISSING_SHOWN,
    })


ENTRIES_PER_PAGE = 50  # the households of a review's page, page by page
MISSING_SHOWN = 10  # households lacking an answer named at the top; the rest by the filter
# what the households of a review's page may be narrowed to (``show``)
ENTRY_FILTERS = ("undecided", "decided", "withdrawn", "missing")


def _entries_page(request, review: Review, missing) -> tuple[object, dict[str, object]]:
    """One page of the review's households (those without a decision first) under the
    filters of the query string: a hamlet, a household code or name, and ``show``: without a
    decision, decided, taken off, lacking an answer the standard needs."""
    entries = review.entries.select_related("household__hamlet", "withdrawn_by") \
        .prefetch_related("household__members", "household__requests").annotate(
        has_decision=Case(When(classification__in=DECIDED, withdrawn_because="", then=1),
                          default=0)).order_by("has_decision", "-withdrawn_because",
                                               "household__code")
    show = request.GET.get("show", "")
    show = show if show in ENTRY_FILTERS else ""
    if show == "undecided":
        entries = entries.filter(has_decision=0, withdrawn_because="")
    elif show == "decided":
        entries = entries.filter(has_decision=1)
    elif show == "withdrawn":
        entries = entries.exclude(withdrawn_because="")
    elif show == "missing":
        lacking = Q()
        for answer in missing:
            lacking |= Q(household__in=answer.households.order_by().values("pk"))
        entries = entries.filter(lacking, withdrawn_because="") if missing else entries.none()
    hamlets = AdministrativeUnit.objects.filter(pk__in=review.entries.values(
        "household__hamlet")).order_by("code", "valid_from")
    hamlet = request.GET.get("hamlet", "")
    hamlet = hamlet if hamlet.isdigit() and any(str(h.pk) == hamlet for h in hamlets) else ""
    if hamlet:
        entries = entries.filter(household__hamlet_id=hamlet)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        entries = entries.filter(household__in=Household.objects.filter(
            pk__in=review.entries.values("household_id")).matching(
            query, whole_country=False).values("pk"))
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return page, {"show": show, "hamlet": hamlet, "query": query, "hamlets": hamlets,
                  "filtered": bool(show or hamlet or query)}


@login_required
def request_list(request):
    """Requests on forms No. 01 and No. 04: received by commune officers and surveyors,
    answered by the review that lists the household."""
    takers = working_units(request.user, HOUSEHOLD_EDITORS)
    form = RequestForm(request.POST or None,
                       households=Household.objects.filter(commune__in=takers))
    if request.method == "POST":
        if not takers:
            raise PermissionDenied
        if form.is_valid():
            item = form.save(commit=False)
            item.received_by = request.user
            item.save()
            messages.success(request, _("The request is recorded."))
            return redirect("reviews:requests")
    requests = Request.objects.filter(household__commune__in=visible_units(request.user)) \
        .select_related("household", "review", "received_by")
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(request, "reviews/requests.html", {
        "page": page, "form": form if takers else None, "today": dt.date.today()})


@login_required
@require_POST
def review_action(request, pk: int, action: str):
    review = _review_for(request, pk)
    chair_actions = {"decision", "reopen", "issue_certificates"} | (
        {"advance"} if review.step == Step.DECISION else set())
    roles = CHAIRS if action in chair_actions else OFFICERS
    if not has_role_for(request.user, review.commune, roles):
        raise PermissionDenied
    if action != "reopen" and request.POST.get("step") != review.step:
        messages.error(request, _("Someone else moved this review on; reload it."))
        return redirect("reviews:detail", review.pk)
    try:
        response = ACTIONS[action](request, review)
    except KeyError:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reviews:detail", review.pk)
    return response or redirect("reviews:detail", review.pk)


def _list_all(request, review):
    n = review.list_households(Household.objects.filter(
        commune=review.commune, status=Household.Status.ACTIVE), ReviewEntry.Listed.REGISTRY)
    messages.success(request, _("%(n)s households listed.") % {"n": n})


def _list_current(request, review):
    n = review.list_households(current_lists(review.commune), "current_list")
    messages.success(request, _("%(n)s households listed.") % {"n": n})


def _list_one(request, review):
    form = AddHouseholdForm(request.POST, households=Household.objects.filter(
        commune=review.commune, status=Household.Status.ACTIVE))
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"add": form})
    n = review.list_one(form.cleaned_data["household"])
    messages.success(request, _("%(n)s households listed.") % {"n": n})
    return None


def _entry(request, review):
    entry = review.entries.filter(pk=request.POST.get("entry", "")).first() \
        if request.POST.get("entry", "").isdigit() else None
    if entry is None:
        raise Http404
    return entry


def _withdraw(request, review):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"withdraw": form})
    entry = _entry(request, review)
    data = form.cleaned_data
    review.withdraw(entry, data["reason"], data["on"], data["note"], request.user)
    messages.success(request, _("%(code)s is taken off the review.") % {
        "code": entry.household.code})
    return None


def _restore(request, review):
    entry = _entry(request, review)
    review.restore(entry, request.user)
    messages.success(request, _("%(code)s is back on the review.") % {
        "code": entry.household.code})


def _classify_undecided(request, review):
    counts = review.classify_undecided(request.user)
    messages.success(request, _("%(n)s households classified.") % {"n": sum(counts.values())})


def _list_requests(request, review):
    n = review.list_requests()
    messages.success(request, _("%(n)s households listed.") % {"n": n})


def _complaint(request, review):
    form = ComplaintForm(request.POST, households=Household.objects.filter(
        commune=review.commune))
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"complaint": form})
    data = form.cleaned_data
    review.file_complaint(data["household"], data["filed_on"], data["filed_by"],
                          data["content"])
    messages.success(request, _("The complaint is recorded; re-check the household."))
    return None


def _recheck(request, review):
    form = RecheckForm(request.POST)
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"recheck": form})
    complaint = review.complaints.filter(pk=form.cleaned_data["complaint"]).first()
    if complaint is None:
        raise Http404
    review.recheck(complaint, request.user, form.cleaned_data["finding"],
                   form.cleaned_data["rechecked_on"])
    messages.success(request, _("Re-checked: %(before)s → %(after)s") % {
        "before": complaint.classification_before or "—",
        "after": complaint.classification_after})
    return None


def _certificates(request, review):
    n = review.issue_certificates(request.user, dt.date.today())
    messages.success(request, _("%(n)s certificates issued.") % {"n": n})


def _classify(request, review):
    counts = review.classify()
    messages.success(request, _("%(n)s households classified.") % {"n": sum(counts.values())})


@transaction.atomic
def _meeting(request, review):
    """A village meeting, or the correction of one recorded (kept in its history)."""
    review.lock()  # of two people sending it at once, the second is told
    review.ensure_open()
    pk = request.POST.get("meeting", "")
    meeting = review.meetings.filter(pk=pk).first() if pk.isdigit() else None
    if pk and meeting is None:
        raise Http404
    if meeting is None and review.step != Step.MEETING:
        raise ReviewError(_("Village meetings are recorded in their step."))
    form = MeetingForm(request.POST, instance=meeting, review=review,
                       prefix=f"m{meeting.pk}" if meeting else None)
    form.instance.review = review
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"meeting": form})
    form.instance._change_reason = history_reason(request.POST.get("reason", ""))
    form.save()
    messages.success(request, _("Saved."))
    return None


@transaction.atomic
def _posting(request, review):
    """The public posting, or its correction while the review is still at that step."""
    review.lock()
    if review.step != Step.POSTING:
        raise ReviewError(_("The posting is recorded in its step."))
    form = PostingForm(request.POST, instance=getattr(review, "posting", None))
    form.instance.review = review
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"posting": form})
    form.save()
    messages.success(request, _("Saved."))
    return None


@transaction.atomic
def _decision(request, review):
    """The chair's decision, or its correction after reopening (with the reason)."""
    review.lock()
    form = DecisionForm(request.POST, instance=getattr(review, "decision", None))
    form.instance.review = review
    if not form.is_valid():
        return review_detail(request, review.pk, forms={"decision": form})
    data = form.cleaned_data
    review.record_decision(data["number"], data["signed_on"], data["signed_by"],
                           request.user, request.POST.get("reason", ""))
    messages.success(request, _("Saved."))
    return None


def _advance(request, review):
    review.advance(request.user, request.POST.get("note", ""))
    messages.success(request, _("Step done: %(step)s") % {"step": Step(review.step).label})


def _reopen(request, review):
    review.reopen(request.user, request.POST.get("reason", ""))
    messages.success(request, _("The review is open again."))


ACTIONS = {
    "list_all": _list_all,
    "list_current": _list_current,
    "list_requests": _list_requests,
    "list_one": _list_one,
    "classify": _classify,
    "complaint": _complaint,
    "recheck": _recheck,
    "issue_certificates": _certificates,
    "meeting": _meeting,
    "posting": _posting,
    "decision": _decision,
    "withdraw": _withdraw,
    "restore": _restore,
    "classify_undecided": _classify_undecided,
    "advance": _advance,
    "reopen": _reopen,
}



@login_required
def review_lists(request, pk: int):
    review = _review_for(request, pk)
    if not review.closed:
        raise Http404
    reads = disclosure(request.user).on_unit(May.READ, review.commune)
    lists = lists_of(review, dt.date.today()) if reads else []
    can_export = disclosure(request.user).on_unit(May.EXPORT, review.commune)
    if reads:
        log_view(request.user, f"lists of review {review.pk}",
                 rows=sum(len(item.rows) for item in lists))
    return render(request, "reviews/lists.html", {
        "review": review, "lists": lists, "summary": summary_of(review),
        "certificates": {c.household_id: c for c in review.certificates.filter(
            revoked_on=None)} if can_export else {},
        "can_export": can_export,
    })


@login_required
def review_lists_xlsx(request, pk: int):
    review = _review_for(request, pk)
    if not review.closed:
        raise Http404
    if not disclosure(request.user).on_unit(May.EXPORT, review.commune):
        raise PermissionDenied
    lists = lists_of(review, dt.date.today())
    AccessLog.objects.create(user=request.user, what=f"lists of review {review.pk}",
                             rows=sum(len(item.rows) for item in lists))
    seen = disclosure(request.user)
    response = HttpResponse(workbook(review, lists, summary_of(review), seen.id_number),
                            content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = \
        f'attachment; filename="danh-sach-{review.commune.code}-{review.period_year}.xlsx"'
    return response


@login_required
def review_certificates(request, pk: int, certificate: int | None = None):
    """The certificates of a closed review, laid out to print one per page; or one of them."""
    review = _review_for(request, pk)
    if not disclosure(request.user).on_unit(May.EXPORT, review.commune):
        raise PermissionDenied
    found = review.certificates.filter(revoked_on=None)
    if certificate is not None:
        found = found.filter(pk=certificate)
    certificates = list(found.select_related("household__hamlet")
                        .prefetch_related("household__members").order_by("pk"))
    if not certificates:
        raise Http404
    AccessLog.objects.create(user=request.user, what=f"certificates of review {review.pk}",
                             rows=len(certificates))
    return render(request, "reviews/certificates.html", {
        "review": review, "certificates": certificates})
