"""The plan's pages for an area and a year: targets (assigned per area, values entered),
activities with their budget, livelihood models with their households, the agencies' tasks.

Everybody in the area reads; area officers assign targets; officers of a unit record its
activities, models and tasks; finance officers (and the officers) record money.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...plans import label
from ..accounts.models import Role, has_role_for, visible_units, working_units
from ..households.models import Household, current_lang
from ..scope import area_choices, chosen_area
from ..units.models import AdministrativeUnit
from .forms import (
    ActivityForm,
    AssignedTargetForm,
    EnteredValueForm,
    FundingForm,
    LivelihoodModelForm,
    ParticipantForm,
    TaskForm,
)
from .models import (
    Activity,
    AssignedTarget,
    LivelihoodModel,
    Participation,
    Task,
    activities_in,
    area_unit_ids,
    budget_by_source,
    funding_in,
    outputs_by_content,
    tasks_from_plan,
    the_plan,
)
from .outcomes import outcomes
from .progress import target_progress

ASSIGNERS = {Role.AREA_OFFICER}
PLANNERS = {Role.AREA_OFFICER, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR}
MONEY_KEEPERS = {Role.FINANCE_OFFICER, Role.AREA_OFFICER, Role.COMMUNE_OFFICER}


def _units(user, roles) -> object:
    return AdministrativeUnit.objects.filter(pk__in=working_units(user, roles),
                                             level__in=("province", "district", "commune"))


def _area(request):
    return chosen_area(request, the_plan().end.year)


def _query(unit, year) -> str:
    return f"?unit={unit.pk}&year={year}"


def _save(request, form, roles, unit_of, done: str):
    """Save a valid form whose unit the user holds one of ``roles`` for."""
    if not form.is_valid():
        return False
    if not has_role_for(request.user, unit_of(form.instance), roles):
        raise PermissionDenied
    form.save()
    messages.success(request, done)
    return True


TARGET_FORMS = {"assign": (AssignedTargetForm, ASSIGNERS), "enter": (EnteredValueForm, PLANNERS)}


@login_required
def overview(request):
    """The plan's targets for the area: goal, actual, light; assignments; entered values."""
    unit, year = _area(request)
    user = request.user
    posted = next((key for key in TARGET_FORMS if key in request.POST), None)
    forms = {key: _target_form(request, key, key == posted, unit, year) for key in TARGET_FORMS}
    forms["enter"].fields["target"].choices = [
        (t.id, label(t.label, current_lang())) for t in the_plan().targets
        if t.method == "entered"]
    if posted and _save(request, forms[posted], TARGET_FORMS[posted][1], lambda i: i.unit,
                        _("Saved.")):
        return redirect(request.path + _query(unit, year))
    assigned = AssignedTarget.objects.filter(year=year, unit__in=area_unit_ids(unit)) \
        .select_related("unit").order_by("target", "unit__code")
    return render(request, "program/overview.html", {
        "unit": unit, "year": year, "plan": the_plan(), "units": area_choices(user, request),
        "progress": target_progress(unit, year), "assigned": assigned,
        "assign": forms["assign"] if has_any(user, ASSIGNERS) else None,
        "enter": forms["enter"] if has_any(user, PLANNERS) else None})


def _target_form(request, key: str, bound: bool, unit, year: int):
    """The form; a value for a target, unit and year already recorded is replaced."""
    form_class, roles = TARGET_FORMS[key]
    instance = None
    when = "as_of" if key == "enter" else "year"  # one value a day; one goal a year
    if bound and request.POST.get("unit", "").isdigit() and request.POST.get(when):
        try:
            instance = form_class._meta.model.objects.filter(
                target=request.POST.get("target"), unit_id=int(request.POST["unit"]),
                **{when: request.POST[when]}).first()
        except ValidationError:
            instance = None  # an unreadable date: the form says so
    form = form_class(request.POST if bound else None, instance=instance,
                      units=_units(request.user, roles),
                      initial={"unit": unit, "year": year, "as_of": timezone.localdate()})
    form.instance.recorded_by = request.user
    return form


def has_any(user, roles) -> bool:
    return bool(visible_units(user, roles))


@login_required
def activities(request):
    unit, year = _area(request)
    user = request.user
    form = ActivityForm(request.POST or None, units=_units(user, PLANNERS),
                        initial={"unit": unit, "held_on": timezone.localdate()})
    if request.method == "POST" and _save(request, form, PLANNERS, lambda i: i.unit,
                                          _("Activity recorded.")):
        return redirect(request.path + _query(unit, year))
    found = activities_in(unit, year).select_related("unit").prefetch_related("funding")
    return render(request, "program/activities.html", {
        "unit": unit, "year": year, "units": area_choices(user, request), "activities": found,
        "outputs": outputs_by_content(found), "budget": budget_by_source(funding_in(unit, year)),
        "form": form if has_any(user, PLANNERS) else None,
        "funding_form": FundingForm(initial={"on": timezone.localdate()})
        if has_any(user, MONEY_KEEPERS) else None})


