"""The household review of Decision 24/2021/QĐ-TTg: a campaign per commune whose steps are
states recorded with who and when, the village meetings, the public posting, the commune
chair's decision, and the status of each household that only a closed review gives.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from ...engine.records import classify_many
from ...rules.parameters import default_registry, rule_values
from ...transitions import months_left, movement
from ..households.models import Household
from ..units.models import AdministrativeUnit

# sent with ``commune`` when a review of it closed or reopened: what is derived from closed
# reviews (current statuses here, the reports' stored figures) is refreshed
lists_changed = Signal()


def periodic_window(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the periodic review held in ``year`` (rules/procedure.yaml)."""
    window = rule_values("procedure.yaml", "periodic_review")
    return tuple(dt.date.fromisoformat(f"{year}-{window[k]}")
                 for k in ("window_start", "window_end"))


class Step(models.TextChoices):
    LISTING = "listing", _("1. Listing the households to review")
    SURVEY = "survey", _("2. Survey and scoring")
    MEETING = "meeting", _("3. Village meetings")
    POSTING = "posting", _("4. Public posting")
    CONSULTATION = "consultation", _("5. Consultation of the level above")
    DECISION = "decision", _("6. Recognition by the commune chair")
    CLOSED = "closed", _("Closed")


STEPS = list(Step)


class ReviewError(ValidationError):
    """A step done out of order, twice, or on a closed review."""


