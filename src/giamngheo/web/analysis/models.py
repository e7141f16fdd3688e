"""What the analyses keep: each what-if of a closed review under another standard (who ran
it, when, on which records) and each support plan (what was asked, the plan, who accepted it
and the per-commune targets it set). Nothing here changes a household or a review."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..reviews.models import Review
from ..units.models import AdministrativeUnit


class WhatIfRun(models.Model):
    """A closed review's households classified under another standard, as computed then."""

    review = models.ForeignKey(Review, models.PROTECT, related_name="+",
                               verbose_name=_("review"))
    standard_a = models.CharField(_("standard of the review"), max_length=40)
    standard_b = models.CharField(_("standard tried"), max_length=40)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                               verbose_name=_("run by"))
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    inputs_sha256 = models.CharField(_("SHA-256 of the records"), max_length=64)
    households = models.PositiveIntegerField(_("households"))
    changed = models.PositiveIntegerField(_("households that change"))
    undecided = models.PositiveIntegerField(_("households the standard cannot decide"))
    report = models.JSONField(_("result"))

    class Meta:
        verbose_name = _("what-if of a standard")
        verbose_name_plural = _("what-ifs of a standard")
        ordering = ["-run_at", "-pk"]


class SupportPlan(models.Model):
    """A support plan computed for an area in the background, then accepted or not."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    year = models.PositiveSmallIntegerField(_("support planned for the year"))
    request = models.JSONField(_("budgets, costs, objective and priorities asked"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("made by"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    standard_id = models.CharField(_("poverty standard"), max_length=40, blank=True)
    inputs_sha256 = models.CharField(_("SHA-256 of the records"), max_length=64, blank=True)
    plan = models.JSONField(_("plan"), null=True, blank=True)
    report = models.JSONField(_("figures and explanations"), null=True, blank=True)
    links = models.JSONField(default=dict, blank=True)  # household code → ids in the registry
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+",
                                    verbose_name=_("accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["stage", "percent", "plan", "report",
                                                 "links"])

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-created_at"]

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class CommuneTarget(models.Model):
    """What an accepted plan expects of a commune: households lifted, money, supports."""

    plan = models.ForeignKey(SupportPlan, models.PROTECT, related_name="targets")
    commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    households_to_lift = models.PositiveIntegerField(_("households expected to leave poverty"))
    households_supported = models.PositiveIntegerField(_("households supported"))
    budget = models.PositiveBigIntegerField(_("money (đồng)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commune target of a support plan")
        verbose_name_plural = _("commune targets of support plans")
        ordering = ["commune__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "commune"],
                                               name="one_target_per_commune_and_plan")]
