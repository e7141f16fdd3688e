"""The household review of Decision 24/2021/QĐ-TTg: a campaign per commune whose steps are
states recorded with who and when, the village meetings, the public posting, the commune
chair's decision, and the status of each household that only a closed review gives.

Only decisions move a household: a review closes only when every household it lists is decided
(classified on complete data) or taken off with a reason. The steps of each kind of review and
their order are dated parameters (``rules/procedure.yaml``), and every recorded date agrees with
the others and with today (``Review.date_problems``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ... import procedure
from ...engine.records import classify_many
from ...rules.parameters import default_registry
from ...transitions import DECIDED
from ..households.models import Household
from ..units.models import AdministrativeUnit

# sent with ``commune`` when a review of it closed or reopened: what is derived from closed
# reviews (current statuses, the reports' stored figures) is refreshed
lists_changed = Signal()
# how many household codes an error message names before "…"
NAMED = 8


class Step(models.TextChoices):
    LISTING = "listing", _("Listing the households to review")
    SURVEY = "survey", _("Survey and scoring")
    MEETING = "meeting", _("Village meetings")
    POSTING = "posting", _("Public posting")
    CONSULTATION = "consultation", _("Consultation of the level above")
    DECISION = "decision", _("Recognition by the commune chair")
    CLOSED = "closed", _("Closed")


CONSULTED = {"district": _("the district People's Committee"),
             "province": _("the provincial People's Committee")}


class ReviewError(ValidationError):
    """A step done out of order, twice, or on a closed review; a date that cannot be."""


def _codes(households) -> str:
    codes = list(households[:NAMED + 1])
    return ", ".join(codes[:NAMED]) + (", …" if len(codes) > NAMED else "")


def _today() -> dt.date:
    return timezone.localdate()


def history_reason(text: str) -> str:
    """A reason as the history keeps it (simple-history holds 100 characters)."""
    text = " ".join(str(text).split())
    return text if len(text) <= 100 else text[:99] + "…"


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
        return f"{self.title} — {self.commune.name}"

    @property
    def title(self) -> str:
        """"Annual review 2024 (lists of 2025)", "Monthly review 03/2025": the year the
        review is held in, and what it decides."""
        if self.kind == self.Kind.PERIODIC:
            return _("Annual review %(year)s (lists of %(lists)s)") % {
                "year": self.period_year - 1, "lists": self.period_year}
        return _("Monthly review %(month)s") % {"month": f"{self.reference_date:%m/%Y}"}

    def clean(self) -> None:
        try:
            default_registry().get(self.standard_id)
        except KeyError as exc:
            raise ValidationError({"standard_id": str(exc.args[0])}) from None
        if not (self.reference_date and self.period_year):
            return
        if self.reference_date > _today():
            raise ValidationError({"reference_date": _("The reference date is after today.")})
        if self.commune_id is not None:
            self.commune.require_in_force(self.reference_date, field="commune")
        if self.kind == self.Kind.PERIODIC:
            start, end = procedure.periodic_window(self.period_year - 1)
            if not start <= self.reference_date <= end:
                raise ValidationError({"reference_date": _(
                    "The annual review for the lists of %(next)s runs from %(start)s to "
                    "%(end)s.") % {"next": self.period_year, "start": f"{start:%d/%m/%Y}",
                                   "end": f"{end:%d/%m/%Y}"}})
        else:
            start_day = procedure.rules(self.kind)["start_day"]
            if self.reference_date.day < start_day:
                raise ValidationError({"reference_date": _(
                    "The regular review of a month starts on day %(day)s.") % {
                        "day": start_day}})
            if self.period_year != self.reference_date.year:
                raise ValidationError({"period_year": _(
                    "A regular review changes the lists of its own year.")})

    @classmethod
    def default_standard(cls, reference_date: dt.date, kind: str = "regular",
                         period_year: int | None = None) -> str | None:
        """The national standard a review applies by default: an annual review decides the
        lists of ``period_year``, so the one in force on 1 January of that year (the 2026
        review, lists of 2027: 2027-2030); a monthly review the one in force on its date."""
        day = dt.date(period_year, 1, 1) if kind == cls.Kind.PERIODIC and period_year \
            else reference_date
        standard = default_registry().national_for(day)
        return standard.id if standard else None

    @property
    def steps(self) -> list[Step]:
        """This review's steps in order (the procedure in force on its reference date), then
        closed."""
        return [Step(s) for s in procedure.steps(self.kind, self.reference_date)] + [Step.CLOSED]

    @property
    def consulted(self) -> str:
        return str(CONSULTED[procedure.consultation_level(self.reference_date)])

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

    @property
    def lists_date(self) -> dt.date | None:
        """The date of the lists this review fixes: its decision's."""
        decision = getattr(self, "decision", None)
        return decision.signed_on if decision else None

    def reached(self, step: Step) -> bool:
        """Whether the review is at ``step`` or past it."""
        steps = self.steps
        return step in steps and steps.index(Step(self.step)) >= steps.index(step)

    @transaction.atomic
    def advance(self, user, note: str = "") -> StepRecord:
        """Finish the current step and move to the next; steps cannot be skipped or redone."""
        self.lock()
        if self.closed:
            raise ReviewError(_("A closed review cannot be changed; the chair may reopen it."))
        self._check_step_done()
        steps = self.steps
        following = steps[steps.index(Step(self.step)) + 1]
        if following == Step.CLOSED:
            self._check_can_close()
        record = StepRecord.objects.create(review=self, step=self.step, done_by=user,
                                           note=note)
        self.step = following
        self.save(update_fields=["step"])
        if self.closed:
            from .statuses import refresh_current_status

            refresh_current_status(self.commune)
        return record

    def _check_step_done(self) -> None:
        listed = self.entries.filter(withdrawn_because="")
        if self.step == Step.LISTING:
            if not self.entries.exists():
                raise ReviewError(_("List at least one household first."))
            missing = self.current_lists_missing()
            if missing.exists():
                raise ReviewError(_(
                    "The households on the current poor and near-poor lists are reviewed "
                    "every year; list them first: %(codes)s.") % {
                        "codes": _codes(missing.values_list("code", flat=True))})
        if self.step == Step.SURVEY and listed.filter(classification="").exists():
            raise ReviewError(_("Some listed households are not classified yet."))
        if self.step == Step.MEETING:
            hamlets = set(listed.exclude(household__hamlet=None)
                          .values_list("household__hamlet", flat=True))
            passed = {m.hamlet_id for m in self.meetings.all() if m.passed}
            if not passed or hamlets - passed:
                raise ReviewError(_("Every hamlet needs a village meeting where at least "
                                    "half of the attendees agreed."))
        if self.step == Step.POSTING:
            posting = getattr(self, "posting", None)
            if posting is None:
                raise ReviewError(_("Record the public posting first."))
            if posting.end >= _today():
                raise ReviewError(_("The posting runs until %(day)s: finish this step once "
                                    "it is over.") % {"day": f"{posting.end:%d/%m/%Y}"})
            if self.complaints.filter(rechecked_on=None).exists():
                raise ReviewError(_("Re-check every complaint first."))
        if self.step == Step.DECISION and not hasattr(self, "decision"):
            raise ReviewError(_("Record the chair's decision (number and date) first."))
        problems = self.date_problems()
        if problems:
            raise ReviewError(problems)

    def undecided_entries(self):
        """Listed households without a decision: not classified, incomplete or rejected."""
        return self.entries.filter(withdrawn_because="").exclude(classification__in=DECIDED)

    def departed_entries(self):
        """Listed households that left the commune by the decision (today before it): they
        are taken off the review."""
        on = self.lists_date or _today()
        return self.entries.filter(withdrawn_because="", household__left_on__lte=on).exclude(
            household__status=Household.Status.ACTIVE)

    def _check_can_close(self) -> None:
        """Only decisions move a household: every listed household is decided, or was taken
        off the review with a reason."""
        if not hasattr(self, "decision"):
            raise ReviewError(_("Record the chair's decision (number and date) first."))
        undecided = self.undecided_entries()
        if undecided.exists():
            raise ReviewError(_(
                "%(n)s listed households have no decision (incomplete or rejected data): "
                "%(codes)s. Complete their data and classify them again, or take them off "
                "the review with the reason.") % {
                    "n": undecided.count(),
                    "codes": _codes(undecided.values_list("household__code", flat=True))})
        departed = self.departed_entries()
        if departed.exists():
            raise ReviewError(_(
                "%(n)s listed households no longer live in the commune: %(codes)s. Take "
                "them off the review with the reason.") % {
                    "n": departed.count(),
                    "codes": _codes(departed.values_list("household__code", flat=True))})

    def date_problems(self) -> list[str]:
        """Every recorded date that disagrees with the others or with today."""
        problems = []
        records = [*self.meetings.all(), getattr(self, "posting", None),
                   getattr(self, "decision", None), *self.complaints.all()]
        for record in (r for r in records if r is not None):
            try:
                record.clean()
            except ValidationError as error:
                problems += [f"{record._meta.verbose_name}: {m}" for m in error.messages]
        return problems

    @transaction.atomic
    def reopen(self, user, reason: str) -> None:
        self.lock()
        if not self.closed:
            raise ReviewError(_("Only a closed review can be reopened."))
        if not reason.strip():
            raise ReviewError(_("Give the reason for reopening."))
        StepRecord.objects.create(review=self, step=Step.CLOSED, done_by=user,
                                  note=f"reopened: {reason}")
        self.step = self.steps[-2]
        self._change_reason = history_reason(reason)
        self.save(update_fields=["step"])
        for certificate in self.certificates.filter(revoked_on=None):
            certificate.revoked_on = _today()
            certificate.revoked_because = reason[:200]
            certificate._change_reason = history_reason(reason)
            certificate.save()
        from .statuses import refresh_current_status

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
        households = [h for h in households if h.pk not in existing]
        self._registered_by_reference(households)
        ReviewEntry.objects.bulk_create(
            [ReviewEntry(review=self, household=h, listed_because=reason) for h in households])
        return len(households)

    def _registered_by_reference(self, households) -> None:
        """A household a review surveys lived in the commune on its reference date: one
        entered later (typed in during the review) is registered as of that date, so that its
        dates agree with the status the review gives it (the change is in its history)."""
        later = [h for h in households if h.registered_on > self.reference_date]
        for household in later:
            household.registered_on = self.reference_date
        bulk_update_with_history(later, Household, ["registered_on"], batch_size=500,
                                 default_change_reason=history_reason(_(
                                     "registered as of the reference date of %(review)s, "
                                     "which surveyed it") % {"review": self.title}))

    def current_lists_missing(self):
        """Households on the current poor or near-poor lists that an annual review has not
        listed (none for a regular review, which decides only the requests)."""
        if self.kind != self.Kind.PERIODIC:
            return Household.objects.none()
        return current_lists(self.commune).exclude(
            pk__in=self.entries.values("household_id"))

    @property
    def request_form(self) -> str:
        return Request.Form.FORM_01 if self.kind == self.Kind.PERIODIC else Request.Form.FORM_04

    def pending_requests(self):
        """Requests of the commune's households not yet answered by a review, on the form
        this kind of review answers (No. 01 for the annual review, No. 04 for the monthly),
        filed by its reference date (a later one waits for the next review)."""
        return Request.objects.filter(review=None, form=self.request_form,
                                      household__commune=self.commune,
                                      filed_on__lte=self.reference_date)

    @transaction.atomic
    def list_requests(self) -> int:
        """Step 1: list the households that filed a request; the requests are answered here."""
        requests = list(self.pending_requests().select_related("household"))
        listed = self.list_households([r.household for r in requests],
                                      f"form_{self.request_form}")
        Request.objects.filter(pk__in=[r.pk for r in requests]).update(review=self)
        return listed

    @transaction.atomic
    def list_one(self, household: Household) -> int:
        """Step 1: one household added by its code; its waiting requests of the form this
        review answers are answered here too."""
        reason = ReviewEntry.Listed.ADDED
        requests = self.pending_requests().filter(household=household)
        if requests.exists():
            reason = f"form_{self.request_form}"
        listed = self.list_households([household], reason)
        requests.update(review=self)
        return listed

    @transaction.atomic
    def classify(self) -> dict[str, int]:
        """Survey step: classify the listed households with the batch engine, in bulk."""
        self.lock()
        self._require_step(Step.SURVEY, _("Households are classified in step 2."))
        return self._classify_entries(self.entries.filter(withdrawn_because=""))

    @transaction.atomic
    def classify_undecided(self, user) -> dict[str, int]:
        """After the survey step: classify again the listed households that had no decision
        (their data completed since); a decided household is not touched."""
        self.lock()
        self.ensure_open()
        if not self.reached(Step.SURVEY) or self.step == Step.SURVEY:
            raise ReviewError(_("Households are classified in step 2."))
        counts = self._classify_entries(self.undecided_entries())
        StepRecord.objects.create(review=self, step=self.step, done_by=user, note=str(_(
            "classified again: %(n)s households without a decision") % {
                "n": sum(counts.values())}))
        return counts

    def _classify_entries(self, entries) -> dict[str, int]:
        entries = list(entries.select_related("household__commune")
                       .prefetch_related("household__members"))
        province = self.commune.province_code
        area = self.commune.area_type  # the unit's on the reference date, not today's
        records = [e.household.to_record(self.reference_date, province, area=area)
                   for e in entries]
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
    def withdraw(self, entry: ReviewEntry, reason: str, on: dt.date, note: str, user) -> None:
        """Take a household off the review with the reason: it left the commune (moved away,
        died, merged, split: the registry records it, from ``on``) or could not be surveyed
        (it stays in the commune without a decision, shown apart)."""
        self.lock()
        entry.refresh_from_db()  # as it is now: taken off by someone else meanwhile?
        self.ensure_open()
        if entry.review_id != self.pk:
            raise ReviewError(_("This household is not listed in this review."))
        if entry.withdrawn_because:
            raise ReviewError(_("This household was already taken off the review."))
        if reason not in ReviewEntry.Withdrawn.values:
            raise ReviewError(_("Choose the reason."))
        if on > _today():
            raise ReviewError(_("The date is after today."))
        if reason == ReviewEntry.Withdrawn.NOT_SURVEYED and not note.strip():
            raise ReviewError(_("Say why the household could not be surveyed."))
        household = entry.household
        if reason in DEPARTURES:
            if on < household.registered_on:
                raise ReviewError(_("The household left before it was registered."))
            household.status, household.left_on = reason, on
            household._change_reason = history_reason(_("taken off %(review)s") % {
                "review": self.title})
            household.save(update_fields=["status", "left_on", "updated"])
        entry.withdrawn_because, entry.withdrawn_on = reason, on
        entry.withdrawn_note, entry.withdrawn_by = note.strip(), user
        entry._change_reason = history_reason(note.strip() or reason)
        entry.save()

    @transaction.atomic
    def restore(self, entry: ReviewEntry, user) -> None:
        """Put back a household taken off by mistake (a departure it recorded is undone)."""
        self.lock()
        entry.refresh_from_db()
        self.ensure_open()
        if entry.review_id != self.pk or not entry.withdrawn_because:
            raise ReviewError(_("This household was not taken off the review."))
        household = entry.household
        if entry.withdrawn_because in DEPARTURES and household.status == \
                entry.withdrawn_because and household.left_on == entry.withdrawn_on:
            household.status, household.left_on = Household.Status.ACTIVE, None
            household._change_reason = history_reason(_("put back on %(review)s") % {
                "review": self.title})
            household.save(update_fields=["status", "left_on", "updated"])
        entry.withdrawn_because, entry.withdrawn_on, entry.withdrawn_note = "", None, ""
        entry.withdrawn_by = user
        entry._change_reason = "restored"
        entry.save()

    @transaction.atomic
    def file_complaint(self, household: Household, filed_on: dt.date, filed_by: str,
                       content: str) -> Complaint:
        """A complaint during the posting; a household not yet in the review is added."""
        self.lock()
        self._require_step(Step.POSTING,
                           _("Complaints are received during the public posting."))
        posting = getattr(self, "posting", None)
        complaint = Complaint(review=self, filed_on=filed_on, filed_by=filed_by,
                              content=content)
        if posting is None:
            raise ReviewError(_("Record the public posting first."))
        complaint.clean()
        if not self.entries.filter(household=household).exists():
            self._registered_by_reference([household])
        entry, _created = self.entries.get_or_create(
            household=household, defaults={"listed_because": ReviewEntry.Listed.COMPLAINT})
        complaint.entry, complaint.classification_before = entry, entry.classification
        complaint.save()
        return complaint

    @transaction.atomic
    def recheck(self, complaint: Complaint, user, finding: str, on: dt.date) -> Complaint:
        """The re-check (phúc tra): the household is classified again on its data as
        corrected by the surveyor; the finding and both results are kept."""
        self.lock()
        self._require_step(Step.POSTING, _("Complaints are re-checked during the posting."))
        complaint.refresh_from_db()
        if complaint.rechecked_on is not None:
            raise ReviewError(_("This complaint was already re-checked."))
        complaint.rechecked_on, complaint.rechecked_by = on, user
        try:
            complaint.clean()
        except ValidationError:
            complaint.rechecked_on, complaint.rechecked_by = None, None
            raise
        self._classify_entries(self.entries.filter(pk=complaint.entry_id))
        complaint.entry.refresh_from_db()
        complaint.finding = finding
        complaint.classification_after = complaint.entry.classification
        complaint.save()
        return complaint

    @transaction.atomic
    def record_decision(self, number: str, signed_on: dt.date, signed_by: str, user,
                        reason: str = "") -> Decision:
        """The chair's decision, or its correction (kept in its history) while the review is
        open at or after the decision step: after reopening, a wrong number or date is
        corrected and the certificates printed again carry the corrected one."""
        self.lock()
        self.ensure_open()
        if not self.reached(Step.DECISION):
            raise ReviewError(_("The decision is recorded at the chair's step."))
        decision = getattr(self, "decision", None) or Decision(review=self)
        correcting = decision.pk is not None
        if correcting and not reason.strip():
            raise ReviewError(_("Give the reason for the correction."))
        decision.number, decision.signed_on, decision.signed_by = number, signed_on, signed_by
        decision.full_clean()
        decision._change_reason = history_reason(reason) if correcting else ""
        decision.save()
        if correcting:
            StepRecord.objects.create(review=self, step=self.step, done_by=user, note=str(_(
                "decision corrected: %(reason)s") % {"reason": reason.strip()}))
        return decision

    @transaction.atomic
    def issue_certificates(self, user, on: dt.date) -> int:
        """Certificates for the poor and near-poor households the closed review recognised,
        numbered on from the commune's certificates of the same year; a household whose
        certificate was revoked when the review was reopened gets its number back when its
        classification is unchanged."""
        self.lock()
        if not self.closed:
            raise ReviewError(_("Certificates are issued once the review is closed."))
        have = set(self.certificates.filter(revoked_on=None).values_list("household_id",
                                                                         flat=True))
        entries = self.entries.filter(classification__in=("poor", "near_poor"),
                                      withdrawn_because="") \
            .exclude(household_id__in=have).order_by("household__code")
        earlier = {(c.household_id, c.classification, c.poor_group): c.number
                   for c in self.certificates.exclude(revoked_on=None).order_by("pk")}
        numbers = Certificate.objects.filter(review__commune=self.commune,
                                             review__period_year=self.period_year) \
            .values_list("number", flat=True)
        issued = max((int(n.split("/")[0]) for n in numbers if n.split("/")[0].isdigit()),
                     default=0)
        certificates = []
        for entry in entries:
            number = earlier.get((entry.household_id, entry.classification, entry.poor_group))
            if number is None:
                issued += 1
                number = f"{issued}/{self.period_year}/GCN"
            certificates.append(Certificate(
                review=self, household_id=entry.household_id,
                classification=entry.classification, poor_group=entry.poor_group,
                number=number, issued_on=on, issued_by=user))
        bulk_create_with_history(certificates, Certificate, batch_size=500)
        return len(certificates)


