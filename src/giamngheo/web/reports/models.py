"""Figures stored per closed annual review, so that an area's tables and dashboard add up a
row per commune instead of reading its households (refreshed when a review closes or
reopens)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..reviews.models import Review
from ..units.models import AdministrativeUnit


class ReviewFigures(models.Model):
    review = models.OneToOneField(Review, models.CASCADE, primary_key=True,
                                  related_name="figures")
    commune = models.ForeignKey(AdministrativeUnit, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("lists of the year"))
    figures = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("figures of a review")
        verbose_name_plural = _("figures of reviews")
        indexes = [models.Index(fields=["year", "commune"])]
