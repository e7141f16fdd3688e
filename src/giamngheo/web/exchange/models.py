"""Who imported which workbook and what it did: kept for audits, never the data itself."""

import uuid

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


class ImportJob(models.Model):
    """An import started on the web page: checked, then carried out, by the worker process
    (``giamngheo worker``), never by the web processes, with its progress for the page to show.
    The table is the queue: a job waits in its state with no ``worker``, is claimed by one
    worker at a time, and always ends imported, checked or failed with a message."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.CHECKING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)  # counts and problems of the dry run
    record = models.ForeignKey(ImportRecord, models.PROTECT, null=True, related_name="+")
    review = models.ForeignKey("reviews.Review", models.PROTECT, null=True, related_name="+",
                               help_text="ODK/Kobo submissions into this review's survey step")
    created = models.DateTimeField(auto_now_add=True)
    lang = models.CharField(max_length=2, default="vi")  # of the messages of its report
    worker = models.CharField(max_length=100, blank=True,
                              help_text="host:pid of the worker running it; empty: waiting")
    heartbeat = models.DateTimeField(null=True, help_text="last sign of life of its worker")
    attempts = models.PositiveSmallIntegerField(default=0)

    RUNNING = ("checking", "importing")

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state", "worker", "created"])]

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def waiting(self) -> bool:
        return self.running and not self.worker

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
