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


class Support(models.Model):
    household = models.ForeignKey(Household, models.PROTECT, related_name="support",
                                  verbose_name=_("household"))
    member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True,
                               related_name="support", verbose_name=_("member"))
    kind = models.CharField(_("kind of support"), max_length=24, choices=kind_choices)
    given_on = models.DateField(_("given on"))
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

    class Meta:
        verbose_name = _("support given")
        verbose_name_plural = _("support given")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["household", "kind"])]

    def clean(self) -> None:
        if self.member_id and self.household_id and self.member.household_id != \
                self.household_id:
            raise ValidationError({"member": _("The member belongs to another household.")})
        if self.given_on and self.given_on > dt.date.today():
            raise ValidationError({"given_on": _("Support is recorded once given.")})

    def save(self, *args, **kwargs) -> None:
        """The kind's usual project and deprivation, unless the officer chose others."""
        usual = taxonomy().support_kinds.get(self.kind, {})
        self.project = self.project or str(usual.get("project") or "")
        self.addresses = self.addresses or (usual.get("addresses") or "")
        super().save(*args, **kwargs)