def current_lists(commune: AdministrativeUnit):
    """The households of the commune on its poor and near-poor lists now (the latest
    decisions of the closed reviews), living there."""
    return Household.objects.filter(commune=commune, status=Household.Status.ACTIVE,
                                    current_status__in=("poor", "near_poor"))


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
    """A household in a review: why it was listed, its data and result at the survey, or why
    it was taken off."""

    class Listed(models.TextChoices):
        CURRENT_LIST = "current_list", _("On the current poor or near-poor list")
        FORM_01 = "form_01", _("Request form No. 01")
        FORM_04 = "form_04", _("Request form No. 04")
        # step 1's "every household of the commune", from the registry
        REGISTRY = "registry", _("Listed from the registry (every household of the commune)")
        # one household the officer added by its code
        ADDED = "added", _("Added by the commune")
        COMPLAINT = "complaint", _("Named in a complaint during the posting")

    class Withdrawn(models.TextChoices):
        MOVED = "moved", _("Moved away")
        DIED = "died", _("Dissolved (all members died)")
        MERGED = "merged", _("Merged into another household")
        SPLIT = "split", _("Split into new households")
        NOT_SURVEYED = "not_surveyed", _("Could not be surveyed (stays without a decision)")

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
    withdrawn_because = models.CharField(_("taken off the review because"), max_length=14,
                                         choices=Withdrawn.choices, blank=True, default="")
    withdrawn_on = models.DateField(_("left on"), null=True, blank=True)
    withdrawn_note = models.TextField(_("note"), blank=True, default="")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+")
    history = HistoricalRecords()

    RESULT_FIELDS = ("record", "result", "classification", "poor_group", "deprivations")

    @property
    def decided(self) -> bool:
        return not self.withdrawn_because and self.classification in DECIDED

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