@login_required
@require_POST
def add_funding(request, kind: str, pk: int):
    """A funding line of an activity or a livelihood model."""
    owner_model = {"activity": Activity, "model": LivelihoodModel}.get(kind)
    if owner_model is None:
        raise Http404
    owner = get_object_or_404(owner_model, pk=pk)
    unit = owner.unit if kind == "activity" else owner.commune
    if unit.pk not in visible_units(request.user):
        raise Http404
    form = FundingForm(request.POST)
    if kind == "activity":
        form.instance.activity = owner
    else:
        form.instance.livelihood_model = owner
    if _save(request, form, MONEY_KEEPERS, lambda i: unit, _("Funding recorded.")):
        if form.instance.overspent:
            messages.warning(request, _("Warning: more was disbursed than allocated."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}"
                                    f": {' '.join(errors)}")
    if kind == "activity":
        return redirect(reverse("program:activities") + _query(unit, owner.held_on.year))
    return redirect("program:model", owner.pk)


@login_required
def model_list(request):
    unit, year = _area(request)
    user = request.user
    form = LivelihoodModelForm(request.POST or None,
                               units=_units(user, PLANNERS).filter(level="commune"))
    if request.method == "POST" and _save(request, form, PLANNERS, lambda i: i.commune,
                                          _("Livelihood model recorded.")):
        return redirect("program:model", form.instance.pk)
    found = LivelihoodModel.objects.filter(commune__in=area_unit_ids(unit)).select_related(
        "commune").prefetch_related("funding", "participations")
    return render(request, "program/models.html", {
        "unit": unit, "year": year, "units": area_choices(user, request), "models": found,
        "form": form if has_any(user, PLANNERS) else None})


@login_required
def model_detail(request, pk: int):
    model = get_object_or_404(LivelihoodModel.objects.select_related("commune"), pk=pk,
                              commune__in=visible_units(request.user))
    form = ParticipantForm(request.POST or None)
    if request.method == "POST":
        if not has_role_for(request.user, model.commune, PLANNERS):
            raise PermissionDenied
        if form.is_valid():
            household = Household.objects.filter(code=form.cleaned_data["code"].strip(),
                                                 commune=model.commune).first()
            if household is None:
                form.add_error("code", _("No household of %(commune)s has this code.") % {
                    "commune": model.commune.name})
            else:
                Participation.objects.get_or_create(
                    model=model, household=household,
                    defaults={"joined_on": form.cleaned_data["joined_on"]})
                messages.success(request, _("Household added to the model."))
                return redirect("program:model", model.pk)
    return render(request, "program/model.html", {
        "model": model, "outcomes": outcomes(model), "form": form,
        "funding": model.funding.all(), "budget": budget_by_source(model.funding.all()),
        "funding_form": FundingForm(initial={"on": timezone.localdate()}) if has_role_for(
            request.user, model.commune, MONEY_KEEPERS) else None})


def _people(unit):
    """Who may own a task of the area: the users assigned to it or to one of its communes."""
    return User.objects.filter(assignments__unit__in=area_unit_ids(unit)).distinct() \
        .order_by("first_name", "username")


@login_required
def tasks(request):
    unit, year = _area(request)
    user = request.user
    if request.method == "POST":
        if not has_role_for(user, unit, PLANNERS):
            raise PermissionDenied
        if "from_plan" in request.POST:
            added = tasks_from_plan(unit)
            messages.success(request, _("%(n)s tasks of the plan added.") % {"n": added})
        else:
            task = get_object_or_404(Task, pk=request.POST.get("task"),
                                     unit__in=area_unit_ids(unit))
            form = TaskForm(request.POST, instance=task, prefix=f"t{task.pk}",
                            people=_people(unit))
            if form.is_valid():
                form.save()
                messages.success(request, _("Task updated."))
            else:
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
        return redirect(request.path + _query(unit, year))
    found = list(Task.objects.filter(unit__in=area_unit_ids(unit), due_on__year=year)
                 .select_related("unit", "owner"))
    people = _people(unit)
    today = timezone.localdate()
    # the plans of the levels above give the communes their tasks too: shown, not edited here
    above = Task.objects.filter(unit__in=_levels_above(unit), due_on__year=year) \
        .select_related("unit", "owner")
    return render(request, "program/tasks.html", {
        "unit": unit, "year": year, "units": area_choices(user, request),
        "tasks": [(t, t.overdue(today), TaskForm(instance=t, prefix=f"t{t.pk}", people=people))
                  for t in found],
        "above": [(t, t.overdue(today)) for t in above],
        "overdue": sum(1 for t in found if t.overdue(today)),
        "can_edit": has_role_for(user, unit, PLANNERS)})


def _levels_above(unit) -> list[int]:
    ids, current = [], unit.parent
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids
