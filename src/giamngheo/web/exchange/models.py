"""Who imported which workbook and what it did: kept for audits, never the data itself."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                             verbose_name=_("user"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    created = models.PositiveIntegerField(_("households created"))
    updated = models.PositiveIntegerField(_("households updated"))
    unchanged = models.PositiveIntegerField(_("households unchanged"))
    members = models.PositiveIntegerField(_("members created or updated"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at"]