# reasons for taking a household off a review that mean it left the commune
DEPARTURES = (ReviewEntry.Withdrawn.MOVED, ReviewEntry.Withdrawn.DIED,
              ReviewEntry.Withdrawn.MERGED, ReviewEntry.Withdrawn.SPLIT)


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
        ordering = ["held_on", "pk"]

    @property
    def passed(self) -> bool:
        """A result stands when at least half of the attendees agree."""
        return self.attendees > 0 and 2 * self.agreed >= self.attendees

    def clean(self) -> None:
        if self.agreed > self.attendees:
            raise ValidationError({"agreed": _("More people agreed than attended.")})
        if self.attendees == 0:
            raise ValidationError({"attendees": _("A meeting needs attendees.")})
        if self.held_on is None:
            return
        if self.held_on > _today():
            raise ValidationError({"held_on": _("The meeting date is after today.")})
        if self.review_id and self.held_on < self.review.reference_date:
            raise ValidationError({"held_on": _(
                "A meeting discusses the survey: it is held on or after the reference date "
                "(%(day)s).") % {"day": f"{self.review.reference_date:%d/%m/%Y}"}})


class Posting(models.Model):
    review = models.OneToOneField(Review, models.CASCADE, related_name="posting")
    start = models.DateField(_("posted from"))
    end = models.DateField(_("posted until"))
    places = models.CharField(_("places"), max_length=200,
                              default="Trụ sở UBND xã, nhà văn hóa ấp")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public posting")
        verbose_name_plural = _("public postings")

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.end < self.start:
            raise ValidationError({"end": _("The posting ends before it starts.")})
        if self.start > _today():
            raise ValidationError({"start": _("The posting starts after today.")})
        review = self.review if self.review_id else None
        if review is None:
            return
        days = procedure.posting_working_days(review.kind)
        if procedure.working_days(self.start, self.end) < days:
            raise ValidationError({"end": _(
                "The posting lasts at least %(n)s working days.") % {"n": days}})
        if self.start < review.reference_date:
            raise ValidationError({"start": _("The posting starts before the reference "
                                              "date.")})
        held = [m.held_on for m in review.meetings.all()]
        if held and self.start < max(held):
            raise ValidationError({"start": _(
                "The posting shows the village meetings' results: it starts on or after the "
                "last meeting (%(day)s).") % {"day": f"{max(held):%d/%m/%Y}"}})
        decision = getattr(review, "decision", None)
        if review.kind == Review.Kind.REGULAR and decision and self.start < decision.signed_on:
            raise ValidationError({"start": _(
                "A regular review posts the chair's decision: the posting starts on or after "
                "it (%(day)s).") % {"day": f"{decision.signed_on:%d/%m/%Y}"}})


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
        if self.filed_on and self.filed_on > _today():
            raise ValidationError({"filed_on": _("The request is dated after today.")})

    @property
    def answer_due(self) -> dt.date | None:
        """The day a form No. 04 request must be answered by."""
        if self.form != self.Form.FORM_04:
            return None
        return procedure.answer_due(self.filed_on)

    def late(self, on: dt.date) -> bool:
        """Whether the request is past its deadline on ``on`` without an answer by then (the
        decision of the review that took it)."""
        due = self.answer_due
        if due is None:
            return False
        answered = self.review.lists_date if self.review_id and self.review.closed else None
        return (answered or on) > due


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

    def clean(self) -> None:
        if self.filed_on is None:
            return
        posting = getattr(self.review, "posting", None) if self.review_id else None
        if posting and not posting.start <= self.filed_on <= posting.end:
            raise ValidationError({"filed_on": _(
                "Complaints are received during the posting, from %(start)s to %(end)s.") % {
                    "start": f"{posting.start:%d/%m/%Y}", "end": f"{posting.end:%d/%m/%Y}"}})
        if self.filed_on > _today():
            raise ValidationError({"filed_on": _("The complaint is dated after today.")})
        if self.rechecked_on is not None:
            if self.rechecked_on < self.filed_on:
                raise ValidationError({"rechecked_on": _(
                    "The re-check is dated before the complaint.")})
            if self.rechecked_on > _today():
                raise ValidationError({"rechecked_on": _("The re-check is dated after "
                                                         "today.")})


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

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def clean(self) -> None:
        if self.signed_on is None:
            return
        if self.signed_on > _today():
            raise ValidationError({"signed_on": _("The decision is dated after today.")})
        review = self.review if self.review_id else None
        if review is None:
            return
        if self.signed_on < review.reference_date:
            raise ValidationError({"signed_on": _("The decision is dated before the "
                                                  "reference date.")})
        held = [m.held_on for m in review.meetings.all()]
        if held and self.signed_on <= max(held):
            raise ValidationError({"signed_on": _(
                "The decision comes after the village meetings (the last on %(day)s).") % {
                    "day": f"{max(held):%d/%m/%Y}"}})
        posting = getattr(review, "posting", None)
        if review.kind == Review.Kind.PERIODIC and posting and self.signed_on <= posting.end:
            raise ValidationError({"signed_on": _(
                "The decision comes after the public posting (until %(day)s).") % {
                    "day": f"{posting.end:%d/%m/%Y}"}})


class ReviewFigures(models.Model):
    """The figures (``giamngheo.figures``) of a closed annual review, stored so that an area's
    pages, tables, reports and API add up a row per commune instead of reading its households
    (refreshed when a review of the commune closes or reopens: ``reviews.figures``)."""

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
