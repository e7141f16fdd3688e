from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Support


@admin.register(Support)
class SupportAdmin(SimpleHistoryAdmin):
    list_display = ("given_on", "household", "kind", "amount", "source")
    list_filter = ("kind", "source")
    raw_id_fields = ("household", "member", "livelihood_model")