class Review(models.Model):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic (annual) review")
        REGULAR = "regular", _("Regular (monthly) review")

    commune = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="reviews",
                                limit_choices_to={"level": "commune"}, verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_year = models.PositiveSmallIntegerField(
        _("lists for the year"), help_text=_("The annual review of late 2024 fixes the lists "
                                             "of 2025."))
    reference_date = models.DateField(_("reference date"))
    standard_id = models.CharField(_("poverty standard"), max_length=40)
    step = models.CharField(_("current step"), max_length=14, choices=Step.choices,
                            default=Step.LISTING)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                  related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reference_date"]
        constraints = [models.UniqueConstraint(
            fields=["commune", "period_year"], condition=models.Q(kind="periodic"),
            name="one_periodic_review_a_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_year} — {self.commune.name}"

    def clean(self) -> None:
        try:
            default_registry().get(self.standard_id)
        except KeyError as exc:
            raise ValidationError({"standard_id": str(exc.args[0])}) from None
        if not (self.reference_date and self.period_year):
            return
        if self.kind == self.Kind.PERIODIC:
            start, end = periodic_window(self.period_year - 1)
            if not start <= self.reference_date <= end:
                raise ValidationError({"reference_date": _(
                    "The annual review for the lists of %(next)s runs from %(start)s to "
                    "%(end)s.") % {"next": self.period_year, "start": f"{start:%d/%m/%Y}",
                                   "end": f"{end:%d/%m/%Y}"}})
        else:
            start_day = rule_values("procedure.yaml", "regular_review")["start_day"]
            if self.reference_date.day < start_day:
                raise ValidationError({"reference_date": _(
                    "The regular review of a month starts on day %(day)s.") % {
                        "day": start_day}})
            if self.period_year != self.reference_date.year:
                raise ValidationError({"period_year": _(
                    "A regular review changes the lists of its own year.")})

    @classmethod
    def default_standard(cls, reference_date: dt.date) -> str | None:
        standard = default_registry().national_for(reference_date)
        return standard.id if standard else None

    @property
    def closed(self) -> bool:
        return self.step == Step.CLOSED

    def lock(self) -> None:
        """Take the review's row until the transaction ends and read its step again: a change
        is decided on the review as it is now, not as the page showed it, and of two people
        acting at once the second is told (on SQLite the transaction itself waits its turn:
        settings, ``transaction_mode``)."""
        step = Review.objects.select_for_update().values_list("step", flat=True).get(pk=self.pk)
        if step != self.step:
            raise ReviewError(_("Someone else changed this review meanwhile: it is now at "
                                "%(step)s. Nothing of yours was done; reload the page.") % {
                                    "step": Step(step).label})

    @transaction.atomic
    def advance(self, user, note: str = "") -> StepRecord:
        """Finish the current step and move to the next; steps cannot be skipped or redone."""
        self.lock()
        if self.closed:
            raise ReviewError(_("A closed review cannot be changed; the chair may reopen it."))
        self._check_step_done()
        record = StepRecord.objects.create(review=self, step=self.step, done_by=user,
                                           note=note)
        self.step = STEPS[STEPS.index(Step(self.step)) + 1]
        self.save(update_fields=["step"])
        if self.closed:
            refresh_current_status(self.commune)
        return record

    def _check_step_done(self) -> None:
        if self.step == Step.LISTING and not self.entries.exists():
            raise ReviewError(_("List at least one household first."))
        if self.step == Step.SURVEY and self.entries.filter(classification="").exists():
            raise ReviewError(_("Some listed households are not classified yet."))
        if self.step == Step.MEETING:
            hamlets = set(self.entries.exclude(household__hamlet=None)
                          .values_list("household__hamlet", flat=True))
            passed = {m.hamlet_id for m in self.meetings.all() if m.passed}
            if not passed or hamlets - passed:
                raise ReviewError(_("Every hamlet needs a village meeting where at least "
                                    "half of the attendees agreed."))
        if self.step == Step.POSTING and not hasattr(self, "posting"):
            raise ReviewError(_("Record the public posting first."))
        if self.step == Step.POSTING and self.complaints.filter(rechecked_on=None).exists():
            raise ReviewError(_("Re-check every complaint first."))
        if self.step == Step.DECISION and not hasattr(self, "decision"):
            raise ReviewError(_("Record the chair's decision (number and date) first."))

    @transaction.atomic
    def reopen(self, user, reason: str) -> None:
        self.lock()
        if not self.closed:
            raise ReviewError(_("Only a closed review can be reopened."))
        if not reason.strip():
            raise ReviewError(_("Give the reason for reopening."))
        StepRecord.objects.create(review=self, step=Step.CLOSED, done_by=user,
                                  note=f"reopened: {reason}")
        self.step = Step.DECISION
        self._change_reason = reason
        self.save(update_fields=["step"])
        for certificate in self.certificates.filter(revoked_on=None):
            certificate.revoked_on = timezone.localdate()
            certificate.revoked_because = reason
            certificate._change_reason = reason
            certificate.save()
        refresh_current_status(self.commune)

    def ensure_open(self) -> None:
        if self.closed:
            raise ReviewError(_("A closed review cannot be changed; the chair may reopen it."))

    def _require_step(self, step: Step, message) -> None:
        self.ensure_open()
        if self.step != step:
            raise ReviewError(message)

    @transaction.atomic
    def list_households(self, households, reason: str) -> int:
        """Add households to the review (step 1); returns how many were new."""
        self.lock()
        self._require_step(Step.LISTING, _("Households are listed in step 1 only."))
        existing = set(self.entries.values_list("household_id", flat=True))
        new = [ReviewEntry(review=self, household=h, listed_because=reason)
               for h in households if h.pk not in existing]
        ReviewEntry.objects.bulk_create(new)
        return len(new)

    @property
    def request_form(self) -> str:
        return Request.Form.FORM_01 if self.kind == self.Kind.PERIODIC else Request.Form.FORM_04

    def pending_requests(self):
        """Requests of the commune's households not yet answered by a review, on the form
        this kind of review answers (No. 01 for the annual review, No. 04 for the monthly)."""
        return Request.objects.filter(review=None, form=self.request_form,
                                      household__commune=self.commune)

    @transaction.atomic
    def list_requests(self) -> int:
        """Step 1: list the households that filed a request; the requests are answered here."""
        requests = list(self.pending_requests().select_related("household"))
        listed = self.list_households([r.household for r in requests],
                                      f"form_{self.request_form}")
        Request.objects.filter(pk__in=[r.pk for r in requests]).update(review=self)
        return listed

    @transaction.atomic
    def classify(self) -> dict[str, int]:
        """Survey step: classify the listed households with the batch engine, in bulk."""
        self.lock()
        self._require_step(Step.SURVEY, _("Households are classified in step 2."))
        return self._classify_entries(self.entries.all())

    def _classify_entries(self, entries) -> dict[str, int]:
        entries = list(entries.select_related("household__commune")
                       .prefetch_related("household__members"))
        province = self.commune.province_code
        records = [e.household.to_record(self.reference_date, province) for e in entries]
        results = classify_many(records, standard_id=self.standard_id)
        counts: dict[str, int] = {}
        for entry, record, result in zip(entries, records, results, strict=True):
            entry.record, entry.result = record, result
            entry.classification = result.get("classification", "rejected")
            entry.poor_group = result.get("poor_group") or ""
            entry.deprivations = deprivation_key(result.get("deprivations", {}))
            counts[entry.classification] = counts.get(entry.classification, 0) + 1
        ReviewEntry.write_results(entries)
        return counts

    @transaction.atomic
    def file_complaint(self, household: Household, filed_on: dt.date, filed_by: str,
                       content: str) -> Complaint:
        """A complaint during the posting; a household not yet in the review is added."""
        self.lock()
        self._require_step(Step.POSTING,
                           _("Complaints are received during the public posting."))
        entry, _created = self.entries.get_or_create(
            household=household, defaults={"listed_because": ReviewEntry.Listed.COMPLAINT})
        return Complaint.objects.create(review=self, entry=entry, filed_on=filed_on,
                                        filed_by=filed_by, content=content,
                                        classification_before=entry.classification)

    @transaction.atomic
    def recheck(self, complaint: Complaint, user, finding: str, on: dt.date) -> Complaint:
        """The re-check (phúc tra): the household is classified again on its data as
        corrected by the surveyor; the finding and both results are kept."""
        self.lock()
        self._require_step(Step.POSTING, _("Complaints are re-checked during the posting."))
        complaint.refresh_from_db()
        if complaint.rechecked_on is not None:
            raise ReviewError(_("This complaint was already re-checked."))
        self._classify_entries(self.entries.filter(pk=complaint.entry_id))
        complaint.entry.refresh_from_db()
        complaint.rechecked_on, complaint.rechecked_by = on, user
        complaint.finding = finding
        complaint.classification_after = complaint.entry.classification
        complaint.save()
        return complaint

    @transaction.atomic
    def issue_certificates(self, user, on: dt.date) -> int:
        """Certificates for the poor and near-poor households the closed review recognised,
        numbered on from the commune's certificates of the same year."""
        self.lock()
        if not self.closed:
            raise ReviewError(_("Certificates are issued once the review is closed."))
        have = set(self.certificates.filter(revoked_on=None).values_list("household_id",
                                                                         flat=True))
        entries = self.entries.filter(classification__in=("poor", "near_poor")) \
            .exclude(household_id__in=have).order_by("household__code")
        issued = Certificate.objects.filter(review__commune=self.commune,
                                            review__period_year=self.period_year).count()
        certificates = [
            Certificate(review=self, household_id=e.household_id,
                        classification=e.classification, poor_group=e.poor_group,
                        number=f"{issued + n}/{self.period_year}/GCN", issued_on=on,
                        issued_by=user)
            for n, e in enumerate(entries, start=1)]
        bulk_create_with_history(certificates, Certificate, batch_size=500)
        return len(certificates)


def deprivation_key(deprivations: dict[str, object]) -> str:
    """" water telecom ": the deprived indicators between spaces, so that a filter on one
    indicator is a ``contains " water "`` that works on every database."""
    deprived = [code for code, value in deprivations.items() if value is True]
    return f" {' '.join(deprived)} " if deprived else ""


class StepRecord(models.Model):
    review = models.ForeignKey(Review, models.CASCADE, related_name="step_records")
    step = models.CharField(_("step"), max_length=14, choices=Step.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                verbose_name=_("done by"))
    done_at = models.DateTimeField(_("done at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["done_at", "pk"]


class ReviewEntry(models.Model):
    """A household in a review: why it was listed, its data and result at the survey."""

    class Listed(models.TextChoices):
        CURRENT_LIST = "current_list", _("On the current poor or near-poor list")
        FORM_01 = "form_01", _("Request form No. 01")
        FORM_04 = "form_04", _("Request form No. 04")
        ADDED = "added", _("Added by the commune")
        COMPLAINT = "complaint", _("Named in a complaint during the posting")

    review = models.ForeignKey(Review, models.CASCADE, related_name="entries")
    household = models.ForeignKey(Household, models.PROTECT, related_name="review_entries")
    listed_because = models.CharField(_("listed because"), max_length=14,
                                      choices=Listed.choices)
    record = models.JSONField(_("household data at the survey"), null=True, blank=True)
    result = models.JSONField(_("classification result"), null=True, blank=True)
    classification = models.CharField(_("classification"), max_length=12, blank=True)
    poor_group = models.CharField(_("group"), max_length=1, blank=True)
    deprivations = models.CharField(_("deprivations"), max_length=300, blank=True,
                                    help_text=_("The indicators deprived, as a search key."))
    history = HistoricalRecords()

    RESULT_FIELDS = ("record", "result", "classification", "poor_group", "deprivations")

    @classmethod
    def write_results(cls, entries: list[ReviewEntry]) -> None:
        """Store the results of many entries with one parameterised UPDATE run for all rows:
        Django's bulk_update builds a CASE per row and field, 7 s of 9 for 4,000 households."""
        fields = [cls._meta.get_field(name) for name in cls.RESULT_FIELDS]
        quote = connection.ops.quote_name
        sql = (f"UPDATE {quote(cls._meta.db_table)} SET "
               + ", ".join(f"{quote(f.column)} = %s" for f in fields)
               + f" WHERE {quote(cls._meta.pk.column)} = %s")
        rows = [[f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields]
                + [e.pk] for e in entries]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    class Meta:
        verbose_name = _("household in a review")
        verbose_name_plural = _("households in a review")
        constraints = [models.UniqueConstraint(fields=["review", "household"],
                                               name="household_once_per_review")]


class VillageMeeting(models.Model):
    review = models.ForeignKey(Review, models.CASCADE, related_name="meetings")
    hamlet = models.ForeignKey(AdministrativeUnit, models.PROTECT, related_name="+",
                               limit_choices_to={"level": "hamlet"}, verbose_name=_("hamlet"))
    held_on = models.DateField(_("held on"))
    chaired_by = models.CharField(_("chaired by"), max_length=120)
    attendees = models.PositiveIntegerField(_("attendees"))
    agreed = models.PositiveIntegerField(_("attendees who agreed"))
    minutes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")

    @property
    def passed(self) -> bool:
        """A result stands when at least half of the attendees agree."""
        return self.attendees > 0 and 2 * self.agreed >= self.attendees

    def clean(self) -> None:
        if self.agreed > self.attendees:
            raise ValidationError({"agreed": _("More people agreed than attended.")})
        if self.attendees == 0:
            raise ValidationError({"attendees": _("A meeting needs attendees.")})


class Posting(models.Model):
    review = models.OneToOneField(Review, models.CASCADE, related_name="posting")
    start = models.DateField(_("posted from"))
    end = models.DateField(_("posted until"))
    places = models.CharField(_("places"), max_length=200,
                              default="Trụ sở UBND xã, nhà văn hóa ấp")
    history = HistoricalRecords()

    def clean(self) -> None:
        if self.end < self.start:
            raise ValidationError({"end": _("The posting ends before it starts.")})


class Request(models.Model):
    """A household's written request (Decision 24/2021): form No. 01 asks for the annual
    review (also for recognition as an average-living-standard farm household), form No. 04
    for the monthly regular review. A review that lists the household answers it."""

    class Form(models.TextChoices):
        FORM_01 = "01", _("Form No. 01 (annual review)")
        FORM_04 = "04", _("Form No. 04 (regular review)")

    class Asks(models.TextChoices):
        RECOGNITION = "recognition", _("Recognition as a poor or near-poor household")
        ESCAPE = "escape", _("Recognition as having escaped poverty or near-poverty")
        AVERAGE_FARM = "average_farm", _(
            "Recognition as a farm household of average living standard")

    household = models.ForeignKey(Household, models.PROTECT, related_name="requests",
                                  verbose_name=_("household"))
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    asks = models.CharField(_("asks for"), max_length=12, choices=Asks.choices)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.CharField(_("filed by"), max_length=120,
                                help_text=_("The person who signed the request."))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+", verbose_name=_("received by"))
    note = models.TextField(_("note"), blank=True)
    review = models.ForeignKey(Review, models.PROTECT, null=True, blank=True, editable=False,
                               related_name="requests", verbose_name=_("answered in"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-filed_on", "-pk"]

    def clean(self) -> None:
        if self.form == self.Form.FORM_04 and self.asks == self.Asks.AVERAGE_FARM:
            raise ValidationError({"asks": _(
                "Average-living-standard requests are made on form No. 01.")})

    @property
    def answer_due(self) -> dt.date | None:
        """The day a form No. 04 request must be answered by."""
        if self.form != self.Form.FORM_04:
            return None
        days = rule_values("procedure.yaml", "regular_review")["answer_within_days"]
        return self.filed_on + dt.timedelta(days=days)


class Complaint(models.Model):
    """A complaint during the public posting and its re-check (phúc tra)."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="complaints")
    entry = models.ForeignKey(ReviewEntry, models.PROTECT, related_name="complaints",
                              verbose_name=_("household"))
    filed_on = models.DateField(_("filed on"))
    filed_by = models.CharField(_("filed by"), max_length=120)
    content = models.TextField(_("complaint"))
    classification_before = models.CharField(_("classification before"), max_length=12,
                                             blank=True)
    rechecked_on = models.DateField(_("re-checked on"), null=True, blank=True)
    rechecked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("re-checked by"))
    finding = models.TextField(_("finding of the re-check"), blank=True)
    classification_after = models.CharField(_("classification after"), max_length=12,
                                            blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["filed_on", "pk"]


class Certificate(models.Model):
    """The certificate of a poor or near-poor household for the year of the review; revoked,
    never deleted, when the review is reopened."""

    review = models.ForeignKey(Review, models.PROTECT, related_name="certificates")
    household = models.ForeignKey(Household, models.PROTECT, related_name="certificates")
    classification = models.CharField(_("classification"), max_length=12)
    poor_group = models.CharField(_("group"), max_length=1, blank=True)
    number = models.CharField(_("certificate number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_because = models.CharField(_("revoked because"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["review", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["review", "household"], condition=models.Q(revoked_on=None),
            name="one_valid_certificate_per_review")]


class Decision(models.Model):
    review = models.OneToOneField(Review, models.CASCADE, related_name="decision")
    number = models.CharField(_("decision number"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by"), max_length=120)
    history = HistoricalRecords()


def statuses(review: Review) -> dict[int, str]:
    """household id → the classification a closed review decided. Households of the commune
    that an annual review did not list were not poor nor near-poor: ``not_poor``; a regular
    review decides only the households it listed."""
    if not review.closed:
        raise ReviewError(_("Only a closed review gives a household's status."))
    listed = dict(review.entries.values_list("household_id", "classification"))
    if review.kind == Review.Kind.REGULAR:
        return listed
    others = Household.objects.filter(commune=review.commune,
                                      registered_on__lte=review.reference_date) \
        .exclude(pk__in=review.entries.values("household_id")).values_list("pk", flat=True)
    return {**dict.fromkeys(others, "not_poor"), **listed}


def closed_periodic_reviews(commune: AdministrativeUnit) -> list[Review]:
    return list(Review.objects.filter(commune=commune, kind=Review.Kind.PERIODIC,
                                      step=Step.CLOSED).order_by("period_year"))


def movements(previous: Review, current: Review) -> dict[int, str]:
    """household id → its movement between two closed reviews (standards.md §6)."""
    before, after = statuses(previous), statuses(current)
    earlier_poor: set[int] = set()
    for review in closed_periodic_reviews(current.commune):
        if review.period_year < previous.period_year:
            earlier_poor |= {pk for pk, c in statuses(review).items() if c == "poor"}
    left = set(Household.objects.filter(pk__in=before.keys() - after.keys())
               .exclude(status=Household.Status.ACTIVE).values_list("pk", flat=True))
    out = {}
    for pk in before.keys() | after.keys():
        out[pk] = movement(before.get(pk), None if pk in left else after.get(pk, "not_poor"),
                           was_poor_before=pk in earlier_poor)
    return out


def newly_escaped(review: Review, on: dt.date) -> list[tuple[Household, int]]:
    """Households that escaped poverty in ``review`` (its decision date) with the months of
    continued benefits left on ``on``."""
    reviews = closed_periodic_reviews(review.commune)
    previous = next((r for r in reversed(reviews) if r.period_year < review.period_year), None)
    if previous is None:
        return []
    escaped = [pk for pk, m in movements(previous, review).items()
               if m in ("escaped_poverty", "poor_to_near_poor")]
    since = review.decision.signed_on
    return [(h, months_left(since, on)) for h in Household.objects.filter(pk__in=escaped)]


def refresh_current_status(commune: AdministrativeUnit) -> None:
    """Write on each household of the commune its status from the closed reviews: the latest
    annual review decides every household registered by its reference date, the regular
    reviews after it the households they listed. One UPDATE per review, set-based."""
    households = Household.objects.filter(commune=commune)
    reviews = list(Review.objects.filter(commune=commune, step=Step.CLOSED)
                   .order_by("reference_date", "pk"))
    periodic = [n for n, r in enumerate(reviews) if r.kind == Review.Kind.PERIODIC]
    if not periodic:
        households.update(current_status="", current_deprivations="", status_year=None)
    for review in reviews[periodic[-1] if periodic else 0:]:
        entry = review.entries.filter(household=OuterRef("pk"))
        decided = Subquery(entry.values("classification")[:1])
        deprived = Subquery(entry.values("deprivations")[:1])
        if review.kind == Review.Kind.PERIODIC:
            registered = Q(registered_on__lte=review.reference_date)
            households.update(
                current_status=Case(When(registered, then=Coalesce(decided, Value("not_poor"))),
                                    default=Value("")),
                current_deprivations=Coalesce(deprived, Value("")),
                status_year=Case(When(registered, then=Value(review.period_year)),
                                 default=None))
        else:
            households.filter(pk__in=review.entries.values("household_id")).update(
                current_status=decided, current_deprivations=deprived,
                status_year=review.period_year)
    lists_changed.send(sender=Review, commune=commune)
