"""The program plan in the application: the targets assigned to each area (giao chỉ tiêu) and
the values officers enter for targets the registry cannot compute, the activities under the
plan's contents with their funding by source, the livelihood models and the agencies' tasks.

The plan itself (targets, contents, tasks as written) is shipped data (``giamngheo.plans``);
money is whole đồng in integer columns, never a float.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ...plans import Plan, Taxonomy, label, load_plan, load_taxonomy
from ..households.models import Household, current_lang
from ..units.models import AdministrativeUnit

DEFAULT_PLAN = "tan-phu-73-2024"


@cache
def the_plan(plan_id: str = DEFAULT_PLAN) -> Plan:
    return load_plan(plan_id)


@cache
def taxonomy(plan_id: str = DEFAULT_PLAN) -> Taxonomy:
    return load_taxonomy(the_plan(plan_id).program)


def labelled(items: dict) -> list[tuple[str, str]]:
    lang = current_lang()
    return [(code, label(labels, lang)) for code, labels in items.items()]


def target_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    return [(t.id, label(t.label, lang)) for t in the_plan().targets]


def content_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}. {name}") for code, name in labelled(the_plan().contents)]


def project_choices() -> list[tuple[str, str]]:
    return labelled(taxonomy().projects)


def source_choices() -> list[tuple[str, str]]:
    return labelled(taxonomy().funding_sources)


class TargetFigure(models.Model):
    """A value for one target of the plan, an area and a year."""

    plan_id = models.CharField(_("plan"), max_length=40, default=DEFAULT_PLAN, editable=False)
    target = models.CharField(_("target"), max_length=60, choices=target_choices)
    unit = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                             verbose_name=_("administrative unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def plan_target(self):
        return the_plan(self.plan_id).target(self.target)

    def clean(self) -> None:
        plan = the_plan(self.plan_id)
        if self.target not in {t.id for t in plan.targets}:
            raise ValidationError({"target": _("The plan has no such target.")})
        if self.year is not None and not plan.start.year <= self.year <= plan.end.year:
            raise ValidationError({"year": _(
                "The plan runs from %(start)s to %(end)s.") % {
                    "start": plan.start.year, "end": plan.end.year}})
        if self.value is not None and self.plan_target.is_percent \
                and not 0 <= self.value <= 100:
            raise ValidationError({"value": _(
                "A percentage is between 0 and 100.")})


class AssignedTarget(TargetFigure):
    """A target an area was given (giao chỉ tiêu), with its baseline where it counts from
    one (the group A households of the period's start)."""

    baseline = models.PositiveIntegerField(_("baseline"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    decision = models.CharField(_("assigned by decision"), max_length=120, blank=True,
                                help_text=_("Number and date of the decision, e.g. "
                                            "15/QĐ-UBND ngày 20/3/2024."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assigned target")
        verbose_name_plural = _("assigned targets")
        constraints = [models.UniqueConstraint(fields=["plan_id", "target", "unit", "year"],
                                               name="target_assigned_once")]

    def clean(self) -> None:
        super().clean()
        if self.baseline_date and self.year and self.baseline_date > dt.date(self.year, 12, 31):
            raise ValidationError({"baseline_date": _(
                "The baseline date is after the target year.")})


class EnteredValue(TargetFigure):
    """The actual value of a target the registry cannot compute (officers trained)."""

    note = models.CharField(_("source of the figure"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        constraints = [models.UniqueConstraint(fields=["plan_id", "target", "unit", "year"],
                                               name="value_entered_once")]

    def clean(self) -> None:
        super().clean()
        if self.target and self.plan_target.method != "entered":
            raise ValidationError({"target": _(
                "This target is computed from the registry; it is not entered.")})


class Activity(models.Model):
    plan_id = models.CharField(_("plan"), max_length=40, default=DEFAULT_PLAN, editable=False)
    content = models.CharField(_("content of the plan"), max_length=10,
                               choices=content_choices)
    unit = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                             verbose_name=_("carried out in"))
    name = models.CharField(_("activity"), max_length=200)
    project = models.CharField(_("program project"), max_length=10, choices=project_choices)
    held_on = models.DateField(_("held on"))
    events = models.PositiveIntegerField(_("events, media pieces"), default=0)
    participants = models.PositiveIntegerField(_("participants, trainees"), default=0)
    officers_trained = models.PositiveIntegerField(_("officers trained"), default=0)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.name


class LivelihoodModel(models.Model):
    """A poverty-reduction model (mô hình giảm nghèo) and the households taking part."""

    commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                                limit_choices_to={"level": "commune"},
                                verbose_name=_("commune"))
    name = models.CharField(_("model"), max_length=200)
    project = models.CharField(_("program project"), max_length=10, choices=project_choices,
                               default="2")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    households = models.ManyToManyField(Household, through="Participation",
                                        related_name="livelihood_models")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("livelihood model")
        verbose_name_plural = _("livelihood models")
        ordering = ["-started_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The model ends before it starts.")})


class Participation(models.Model):
    model = models.ForeignKey(LivelihoodModel, models.CASCADE, related_name="participations")
    household = models.ForeignKey(Household, models.PROTECT, related_name="participations",
                                  verbose_name=_("household"))
    joined_on = models.DateField(_("joined on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating household")
        verbose_name_plural = _("participating households")
        constraints = [models.UniqueConstraint(fields=["model", "household"],
                                               name="household_once_per_model")]


class Funding(models.Model):
    """Money of one source for an activity or a livelihood model, in whole đồng: allocated,
    disbursed, settled. Spending over the allocation is shown as a warning, not refused (it
    happens and must be seen); settling more than was disbursed is refused."""

    activity = models.ForeignKey(Activity, models.CASCADE, null=True, blank=True,
                                 related_name="funding")
    livelihood_model = models.ForeignKey(LivelihoodModel, models.CASCADE, null=True,
                                         blank=True, related_name="funding")
    source = models.CharField(_("funding source"), max_length=24, choices=source_choices)
    allocated = models.PositiveBigIntegerField(_("allocated (đồng)"), default=0)
    disbursed = models.PositiveBigIntegerField(_("disbursed (đồng)"), default=0)
    settled = models.PositiveBigIntegerField(_("settled (đồng)"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [models.CheckConstraint(
            condition=Q(activity__isnull=False, livelihood_model__isnull=True)
            | Q(activity__isnull=True, livelihood_model__isnull=False),
            name="funding_of_one_activity_or_model")]

    @property
    def overspent(self) -> bool:
        return self.disbursed > self.allocated

    def clean(self) -> None:
        if self.settled > self.disbursed:
            raise ValidationError({"settled": _(
                "More is settled than was disbursed.")})


MONEY = ("allocated", "disbursed", "settled")


def budget_by_source(funding) -> list[dict]:
    """A row per funding source (label, allocated, disbursed, settled in whole đồng,
    overspent) and a last row with the totals."""
    sums = {r["source"]: r for r in funding.values("source").annotate(
        **{k: Sum(k) for k in MONEY}).order_by("source")}
    rows = [{"source": code, "label": name, **{k: sums.get(code, {}).get(k) or 0
                                                for k in MONEY}}
            for code, name in source_choices()]
    rows.append({"source": "total", "label": _("Total"),
                 **{k: sum(r[k] for r in rows) for k in MONEY}})
    for row in rows:
        row["overspent"] = row["disbursed"] > row["allocated"]
    return rows


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "todo", _("Not started")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")

    plan_id = models.CharField(_("plan"), max_length=40, default=DEFAULT_PLAN, editable=False)
    unit = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    agency = models.CharField(_("agency"), max_length=200)
    task = models.TextField(_("task"))
    report = models.CharField(_("report owed"), max_length=120, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices,
                              default=Status.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.task[:80]

    def overdue(self, on: dt.date | None = None) -> bool:
        return self.status != self.Status.DONE and self.due_on < (on or timezone.localdate())

    def clean(self) -> None:
        if self.status == self.Status.DONE and self.done_on is None:
            raise ValidationError({"done_on": _("Say when the task was done.")})


def tasks_from_plan(unit: AdministrativeUnit, plan_id: str = DEFAULT_PLAN) -> int:
    """The plan's tasks (section VI) as tasks of ``unit``, once; returns how many were new."""
    existing = set(Task.objects.filter(plan_id=plan_id, unit=unit).values_list("task",
                                                                               flat=True))
    new = [Task(plan_id=plan_id, unit=unit, agency=t.agency, task=t.task, report=t.report,
                due_on=t.due) for t in the_plan(plan_id).tasks if t.task not in existing]
    Task.objects.bulk_create(new)
    return len(new)


def area_unit_ids(unit: AdministrativeUnit) -> list[int]:
    """The unit and its communes: where activities of an area are carried out."""
    return [unit.pk, *(c.pk for c in unit.communes() if c.pk != unit.pk)]


def activities_in(unit: AdministrativeUnit, year: int, until: dt.date | None = None):
    activities = Activity.objects.filter(unit__in=area_unit_ids(unit), held_on__year=year)
    return activities.filter(held_on__lte=until) if until else activities


def funding_in(unit: AdministrativeUnit, year: int, until: dt.date | None = None):
    """The funding of the area's activities of the year and of its communes' livelihood
    models started that year."""
    models_started = LivelihoodModel.objects.filter(commune__in=area_unit_ids(unit),
                                                    started_on__year=year)
    if until:
        models_started = models_started.filter(started_on__lte=until)
    return Funding.objects.filter(Q(activity__in=activities_in(unit, year, until))
                                  | Q(livelihood_model__in=models_started))


def outputs_by_content(activities) -> list[dict]:
    """Per content of the plan: activities, events, participants, officers trained."""
    rows = {r["content"]: r for r in activities.values("content").annotate(
        activities=models.Count("pk"), events=Sum("events"), participants=Sum("participants"),
        officers_trained=Sum("officers_trained"))}
    return [{"content": code, "label": name, **{k: rows.get(code, {}).get(k) or 0 for k in (
        "activities", "events", "participants", "officers_trained")}}
            for code, name in content_choices()]
