"""The program plan in the application: the targets assigned to each area (giao chỉ tiêu) and
the values officers enter for targets the registry cannot compute, the activities under the
plan's contents with their funding by source, the livelihood models and the agencies' tasks.

The plan itself (targets, contents, tasks as written) is shipped data (``giamngheo.plans``);
money is whole đồng in integer columns, never a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL
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


def group_choices() -> list[tuple[str, str]]:
    return labelled(taxonomy().source_groups)


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
        if self.unit_id is not None and self.year:
            self.unit.require_in_force(dt.date(self.year, 1, 1), dt.date(self.year, 12, 31))


class EnteredValue(TargetFigure):
    """The actual value of a target the registry cannot compute (officers trained, workers
    counselled), as counts on a date: so that an area's value is the sum of what it and every
    unit below recorded, and a report as of 30 June takes the figures known then."""

    achieved = models.PositiveIntegerField(_("achieved"), help_text=_(
        "How many were reached (officers trained, workers counselled...)."))
    of = models.PositiveIntegerField(_("out of"), help_text=_(
        "How many the target is about (officers, workers who need it...)."))
    as_of = models.DateField(_("as of"), help_text=_("The day the figures were counted."))
    note = models.CharField(_("source of the figure"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        constraints = [models.UniqueConstraint(fields=["plan_id", "target", "unit", "as_of"],
                                               name="value_entered_once_a_day")]

    def clean(self) -> None:
        if self.achieved is not None and self.of is not None:
            if self.achieved > self.of:
                raise ValidationError({"achieved": _("More were reached than the target is "
                                                     "about.")})
            if self.of == 0:
                raise ValidationError({"of": _("The count the target is about is zero.")})
            self.value = round(100 * Decimal(self.achieved) / self.of, 2)
        if self.as_of is not None:
            if self.as_of > timezone.localdate():
                raise ValidationError({"as_of": _("The date is after today.")})
            self.year = self.as_of.year
        super().clean()
        if self.target and self.plan_target.method != "entered":
            raise ValidationError({"target": _(
                "This target is computed from the registry; it is not entered.")})

    def save(self, *args, **kwargs) -> None:
        self.value = round(100 * Decimal(self.achieved) / self.of, 2) if self.of else 0
        self.year = self.as_of.year
        super().save(*args, **kwargs)


def entered_counts(plan_id: str, units: list[int] | RawSQL, year: int, until: dt.date
                   ) -> dict[str, tuple[int, int, int]]:
    """target → (achieved, out of, units that recorded) summed over ``units``: each unit's
    latest figures of ``year`` counted on or before ``until``."""
    latest: dict[tuple[str, int], tuple[int, int]] = {}
    for target, unit, achieved, of in EnteredValue.objects.filter(
            plan_id=plan_id, unit__in=units, year=year, as_of__lte=until).order_by(
            "as_of", "pk").values_list("target", "unit_id", "achieved", "of"):
        latest[target, unit] = (achieved, of)
    sums: dict[str, tuple[int, int, int]] = {}
    for (target, _unit), (achieved, of) in latest.items():
        a, o, n = sums.get(target, (0, 0, 0))
        sums[target] = (a + achieved, o + of, n + 1)
    return sums


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
    on = models.DateField(_("recorded for"), help_text=_(
        "The day the money was allocated, disbursed or settled: a report as of 30 June "
        "counts the lines up to that day."))
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
        if self.on and self.on > timezone.localdate():
            raise ValidationError({"on": _("The date is after today.")})


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
        """Whether the task was late on ``on`` (today by default): due before it and not done
        by then."""
        on = on or timezone.localdate()
        done = self.status == self.Status.DONE and self.done_on is not None \
            and self.done_on <= on
        return self.due_on < on and not done

    def clean(self) -> None:
        if self.status == self.Status.DONE and self.done_on is None:
            raise ValidationError({"done_on": _("Say when the task was done.")})
        if self.unit_id is not None and self.due_on and self._state.adding:
            self.unit.require_in_force(self.due_on)


def tasks_from_plan(unit: AdministrativeUnit, plan_id: str = DEFAULT_PLAN) -> int:
    """The plan's tasks (section VI) as tasks of ``unit``, once; returns how many were new."""
    existing = set(Task.objects.filter(plan_id=plan_id, unit=unit).values_list("task",
                                                                               flat=True))
    new = [Task(plan_id=plan_id, unit=unit, agency=t.agency, task=t.task, report=t.report,
                due_on=t.due) for t in the_plan(plan_id).tasks if t.task not in existing]
    Task.objects.bulk_create(new)
    return len(new)


def area_unit_ids(unit: AdministrativeUnit) -> RawSQL:
    """The unit and every unit below it (districts, communes, hamlets): an area's figures
    are what was recorded at it and at every level below. A subquery (``unit__in=``), found
    by the database as it runs the query: a province's 700 ids are neither read nor written
    back into every query."""
    table = AdministrativeUnit._meta.db_table
    return RawSQL(f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE id = %s "
                  f"UNION ALL SELECT unit.id FROM {table} unit JOIN below "
                  f"ON unit.parent_id = below.id) SELECT id FROM below", (unit.pk,))


def activities_in(unit: AdministrativeUnit, year: int, until: dt.date | None = None):
    activities = Activity.objects.filter(unit__in=area_unit_ids(unit), held_on__year=year)
    return activities.filter(held_on__lte=until) if until else activities


def funding_in(unit: AdministrativeUnit, year: int, until: dt.date | None = None):
    """The money recorded in ``year`` (up to ``until``) for the activities and livelihood
    models of the area and of every unit below it."""
    units = area_unit_ids(unit)
    funding = Funding.objects.filter(Q(activity__unit__in=units)
                                     | Q(livelihood_model__commune__in=units), on__year=year)
    return funding.filter(on__lte=until) if until else funding


def source_groups() -> dict[str, str]:
    """funding source → its group (central, local, integrated, credit, mobilised)."""
    return {code: spec["group"] for code, spec in taxonomy().funding_sources.items()}


def budget_by(funding, key: str, items: list[tuple[str, str]]) -> list[dict]:
    """Like ``budget_by_source``, a row per item of ``items`` (code, label) summed by
    ``key``: "project" (of the activity or model) or "group" (of the source)."""
    rows = {code: dict.fromkeys(MONEY, 0) for code, _label in items}
    groups = source_groups()
    for project, model_project, source, *money in funding.values_list(
            "activity__project", "livelihood_model__project", "source", *MONEY):
        code = (project or model_project) if key == "project" else groups.get(source)
        row = rows.setdefault(code or "other", dict.fromkeys(MONEY, 0))
        for name, amount in zip(MONEY, money, strict=True):
            row[name] += amount
    out = [{"code": code, "label": name, **rows[code]} for code, name in items]
    out.append({"code": "total", "label": _("Total"),
                **{k: sum(r[k] for r in out) for k in MONEY}})
    return out


def outputs_by_content(activities) -> list[dict]:
    """Per content of the plan: activities, events, participants, officers trained."""
    rows = {r["content"]: r for r in activities.values("content").annotate(
        activities=models.Count("pk"), events=Sum("events"), participants=Sum("participants"),
        officers_trained=Sum("officers_trained"))}
    return [{"content": code, "label": name, **{k: rows.get(code, {}).get(k) or 0 for k in (
        "activities", "events", "participants", "officers_trained")}}
            for code, name in content_choices()]
