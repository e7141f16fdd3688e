"""Exporting households with their members to a workbook of the import template's shape (so
that an export can be corrected and imported back), in constant memory: rows are written as
they are read, a few thousand households at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from ..households.models import Member
from .columns import household_columns, member_columns

CHUNK = 2000


def _household_values(household) -> dict:
    values = {f: getattr(household, f) for f in (
        "code", "area", "address", "phone", "farm_household", "poverty_causes",
        "income_monthly_per_capita", "income_annual_total", "income_b1_score", "has_dwelling",
        "walls", "frame", "roof", "floor_area_m2", "water_source", "latrine", "uses_internet",
        "devices", "registered_on", "notes")}
    return values | {"commune": household.commune.code,
                     "hamlet": household.hamlet.name if household.hamlet else ""}


def write_households(households, path: Path, show_id_numbers: bool,
                     progress: Callable[[int], None] | None = None) -> int:
    """Write the households of a queryset and their present members; returns how many."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2E6D9", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheets = {}
    for name, columns in (("Hộ gia đình", household_columns()),
                          ("Thành viên", member_columns())):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [c.header for c in columns], bold)
        sheet.set_column(0, len(columns) - 1, 18)
        sheets[name] = (sheet, columns, [1])
    count = 0
    chunk: list = []

    def flush() -> None:
        members: dict[int, list[Member]] = {}
        for m in Member.objects.filter(household_id__in=[h.pk for h in chunk],
                                       left_on=None).order_by("household_id", "position"):
            members.setdefault(m.household_id, []).append(m)
        for household in chunk:
            _write(sheets["Hộ gia đình"], _household_values(household), text)
            for member in members.get(household.pk, []):
                values = {c.key: getattr(member, c.key) for c in member_columns()
                          if c.key != "household"}
                if not show_id_numbers:
                    values["id_number"] = member.masked_id_number
                _write(sheets["Thành viên"], values | {"household": household.code}, text)
        chunk.clear()

    for household in households.select_related("commune", "hamlet").order_by("code") \
            .iterator(chunk_size=CHUNK):
        chunk.append(household)
        count += 1
        if len(chunk) == CHUNK:
            flush()
            if progress:
                progress(count)
    flush()
    book.close()
    return count


def _write(target, values: dict, text) -> None:
    sheet, columns, row = target
    for index, column in enumerate(columns):
        value = column.format(values.get(column.key))
        if column.kind == "text":
            sheet.write_string(row[0], index, value, text)
        else:
            sheet.write(row[0], index, value)
    row[0] += 1
