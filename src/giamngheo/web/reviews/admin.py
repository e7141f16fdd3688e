from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..households.admin import NeverDelete
from .models import (
    Certificate,
    Decision,
    Posting,
    Review,
    ReviewEntry,
    StepRecord,
    VillageMeeting,
)


class ClosedReviewReadOnly:
    """What a closed review decided (its entries, meetings, posting, decision, certificates)
    is read, never changed or deleted here: the chair reopens the review, with a reason kept
    in its history, and the change is made through the procedure."""

    review_field = "review"

    def _closed(self, obj) -> bool:
        review = obj if isinstance(obj, Review) else getattr(obj, self.review_field, None)
        return review is not None and review.closed

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._closed(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        if obj is not None and self._closed(obj):  # an inline of a closed review
            return False
        if isinstance(self, InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class StepRecordInline(ClosedReviewReadOnly, admin.TabularInline):
    model = StepRecord
    extra = 0
    readonly_fields = ("step", "done_by", "done_at", "note")


class VillageMeetingInline(ClosedReviewReadOnly, admin.TabularInline):
    model = VillageMeeting
    extra = 0


@admin.register(Review)
class ReviewAdmin(ClosedReviewReadOnly, NeverDelete, SimpleHistoryAdmin):
    list_display = ("commune", "kind", "period_year", "reference_date", "standard_id", "step")
    list_filter = ("kind", "step", "period_year")
    readonly_fields = ("step",)  # steps move through the procedure only (advance, reopen)
    inlines = [StepRecordInline, VillageMeetingInline]


@admin.register(ReviewEntry, Posting, Decision)
class DecidedAdmin(ClosedReviewReadOnly, SimpleHistoryAdmin):
    pass


@admin.register(Certificate)
class CertificateAdmin(ClosedReviewReadOnly, NeverDelete, SimpleHistoryAdmin):
    list_display = ("number", "review", "household", "classification", "issued_on",
                    "revoked_on")
    list_filter = ("classification", "revoked_on")
    raw_id_fields = ("household",)
