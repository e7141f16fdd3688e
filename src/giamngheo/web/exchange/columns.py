"""The columns of the household workbook: Vietnamese headers (the workbook's contract), the
field each fills and how its cells are read. A record field's column is derived from its
declaration (``record.py``: label, type, vocabulary, required, flag); the registry's own
columns (commune, hamlet, address, names, ...) are written here. Enumerations are written with
their Vietnamese labels (the codes are understood too)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import translation

from ... import cells, record
from ...text import fold
from ..households.models import PovertyCause


@dataclass(frozen=True)
class Column:
    key: str  # the model field it fills
    header: str
    kind: str  # text, int, decimal, date, bool, choice, choices
    required: bool = False
    note: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    flag: bool = False  # yes/no written only when yes (the record's exception flags)

    def format(self, value: Any) -> str | int | float:
        """The cell for ``value``, as the template writes it (what ``parse`` reads back)."""
        if value is None or value == [] or value == "":
            return ""
        if self.kind == "bool":
            return "Có" if value else ("" if self.flag else "Không")
        if self.kind == "choice":
            return self.choices.get(value, value)
        if self.kind == "choices":
            return "; ".join(self.choices.get(v, v) for v in value)
        if self.kind == "date":
            return value.strftime("%d/%m/%Y")
        if self.kind in ("int", "decimal"):
            return int(value) if self.kind == "int" else float(value)
        return str(value)

    def __post_init__(self) -> None:
        index = cells.choice_index(self.choices)
        parsers: dict[str, Callable[[str], Any]] = {
            "text": cells.parse_text, "int": cells.parse_int,
            # as the model holds it: 45,7 read back equals the stored Decimal("45.7")
            "decimal": lambda c: Decimal(str(cells.parse_decimal(c))),
            "date": cells.parse_date, "bool": cells.parse_bool,
            "choice": lambda c: cells.parse_choice(c, self.choices, index),
            "choices": lambda c: cells.parse_choices(c, self.choices, index),
        }
        object.__setattr__(self, "parse", parsers[self.kind])


KINDS = {"enum": "choice", "enum_list": "choices", "bool": "bool", "integer": "int",
         "number": "decimal", "date": "date", "string": "text"}


def declared_column(path: str, key: str | None = None, note: str | None = None,
                    required: bool | None = None) -> Column:
    """The column of a record field as the core declares it (``record.py``): its Vietnamese
    label as the header, its type, its vocabulary's Vietnamese labels as the choices, whether
    it is an exception flag. ``key``: the registry's field it fills (the field's name, or its
    column for an income); ``note``: the hint under the header (the field's help unless
    given); ``required``: as the workbook needs it (as declared unless given: the registry
    fills some fields, e.g. the area from its commune). ``dwelling`` is the dwelling's
    presence."""
    f = record.DWELLING_PRESENCE if path == "dwelling" else record.field(path)
    return Column(key or (f.column if f.group == "income" else f.name), f.label["vi"],
                  KINDS[f.kind], required=f.required if required is None else required,
                  note=f.help.get("vi", "") if note is None else note,
                  choices={code: f.vocabulary.label(code, "vi") for code in f.codes}
                  if f.vocabulary else {}, flag=f.flag)


SEVERAL = "Nhiều {}: cách nhau dấu chấm phẩy (;)"


@cache
def household_columns() -> tuple[Column, ...]:
    """The household sheet: the record's fields as declared, the registry's own (commune,
    hamlet, address, ...) written here."""
    return (
        declared_column("id", key="code", note=""),
        Column("commune", "Mã xã", "text", required=True, note="Mã đơn vị hành chính (GSO)"),
        Column("hamlet", "Ấp, khu phố", "text", note="Tên ấp/khu phố của xã"),
        declared_column("area", note="Để trống: theo loại xã/phường", required=False),
        Column("address", "Địa chỉ", "text"),
        Column("phone", "Số điện thoại", "text"),
        Column("farm_household", "Hộ làm nông, lâm, ngư, diêm nghiệp", "bool", flag=True),
        Column("poverty_causes", "Nguyên nhân nghèo", "choices",
               choices=_choices_of(PovertyCause), note=SEVERAL.format("nguyên nhân")),
        declared_column("income.monthly_per_capita", note=""),
        declared_column("income.annual_total", note=""),
        declared_column("income.b1_score", note=""),
        declared_column("dwelling", key="has_dwelling", note=""),
        declared_column("dwelling.walls", note=""),
        declared_column("dwelling.frame", note=""),
        declared_column("dwelling.roof", note=""),
        declared_column("dwelling.floor_area_m2", note=""),
        declared_column("dwelling.water_source", note=""),
        declared_column("dwelling.latrine", note=""),
        declared_column("dwelling.waste_disposal"),
        declared_column("information.uses_internet", note=""),
        declared_column("information.devices", note=SEVERAL.format("thiết bị")),
        Column("registered_on", "Ngày vào sổ", "date", note="dd/mm/yyyy"),
        Column("notes", "Ghi chú", "text"),
    )


@cache
def member_columns() -> tuple[Column, ...]:
    """The member sheet: the household's code, the registry's own (order, name, ID number),
    then the record's member fields as declared."""
    return (
        declared_column("id", key="household", note=""),
        Column("position", "STT trong hộ", "int", required=True),
        Column("full_name", "Họ và tên", "text", required=True),
        Column("id_number", "Số CCCD", "text", note="12 chữ số"),
        declared_column("members.relation", note=""),
        declared_column("members.birth_date", note="dd/mm/yyyy"),
        *(declared_column(f"members.{name}", note="") for name in (
            "sex", "ethnicity", "employment", "health_insurance", "education", "in_education",
            "school_level", "disability", "unable_to_work", "social_allowance",
            "workplace_trained", "stunted", "underweight")),
    )


def _choices_of(text_choices) -> dict[str, str]:
    with translation.override("vi"):
        return {code: str(text) for code, text in text_choices.choices}


def match_headers(headers: list[str], columns: tuple[Column, ...]) -> dict[int, Column]:
    """Sheet column index → Column, by header (without tone marks) or field name."""
    by_name = {fold(c.header): c for c in columns} | {fold(c.key): c for c in columns}
    return {i: by_name[fold(h)] for i, h in enumerate(headers) if h and fold(h) in by_name}
