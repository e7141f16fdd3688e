"""Support given to households and members: what, when, how much (whole đồng), from which
source and project, which deprivation it addresses; and who should get a benefit and has not
(docs/rules.md §8)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..households.models import Household, Member
from ..households.views import national_indicators
from ..program.models import LivelihoodModel, labelled, project_choices, source_choices, taxonomy


def kind_choices() -> list[tuple[str, str]]:
    return labelled(taxonomy().support_kinds)


def indicator_choices() -> list[tuple[str, str]]:
    return list(national_indicators().items())


class SupportQuerySet(models.QuerySet):
    def given(self):
        return self.filter(status=Support.Status.GIVEN)

    def planned(self):
        return self.filter(status=Support.Status.PLANNED)


class Support(models.Model):
    """Support given, or planned (an accepted support plan's proposal: no date yet, a year;
    marked given, with its date, when it is given)."""

    class Status(models.TextChoices):
        GIVEN = "given", _("given")
        PLANNED = "planned", _("planned")

    household = models.ForeignKey(Household, models.PROTECT, related_name="support",
                                  verbose_name=_("household"))
    member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True,
                               related_name="support", verbose_name=_("member"))
    kind = models.CharField(_("kind of support"), max_length=24, choices=kind_choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.GIVEN)
    given_on = models.DateField(_("given on"), null=True, blank=True)
    planned_year = models.PositiveSmallIntegerField(_("planned for the year"), null=True,
                                                    blank=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), null=True, blank=True)
    source = models.CharField(_("funding source"), max_length=24, choices=source_choices,
                              blank=True)
    project = models.CharField(_("program project"), max_length=10, choices=project_choices,
                               blank=True)
    addresses = models.CharField(_("deprivation addressed"), max_length=30, blank=True,
                                 choices=indicator_choices)
    livelihood_model = models.ForeignKey(LivelihoodModel, models.SET_NULL, null=True,
                                         blank=True, related_name="support",
                                         verbose_name=_("livelihood model"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()
    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["household", "kind"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(status="given", given_on__isnull=False)
            | models.Q(status="planned", given_on__isnull=True, planned_year__isnull=False),
            name="support_given_has_a_date_planned_a_year")]

    def mark_given(self, on: dt.date, user) -> None:
        """A planned support given on ``on`` (history keeps who and when)."""
        if self.status != self.Status.PLANNED:
            raise ValidationError(_("Only a planned support can be marked given."))
        if on > dt.date.today():
            raise ValidationError({"given_on": _("Support is recorded once given.")})
        self.status, self.given_on = self.Status.GIVEN, on
        self._change_reason = f"given by {user}"
        self.save(update_fields=["status", "given_on"])

    def clean(self) -> None:
        if self.member_id and self.household_id and self.member.household_id != \
                self.household_id:
            raise ValidationError({"member": _("The member belongs to another household.")})
        if self.status == self.Status.GIVEN and self.given_on is None:
            raise ValidationError({"given_on": _("Say when the support was given.")})
        if self.status == self.Status.PLANNED and self.planned_year is None:
            raise ValidationError({"planned_year": _("Say the year the support is planned "
                                                     "for.")})
        if self.given_on and self.given_on > dt.date.today():
            raise ValidationError({"given_on": _("Support is recorded once given.")})

    def save(self, *args, **kwargs) -> None:
        """The kind's usual project and deprivation, unless the officer chose others."""
        usual = taxonomy().support_kinds.get(self.kind, {})
        self.project = self.project or str(usual.get("project") or "")
        self.addresses = self.addresses or (usual.get("addresses") or "")
        super().save(*args, **kwargs)
