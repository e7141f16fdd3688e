"""The analysis pages: a closed review under another standard (what-if), and the support
plan of a commune or a province.

Who sees what is decided on the object's unit: a review's commune, a plan's area. Anyone who
sees a review may try another standard on it (nothing changes; the run is kept). A plan is
made by the officers of its area; it is accepted by the commune's officer or chair for a
commune, by an area officer for a district or province; read-only roles see it only.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...allocation.plan import write_xlsx as write_plan_xlsx
from ...population import from_records, records_sha256
from ...rules.parameters import default_registry
from ...whatif import what_if, write_xlsx
from ..accounts.models import (
    EXPORTING_ROLES,
    AccessLog,
    May,
    Role,
    has_role_for,
    visible_units,
)
from ..accounts.privacy import disclosure
from ..households.models import current_lang
from ..households.views import scoped_households
from ..program.models import taxonomy
from ..reviews.models import Review, Step
from ..scope import area_choices, chosen_area
from ..units.models import AdministrativeUnit
from . import jobs
from .forms import PlanForm
from .models import SupportPlan, WhatIfRun
from .plans import accept, area_figures, plan_rows, source_label
from .records import area_households

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN_MAKERS = {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.AREA_OFFICER,
               Role.FINANCE_OFFICER}
COMMUNE_ACCEPTERS = {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR}
AREA_ACCEPTERS = {Role.AREA_OFFICER}
PAGE = 100


def _closed_reviews(user):
    return Review.objects.filter(commune__in=visible_units(user), step=Step.CLOSED) \
        .select_related("commune").order_by("-reference_date", "commune__code")


def _latest_reviews(user, unit) -> list[Review]:
    """The closed reviews of the area's latest year (each commune's)."""
    reviews = _closed_reviews(user).filter(commune__in=unit.communes())
    latest = reviews.order_by("-period_year").values_list("period_year", flat=True).first()
    return list(reviews.filter(period_year=latest).order_by("commune__code", "-reference_date"))


@login_required
def index(request):
    unit, year = chosen_area(request, timezone.localdate().year + 1)
    units = visible_units(request.user)
    return render(request, "analysis/index.html", {
        "unit": unit, "year": year, "units": area_choices(request.user, request),
        "reviews": _latest_reviews(request.user, unit),
        "runs": WhatIfRun.objects.filter(review__commune__in=units).select_related(
            "review__commune", "run_by")[:20],
        "plans": SupportPlan.objects.filter(unit__in=units).select_related(
            "unit", "created_by")[:20],
        "can_plan": may_make_plan(request.user, unit)})


# --- what-if -------------------------------------------------------------------------------

@login_required
def whatif_review(request, pk):
    review = get_object_or_404(_closed_reviews(request.user), pk=pk)
    standards = [s for s in default_registry() if s.id != review.standard_id]
    if request.method == "POST":
        chosen = request.POST.get("standard", "")
        if chosen not in {s.id for s in standards}:
            messages.error(request, _("Choose a standard."))
            return redirect("analysis:whatif_review", review.pk)
        from .records import review_records

        records = review_records(review)
        result = what_if(from_records(records, current_lang(), sha256=records_sha256(records)),
                         chosen, review.standard_id, lang=current_lang())
        report = result.report(current_lang(), by=request.user.username)
        run = WhatIfRun.objects.create(
            review=review, standard_a=review.standard_id, standard_b=chosen,
            run_by=request.user, inputs_sha256=report["run"]["inputs_sha256"],
            households=result.frame.height, changed=report["changed_count"],
            undecided=report["undecided_count"], report=report)
        return redirect("analysis:whatif", run.pk)
    return render(request, "analysis/whatif_review.html", {
        "review": review, "standards": standards,
        "runs": WhatIfRun.objects.filter(review=review).select_related("run_by")[:20]})


def shows_households(user, unit) -> bool:
    """Whether an analysis of ``unit`` (a what-if run, a support plan) shows its households
    (codes, incomes, supports, explanations): for the roles that read households there
    (``ROLE_MAY``), never the finance officer, who reads figures only."""
    return disclosure(user).on_unit(May.READ, unit)


def exports_households(user, unit) -> bool:
    """Whether its workbook, every household in it, may be taken away: the same rule, for a
    role that takes lists away (logged)."""
    return shows_households(user, unit) and has_role_for(user, unit, EXPORTING_ROLES)


def openable(user, codes) -> set[str]:
    """The households among ``codes`` whose page the user may open (the one access rule):
    the others are shown as text, never as a link to a 404."""
    return set(scoped_households(user).filter(code__in=list(codes))
               .values_list("code", flat=True))


def _run_for(request, pk) -> WhatIfRun:
    run = WhatIfRun.objects.filter(pk=pk, review__commune__in=visible_units(request.user)) \
        .select_related("review__commune", "run_by").first()
    if run is None:
        raise Http404
    return run


@login_required
def whatif_run(request, pk):
    run = _run_for(request, pk)
    report = run.report
    changed = Paginator(report["changed"], PAGE).get_page(request.GET.get("page"))
    undecided = Paginator(report["undecided"], PAGE).get_page(request.GET.get("asked"))
    classes = ["poor", "near_poor", "average", "not_poor", "incomplete"]
    can_read = shows_households(request.user, run.review.commune)
    return render(request, "analysis/whatif_run.html", {
        "run": run, "report": report, "changed": changed, "undecided": undecided,
        "classes": classes,
        "matrix": [(a, [report["matrix"][a][b] for b in classes]) for a in classes],
        "can_read": can_read,
        "known": openable(request.user, [h["id"] for h in [*changed, *undecided]])
        if can_read else set(),
        "can_export": exports_households(request.user, run.review.commune)})


@login_required
def whatif_xlsx(request, pk):
    run = _run_for(request, pk)
    if not exports_households(request.user, run.review.commune):
        raise PermissionDenied
    target = io.BytesIO()
    write_xlsx(run.report, target, current_lang())
    AccessLog.objects.create(user=request.user, what=f"what-if {run.pk} ({run.review})",
                             rows=len(run.report["changed"]) + len(run.report["undecided"]))
    response = HttpResponse(target.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mo-phong-chuan-{run.pk}.xlsx"'
    return response


# --- support plans -------------------------------------------------------------------------

def may_make_plan(user, unit) -> bool:
    return has_role_for(user, unit, PLAN_MAKERS)


def may_accept(user, plan: SupportPlan) -> bool:
    roles = COMMUNE_ACCEPTERS if plan.unit.level == "commune" else AREA_ACCEPTERS
    if plan.unit.level == "commune":
        return user.is_superuser or user.assignments.filter(
            role__in=roles | {Role.ADMINISTRATOR}, unit=plan.unit).exists()
    return has_role_for(user, plan.unit, roles)


@login_required
def plan_new(request):
    unit, year = chosen_area(request, timezone.localdate().year + 1)
    if unit.level not in ("commune", "district", "province"):
        raise Http404
    if not may_make_plan(request.user, unit):
        raise PermissionDenied
    # the communes a limit can matter to: those with poor households
    communes = [] if unit.level == "commune" else sorted(AdministrativeUnit.objects.filter(
        pk__in=area_households(unit).filter(current_status="poor").values("commune")),
        key=lambda c: (c.code, c.pk))
    form = PlanForm(request.POST or None, communes=communes, initial={"year": year})
    running = SupportPlan.objects.filter(created_by=request.user, state__in=(
        SupportPlan.State.QUEUED, SupportPlan.State.RUNNING)).first()
    if request.method == "POST" and running is not None:
        # one plan at a time per user: a solve takes a core for up to a minute
        messages.error(request, _("Your previous plan is still being computed."))
        return redirect("analysis:plan", running.pk)
    if request.method == "POST" and form.is_valid():
        plan = SupportPlan.objects.create(unit=unit, year=form.cleaned_data["year"],
                                          request=form.cleaned_data["request"],
                                          created_by=request.user)
        jobs.start(jobs.compute, plan.pk, current_lang())
        return redirect("analysis:plan", plan.pk)
    return render(request, "analysis/plan_form.html", {
        "unit": unit, "year": year, "units": area_choices(request.user, request), "form": form,
        "figures": area_figures(unit)})


def _plan_for(request, pk) -> SupportPlan:
    plan = SupportPlan.objects.filter(pk=pk, unit__in=visible_units(request.user)) \
        .select_related("unit", "created_by", "accepted_by").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_page(request, pk):
    plan = _plan_for(request, pk)
    can_read = shows_households(request.user, plan.unit)
    context = {"plan": plan, "can_accept": plan.state == SupportPlan.State.DONE
               and not plan.accepted and may_accept(request.user, plan),
               "can_read": can_read, "can_export": exports_households(request.user, plan.unit)}
    if plan.state == SupportPlan.State.DONE:
        context.update(plan_rows(plan, request.GET.get("commune", ""),
                                 request.GET.get("page") if can_read else None))
        context["known"] = openable(request.user, [h["household"] for h in
                                                   context["households"]]) if can_read else set()
        context["targets"] = plan.targets.select_related("commune")
    return render(request, "analysis/plan.html", context)


@login_required
def plan_xlsx(request, pk):
    """The plan as a workbook, for the roles that may take lists away (logged)."""
    plan = _plan_for(request, pk)
    if plan.state != SupportPlan.State.DONE or not exports_households(request.user, plan.unit):
        raise PermissionDenied
    names = dict(AdministrativeUnit.objects.filter(
        pk__in=[int(r["commune_code"]) for r in plan.report["by_commune"]])
        .values_list("pk", "name"))
    target = io.BytesIO()
    write_plan_xlsx(plan.plan, plan.report, target, current_lang(),
                    communes={str(pk): name for pk, name in names.items()},
                    sources={code: source_label(code) for code in taxonomy().funding_sources})
    AccessLog.objects.create(user=request.user, what=f"support plan {plan.pk}",
                             rows=len(plan.plan["supports"]))
    response = HttpResponse(target.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="ke-hoach-ho-tro-{plan.year}-'
                                       f'{str(plan.pk)[:8]}.xlsx"')
    return response


@login_required
@require_POST
def plan_accept(request, pk):
    plan = _plan_for(request, pk)
    if not may_accept(request.user, plan):
        raise PermissionDenied
    with transaction.atomic():
        locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.accepted or locked.state != SupportPlan.State.DONE:
            messages.error(request, _("This plan was already accepted."))
            return redirect("analysis:plan", plan.pk)
        count = accept(locked, request.user)
    messages.success(request, _("%(count)s planned supports recorded; the communes' targets "
                                "are set.") % {"count": count})
    return redirect("analysis:plan", plan.pk)
