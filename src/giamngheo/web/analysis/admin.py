from django.contrib import admin

from .models import CommuneTarget, SupportPlan, WhatIfRun


@admin.register(WhatIfRun)
class WhatIfRunAdmin(admin.ModelAdmin):
    list_display = ("review", "standard_a", "standard_b", "run_by", "run_at", "changed")
    exclude = ("report",)
    readonly_fields = ("review", "standard_a", "standard_b", "run_by", "inputs_sha256",
                       "households", "changed", "undecided")


@admin.register(SupportPlan)
class SupportPlanAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "state", "created_by", "created_at", "accepted_at")
    exclude = ("plan", "report", "links")
    readonly_fields = ("unit", "year", "request", "state", "created_by", "standard_id",
                       "inputs_sha256", "accepted_by", "accepted_at")


@admin.register(CommuneTarget)
class CommuneTargetAdmin(admin.ModelAdmin):
    list_display = ("plan", "commune", "year", "households_to_lift", "budget")
