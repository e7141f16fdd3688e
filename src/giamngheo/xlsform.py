"""The review questionnaire as an XLSForm for ODK Collect and KoboToolbox, derived from the
record's field declarations (``record.py``): each field is a question named as the field, with
its labels (Vietnamese, English beside), its vocabulary as choices, and constraints from its
validation facts (bounds, the members it applies to), so that a form finalised offline is a
valid record (docs/record-format.md). A few questions are the registry's, not the record's
(the hamlet, names, ID numbers).

Field names are the record's own, so that a submission maps back to a record by name. With
``standards``, a field asked only where a standard in use reads it (``waste_disposal``) is
asked only if one of them does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from . import record
from .messages import label
from .record import Field
from .rules.parameters import Standard
from .rules.scorecard import Scorecard
from .xlsx import new_workbook

LANGS = ("Tiếng Việt (vi)", "English (en)")
YES_NO = "yes_no"
GROUPS = {  # the record's objects as the questionnaire's groups
    "household": ("Thông tin hộ", "Household"),
    "dwelling": ("Nhà ở, nước sinh hoạt, nhà tiêu, rác thải",
                 "Dwelling, water, latrine, waste"),
    "information": ("Tiếp cận thông tin", "Access to information"),
    "income": ("Thu nhập", "Income"),
    "members": ("Thành viên", "Members"),
}
NAMES = {"id": "household_code"}  # a question whose name differs from its field's
REGISTRY = {  # questions of the registry, not of the record
    "hamlet": ("Ấp, khu phố", "Hamlet"),
    "head_name": ("Họ tên chủ hộ", "Name of the head"),
    "full_name": ("Họ và tên", "Full name"),
    "id_number": ("Số CCCD", "ID number (CCCD)"),
    "income_evidence": ("Căn cứ thu nhập", "Income evidence"),
    "one_head": ("Kiểm tra: hộ có đúng một chủ hộ", "Check: exactly one head"),
}
WORKING_AGE = 15  # employment is asked from this age (the standards' working_age_from)
CONSTRAINT_MESSAGES = {
    "id_number": ("Số CCCD gồm đúng 12 chữ số", "An ID number has exactly 12 digits"),
    "birth": (f"Ngày sinh không thể sau ngày rà soát, tuổi tối đa {record.MAX_AGE}",
              f"Born on or before the survey date, at most {record.MAX_AGE} years ago"),
    "one_head": ("Hộ phải có đúng một chủ hộ", "A household has exactly one head"),
}
Row = list[str]


def _range_message(f: Field, top: int) -> tuple[str, str]:
    unit = " m²" if f.name.endswith("_m2") else ""
    whole = "số nguyên " if f.kind == "integer" else ""
    return (f"Nhập {whole}từ {f.minimum} đến {top:,}{unit}".replace(",", "."),
            f"Enter {'a whole number ' if whole else ''}from {f.minimum} to {top:,}{unit}")


def asked(f: Field, standards: Iterable[Standard] | None) -> bool:
    """Whether the questionnaire asks ``f`` for reviews under ``standards`` (all: None)."""
    if not f.only_when_used or standards is None:
        return True
    return any(f.path in s.fields_read() for s in standards)


class _Survey:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, kind: str, name: str, labels: tuple[str, str] = ("", ""),
            required: bool = False, relevant: str = "", constraint: str = "",
            message: tuple[str, str] = ("", ""), calculation: str = "",
            default: str = "") -> None:
        self.rows.append([kind, name, *labels, "yes" if required else "", relevant, constraint,
                          *message, calculation, "", default])

    def field(self, f: Field, relevant: str = "", required: bool | None = None,
              pattern: str = "") -> None:
        """The question of a record field (``pattern``: a regular expression its text
        follows)."""
        kind = {"enum": f"select_one {f.vocabulary.name if f.vocabulary else ''}",
                "enum_list": f"select_multiple {f.vocabulary.name if f.vocabulary else ''}",
                "bool": f"select_one {YES_NO}", "integer": "integer", "number": "decimal",
                "date": "date", "string": "text"}[f.kind]
        constraint, message = f"regex(., '{pattern}')" if pattern else "", ("", "")
        if f.kind in ("integer", "number") and f.minimum is not None:
            top = f.usual_maximum or f.maximum
            constraint = f". >= {f.minimum}" + (f" and . <= {top}" if top else "")
            message = _range_message(f, top or 0) if top else ("", "")
        if f.only_if_true:
            relevant = f"${{{f.only_if_true}}} = 'yes'"
        if f.under_age:
            relevant = f"${{age}} < {f.under_age}"
            message = (f"Chỉ ghi cho trẻ dưới {f.under_age} tuổi",
                       f"For children under {f.under_age} only")
        self.add(kind, NAMES.get(f.name, f.name), (f.asks("vi"), f.asks("en")),
                 f.required if required is None else required, relevant, constraint, message)


def build_xlsform(target: Path | BinaryIO, scorecard: Scorecard | None = None,
                  version: str | None = None,
                  standards: Iterable[Standard] | None = None) -> None:
    """Write the questionnaire as an XLSForm workbook (survey, choices, settings) to a file
    or a binary stream; ``standards``: the standards of the reviews it serves (all fields
    when None)."""
    standards = list(standards) if standards is not None else None
    q = _Survey()
    q.add("begin_group", "household", GROUPS["household"])
    fields = {f.name: f for f in record.fields_of("household")}
    q.field(fields["id"])
    q.field(fields["province_code"], required=True, pattern="^[0-9]{2}$")
    q.field(fields["commune_code"], required=True, pattern="^[0-9]{5}$")
    q.add("text", "hamlet", REGISTRY["hamlet"])
    q.add("text", "head_name", REGISTRY["head_name"])
    q.add("date", "reference_date", (fields["reference_date"].asks("vi"),
                                     fields["reference_date"].asks("en")),
          required=True, constraint=". <= today()", default="today()")
    q.field(fields["area"])
    q.add("end_group", "")

    q.add("begin_group", "dwelling", GROUPS["dwelling"])
    presence = record.DWELLING_PRESENCE
    q.add(f"select_one {YES_NO}", "has_dwelling", (presence.asks("vi"), presence.asks("en")))
    for f in record.fields_of("dwelling"):
        if asked(f, standards):
            q.field(f, relevant="${has_dwelling} = 'yes'")
    q.add("end_group", "")

    q.add("begin_group", "information", GROUPS["information"])
    for f in record.fields_of("information"):
        q.field(f)
    q.add("end_group", "")

    q.add("begin_group", "income", GROUPS["income"])
    q.add("select_one income_evidence", "income_evidence", REGISTRY["income_evidence"],
          required=True)
    for f in record.fields_of("income"):
        q.field(f, relevant=f"${{income_evidence}} = '{f.name}'", required=True)
    if scorecard is not None:
        q.add("note", "b1_notice", (scorecard.notice["vi"], scorecard.notice["en"]),
              relevant="${income_evidence} = 'b1_items'")
        for item, spec in scorecard.items.items():
            q.add(f"select_one b1_{item}", f"b1_{item}",
                  (spec["label"]["vi"], spec["label"]["en"]), required=True,
                  relevant="${income_evidence} = 'b1_items'")
    q.add("end_group", "")

    q.add("begin_repeat", "members", GROUPS["members"])
    q.add("calculate", "position", calculation="position(..)")
    q.add("text", "full_name", REGISTRY["full_name"], required=True)
    q.add("text", "id_number", REGISTRY["id_number"], constraint="regex(., '^[0-9]{12}$')",
          message=CONSTRAINT_MESSAGES["id_number"])
    for f in record.MEMBER_FIELDS:
        if f.name == "id":
            continue  # the member's position
        if f.name == "birth_date":
            q.add("date", "birth_date", (f.asks("vi"), f.asks("en")), required=True,
                  constraint=". <= ${reference_date} and decimal-date-time(.) >= "
                             f"decimal-date-time(${{reference_date}}) - {record.MAX_AGE}"
                             " * 365.25", message=CONSTRAINT_MESSAGES["birth"])
            q.add("calculate", "age", calculation="if(${birth_date} = '', '', int((decimal-"
                  "date-time(${reference_date}) - decimal-date-time(${birth_date})) div "
                  "365.25))")
            continue
        q.field(f, relevant=f"${{age}} >= {WORKING_AGE}" if f.name == "employment" else "")
    q.add("calculate", "is_head", calculation="if(${relation} = 'head', 1, 0)")
    q.add("end_repeat", "")
    q.add("calculate", "heads", calculation="sum(${is_head})")
    q.add("acknowledge", "one_head", REGISTRY["one_head"], required=True,
          constraint="${heads} = 1", message=CONSTRAINT_MESSAGES["one_head"])

    choices: list[Row] = [[YES_NO, "yes", "có", "yes"], [YES_NO, "no", "không", "no"]]
    for vocabulary in record.VOCABULARIES.values():
        choices += [[vocabulary.name, code, label(code, "vi", vocabulary.name),
                     label(code, "en", vocabulary.name)] for code in vocabulary.codes]
    choices += [["income_evidence", f.name, f.asks("vi"), f.asks("en")]
                for f in record.fields_of("income")]
    if scorecard is not None:
        choices.append(["income_evidence", "b1_items", "Phiếu B1 (chấm điểm từng mục)",
                        "B1 form (item by item)"])
        for item, spec in scorecard.items.items():
            choices += [[f"b1_{item}", option, o["label"]["vi"], o["label"]["en"]]
                        for option, o in spec["options"].items()]
    _write(target, q.rows, choices, version or dt.date.today().strftime("%Y%m%d"))


def _write(target: Path | BinaryIO, survey: list[Row], choices: list[Row],
           version: str) -> None:
    book = new_workbook(target, in_memory=True)
    sheet = book.add_worksheet("survey")
    sheet.write_row(0, 0, ["type", "name", *(f"label::{lang}" for lang in LANGS), "required",
                           "relevant", "constraint",
                           *(f"constraint_message::{lang}" for lang in LANGS), "calculation",
                           "appearance", "default"])
    for n, row in enumerate(survey, start=1):
        sheet.write_row(n, 0, row)
    sheet = book.add_worksheet("choices")
    sheet.write_row(0, 0, ["list_name", "name", *(f"label::{lang}" for lang in LANGS)])
    for n, row in enumerate(choices, start=1):
        sheet.write_row(n, 0, row)
    sheet = book.add_worksheet("settings")
    sheet.write_row(0, 0, ["form_title", "form_id", "version", "default_language"])
    sheet.write_row(1, 0, ["Phiếu rà soát hộ nghèo, cận nghèo (GiảmNghèo)",
                           "giamngheo_household_review", version, LANGS[0]])
    book.close()
