from django.contrib import admin

from .models import AdministrativeUnit, Succession


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "parent", "valid_from", "valid_until")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    inlines = [SuccessionInline]


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "effective", "kind", "instrument")
    list_filter = ("kind", "effective")
