from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    AssignedTarget,
    EnteredValue,
    Funding,
    LivelihoodModel,
    Participation,
    Task,
)


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ("household",)


@admin.register(AssignedTarget, EnteredValue)
class TargetFigureAdmin(SimpleHistoryAdmin):
    list_display = ("target", "unit", "year", "value")
    list_filter = ("year", "target")


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "name", "content", "unit")
    list_filter = ("content", "project")
    inlines = [FundingInline]


@admin.register(LivelihoodModel)
class LivelihoodModelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "commune", "started_on")
    inlines = [FundingInline, ParticipationInline]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("due_on", "agency", "task", "status", "owner")
    list_filter = ("status",)
