from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, Member


class NeverDelete:
    """Nothing of the registry is deleted: a household leaves with a reason (its status)."""

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(NeverDelete, admin.TabularInline):
    model = Member
    extra = 0
    fields = ("position", "full_name", "relation", "birth_date", "sex", "id_number")


@admin.register(Household)
class HouseholdAdmin(NeverDelete, SimpleHistoryAdmin):
    list_display = ("code", "commune", "hamlet", "area", "status")
    list_filter = ("status", "area", "farm_household")
    search_fields = ("code", "members__full_name")
    inlines = [MemberInline]
