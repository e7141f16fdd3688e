from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..households.admin import NeverDelete
from .models import Decision, Posting, Review, ReviewEntry, StepRecord, VillageMeeting


class StepRecordInline(admin.TabularInline):
    model = StepRecord
    extra = 0
    readonly_fields = ("step", "done_by", "done_at", "note")


class VillageMeetingInline(admin.TabularInline):
    model = VillageMeeting
    extra = 0


@admin.register(Review)
class ReviewAdmin(NeverDelete, SimpleHistoryAdmin):
    list_display = ("commune", "kind", "period_year", "reference_date", "standard_id", "step")
    list_filter = ("kind", "step", "period_year")
    inlines = [StepRecordInline, VillageMeetingInline]


admin.site.register(ReviewEntry, SimpleHistoryAdmin)
admin.site.register(Posting, SimpleHistoryAdmin)
admin.site.register(Decision, SimpleHistoryAdmin)
