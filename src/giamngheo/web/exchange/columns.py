"""The columns of the household workbook: Vietnamese headers (the workbook's contract), the
field each fills and how its cells are read. Enumerations are written with their Vietnamese
labels (the codes are understood too)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import translation

from ... import cells, record
from ... import household as contract
from ...messages import label
from ...text import fold
from ..households.models import Household, Member, PovertyCause


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


def declared_column(path: str) -> Column:
    """The column of a record field as the core declares it (``record.py``): its Vietnamese
    label as the header, its vocabulary's Vietnamese labels, its help as the note."""
    f = record.field(path)
    kinds = {"enum": "choice", "enum_list": "choices", "bool": "bool", "integer": "int",
             "number": "decimal", "date": "date", "string": "text"}
    return Column(f.name, f.label["vi"], kinds[f.kind], note=f.help.get("vi", ""),
                  choices={code: f.vocabulary.label(code, "vi") for code in f.codes}
                  if f.vocabulary else {}, flag=f.flag)


def _choices(model, name: str) -> dict[str, str]:
    with translation.override("vi"):
        return {code: str(text) for code, text in model._meta.get_field(name).choices}


def _vi(values: tuple[str, ...], name: str | None = None) -> dict[str, str]:
    return {v: label(v, "vi", name) for v in values}


@cache
def household_columns() -> tuple[Column, ...]:
    return (
        Column("code", "Mã hộ", "text", required=True),
        Column("commune", "Mã xã", "text", required=True, note="Mã đơn vị hành chính (GSO)"),
        Column("hamlet", "Ấp, khu phố", "text", note="Tên ấp/khu phố của xã"),
        Column("area", "Khu vực", "choice", choices=_choices(Household, "area"),
               note="Để trống: theo loại xã/phường"),
        Column("address", "Địa chỉ", "text"),
        Column("phone", "Số điện thoại", "text"),
        Column("farm_household", "Hộ làm nông, lâm, ngư, diêm nghiệp", "bool", flag=True),
        Column("poverty_causes", "Nguyên nhân nghèo", "choices",
               choices=_choices_of(PovertyCause),
               note="Nhiều nguyên nhân: cách nhau dấu chấm phẩy (;)"),
        Column("income_monthly_per_capita", "Thu nhập bình quân người/tháng (đồng)", "int"),
        Column("income_annual_total", "Tổng thu nhập 12 tháng của hộ (đồng)", "int"),
        Column("income_b1_score", "Điểm B1", "decimal"),
        Column("has_dwelling", "Có nhà ở", "bool"),
        Column("walls", "Tường nhà", "choice", choices=_choices(Household, "walls")),
        Column("frame", "Khung nhà", "choice", choices=_choices(Household, "frame")),
        Column("roof", "Mái nhà", "choice", choices=_choices(Household, "roof")),
        Column("floor_area_m2", "Diện tích nhà ở (m²)", "decimal"),
        Column("water_source", "Nguồn nước sinh hoạt", "choice",
               choices=_choices(Household, "water_source")),
        Column("latrine", "Nhà tiêu", "choice", choices=_choices(Household, "latrine")),
        declared_column("dwelling.waste_disposal"),
        Column("uses_internet", "Có thành viên sử dụng internet", "bool"),
        Column("devices", "Thiết bị tiếp cận thông tin", "choices", choices=_vi(contract.DEVICES),
               note="Nhiều thiết bị: cách nhau dấu chấm phẩy (;)"),
        Column("registered_on", "Ngày vào sổ", "date", note="dd/mm/yyyy"),
        Column("notes", "Ghi chú", "text"),
    )


@cache
def member_columns() -> tuple[Column, ...]:
    return (
        Column("household", "Mã hộ", "text", required=True),
        Column("position", "STT trong hộ", "int", required=True),
        Column("full_name", "Họ và tên", "text", required=True),
        Column("id_number", "Số CCCD", "text", note="12 chữ số"),
        Column("relation", "Quan hệ với chủ hộ", "choice", required=True,
               choices=_choices(Member, "relation")),
        Column("birth_date", "Ngày sinh", "date", required=True, note="dd/mm/yyyy"),
        Column("sex", "Giới tính", "choice", required=True, choices=_choices(Member, "sex")),
        Column("ethnicity", "Dân tộc", "text"),
        Column("employment", "Việc làm", "choice", choices=_choices(Member, "employment")),
        Column("health_insurance", "Có thẻ BHYT", "bool"),
        Column("education", "Trình độ học vấn cao nhất", "choice",
               choices=_choices(Member, "education")),
        Column("in_education", "Đang đi học", "bool"),
        Column("school_level", "Cấp học đang học", "choice",
               choices=_choices(Member, "school_level")),
        Column("disability", "Khuyết tật", "choice", choices=_choices(Member, "disability")),
        Column("unable_to_work", "Không có khả năng lao động", "bool"),
        Column("social_allowance", "Hưởng trợ cấp xã hội hằng tháng", "bool", flag=True),
        Column("workplace_trained", "Có chứng chỉ đào tạo tại nơi làm việc", "bool",
               flag=True),
        Column("stunted", "Trẻ thấp còi", "bool"),
        Column("underweight", "Trẻ nhẹ cân", "bool"),
    )


def _choices_of(text_choices) -> dict[str, str]:
    with translation.override("vi"):
        return {code: str(text) for code, text in text_choices.choices}


def match_headers(headers: list[str], columns: tuple[Column, ...]) -> dict[int, Column]:
    """Sheet column index → Column, by header (without tone marks) or field name."""
    by_name = {fold(c.header): c for c in columns} | {fold(c.key): c for c in columns}
    return {i: by_name[fold(h)] for i, h in enumerate(headers) if h and fold(h) in by_name}
