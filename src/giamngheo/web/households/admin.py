from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, Member


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("position", "full_name", "relation", "birth_date", "sex", "id_number")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("code", "commune", "hamlet", "area", "status")
    list_filter = ("status", "area", "farm_household")
    search_fields = ("code", "members__full_name")
    inlines = [MemberInline]
