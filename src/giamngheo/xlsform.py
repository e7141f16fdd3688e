"""The review questionnaire as an XLSForm for ODK Collect and KoboToolbox: the household record
of household-format.md (household, dwelling, water, latrine, information, income evidence and
a repeat of members), Vietnamese labels with English beside them, and constraints that mirror
the record's validation so that a form finalised offline is a valid record.

Field names are the record's own, so that a submission maps back to a record by name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from . import household as contract
from .messages import label
from .rules.scorecard import Scorecard
from .xlsx import new_workbook

LANGS = ("Tiếng Việt (vi)", "English (en)")
YES_NO = "yes_no"
QUESTIONS: dict[str, tuple[str, str]] = {
    "household": ("Thông tin hộ", "Household"),
    "household_code": ("Mã hộ", "Household code"),
    "commune_code": ("Mã xã (GSO)", "Commune code (GSO)"),
    "province_code": ("Mã tỉnh (GSO)", "Province code (GSO)"),
    "hamlet": ("Ấp, khu phố", "Hamlet"),
    "head_name": ("Họ tên chủ hộ", "Name of the head"),
    "reference_date": ("Ngày rà soát", "Date of the survey"),
    "area": ("Khu vực", "Area"),
    "dwelling": ("Nhà ở, nước sinh hoạt, nhà tiêu", "Dwelling, water, latrine"),
    "has_dwelling": ("Hộ có nhà ở không?", "Does the household have a dwelling?"),
    "walls": ("Tường nhà", "Walls"),
    "frame": ("Khung nhà", "Frame"),
    "roof": ("Mái nhà", "Roof"),
    "floor_area_m2": ("Diện tích nhà ở (m²)", "Floor area (m²)"),
    "water_source": ("Nguồn nước sinh hoạt chính", "Main water source"),
    "latrine": ("Loại nhà tiêu", "Latrine"),
    "information": ("Tiếp cận thông tin", "Access to information"),
    "uses_internet": ("Có thành viên sử dụng internet?", "Does a member use the internet?"),
    "devices": ("Thiết bị tiếp cận thông tin của hộ", "Information devices of the household"),
    "income": ("Thu nhập", "Income"),
    "income_evidence": ("Căn cứ thu nhập", "Income evidence"),
    "monthly_per_capita": ("Thu nhập bình quân người/tháng (đồng)",
                           "Income per person per month (VND)"),
    "annual_total": ("Tổng thu nhập 12 tháng của hộ (đồng)",
                     "Household income of the last 12 months (VND)"),
    "b1_score": ("Điểm B1", "B1 score"),
    "members": ("Thành viên", "Members"),
    "full_name": ("Họ và tên", "Full name"),
    "id_number": ("Số CCCD", "ID number (CCCD)"),
    "relation": ("Quan hệ với chủ hộ", "Relation to the head"),
    "birth_date": ("Ngày sinh", "Date of birth"),
    "sex": ("Giới tính", "Sex"),
    "ethnicity": ("Dân tộc", "Ethnic group"),
    "employment": ("Việc làm", "Employment"),
    "health_insurance": ("Có thẻ BHYT?", "Has health insurance?"),
    "education": ("Trình độ học vấn cao nhất", "Highest education completed"),
    "in_education": ("Đang đi học?", "In school or training now?"),
    "school_level": ("Cấp học đang học", "School level"),
    "disability": ("Khuyết tật", "Disability"),
    "unable_to_work": ("Không có khả năng lao động (ốm đau dài ngày...)?",
                       "Unable to work (long illness...)?"),
    "social_allowance": ("Hưởng trợ cấp xã hội hằng tháng?",
                         "Receives a monthly social allowance?"),
    "workplace_trained": ("Có chứng chỉ đào tạo tại nơi làm việc?",
                          "Certified on-the-job training?"),
    "stunted": ("Trẻ thấp còi?", "Stunted?"),
    "underweight": ("Trẻ nhẹ cân?", "Underweight?"),
    "one_head": ("Kiểm tra: hộ có đúng một chủ hộ", "Check: exactly one head"),
}
CONSTRAINT_MESSAGES = {
    "amount": ("Số tiền là số nguyên từ 0 trở lên", "An amount is a whole number of 0 or more"),
    "area": ("Diện tích từ 0 đến 10.000 m²", "Between 0 and 10,000 m²"),
    "id_number": ("Số CCCD gồm đúng 12 chữ số", "An ID number has exactly 12 digits"),
    "birth": (f"Ngày sinh không thể sau ngày rà soát, tuổi tối đa {contract.MAX_AGE}",
              f"Born on or before the survey date, at most {contract.MAX_AGE} years ago"),
    "one_head": ("Hộ phải có đúng một chủ hộ", "A household has exactly one head"),
    "child": (f"Chỉ ghi cho trẻ dưới {contract.NUTRITION_AGE_LIMIT} tuổi",
              f"For children under {contract.NUTRITION_AGE_LIMIT} only"),
}


def _labels(key: str) -> list[str]:
    return list(QUESTIONS[key])


def _choices(list_name: str, values: tuple[str, ...], field: str | None = None) -> list[list]:
    return [[list_name, v, label(v, "vi", field), label(v, "en", field)] for v in values]


def build_xlsform(target: Path | BinaryIO, scorecard: Scorecard | None = None,
                  version: str | None = None) -> None:
    """Write the questionnaire as an XLSForm workbook (survey, choices, settings) to a file
    or a binary stream."""
    survey: list[list] = []

    def q(kind: str, name: str, required: bool = False, relevant: str = "",
          constraint: str = "", message: str = "", calculation: str = "",
          appearance: str = "", default: str = "", labels: list[str] | None = None) -> None:
        texts = labels or (_labels(name) if name in QUESTIONS else ["", ""])
        msg = list(CONSTRAINT_MESSAGES[message]) if message else ["", ""]
        survey.append([kind, name, *texts, "yes" if required else "", relevant, constraint,
                       *msg, calculation, appearance, default])

    max_amount = contract.MAX_AMOUNT
    q("begin_group", "household")
    q("text", "household_code", required=True)
    q("text", "province_code", required=True, constraint="regex(., '^[0-9]{2}$')")
    q("text", "commune_code", required=True, constraint="regex(., '^[0-9]{5}$')")
    q("text", "hamlet")
    q("text", "head_name")
    q("date", "reference_date", required=True, default="today()",
      constraint=". <= today()")
    q("select_one area", "area", required=True)
    q("end_group", "")
    q("begin_group", "dwelling")
    q(f"select_one {YES_NO}", "has_dwelling")
    for part in ("walls", "frame", "roof"):
        q("select_one durability", part, relevant="${has_dwelling} = 'yes'")
    q("decimal", "floor_area_m2", relevant="${has_dwelling} = 'yes'",
      constraint=". >= 0 and . <= 10000", message="area")
    q("select_one water_source", "water_source", relevant="${has_dwelling} = 'yes'")
    q("select_one latrine", "latrine", relevant="${has_dwelling} = 'yes'")
    q("end_group", "")
    q("begin_group", "information")
    q(f"select_one {YES_NO}", "uses_internet")
    q("select_multiple devices", "devices")
    q("end_group", "")
    q("begin_group", "income")
    q("select_one income_evidence", "income_evidence", required=True)
    q("integer", "monthly_per_capita", required=True,
      relevant="${income_evidence} = 'monthly_per_capita'",
      constraint=f". >= 0 and . <= {max_amount}", message="amount")
    q("integer", "annual_total", required=True, relevant="${income_evidence} = 'annual_total'",
      constraint=f". >= 0 and . <= {max_amount}", message="amount")
    q("decimal", "b1_score", required=True, relevant="${income_evidence} = 'b1_score'",
      constraint=". >= 0")
    if scorecard is not None:
        q("note", "b1_notice", relevant="${income_evidence} = 'b1_items'",
          labels=[scorecard.notice["vi"], scorecard.notice["en"]])
        for item, spec in scorecard.items.items():
            q(f"select_one b1_{item}", f"b1_{item}", required=True,
              relevant="${income_evidence} = 'b1_items'",
              labels=[spec["label"]["vi"], spec["label"]["en"]])
    q("end_group", "")
    q("begin_repeat", "members")
    q("calculate", "position", calculation="position(..)")
    q("text", "full_name", required=True)
    q("text", "id_number", constraint="regex(., '^[0-9]{12}$')", message="id_number")
    q("select_one relation", "relation", required=True)
    q("date", "birth_date", required=True, message="birth",
      constraint=". <= ${reference_date} and decimal-date-time(.) >= "
                 f"decimal-date-time(${{reference_date}}) - {contract.MAX_AGE} * 365.25")
    q("calculate", "age", calculation="if(${birth_date} = '', '', int((decimal-date-time("
                                      "${reference_date}) - decimal-date-time(${birth_date}))"
                                      " div 365.25))")
    q("select_one sex", "sex", required=True)
    q("text", "ethnicity")
    q("select_one employment", "employment", relevant="${age} >= 15")
    q(f"select_one {YES_NO}", "health_insurance")
    q("select_one education", "education")
    q(f"select_one {YES_NO}", "in_education")
    q("select_one school_level", "school_level", relevant="${in_education} = 'yes'")
    q("select_one disability", "disability")
    q(f"select_one {YES_NO}", "unable_to_work")
    q(f"select_one {YES_NO}", "social_allowance")
    q(f"select_one {YES_NO}", "workplace_trained")
    for flag in ("stunted", "underweight"):
        q(f"select_one {YES_NO}", flag, relevant=f"${{age}} < {contract.NUTRITION_AGE_LIMIT}",
          message="child")
    q("calculate", "is_head", calculation="if(${relation} = 'head', 1, 0)")
    q("end_repeat", "")
    q("calculate", "heads", calculation="sum(${is_head})")
    q("acknowledge", "one_head", required=True, constraint="${heads} = 1", message="one_head")

    choices = [
        *_choices("area", contract.AREAS),
        [YES_NO, "yes", "có", "yes"], [YES_NO, "no", "không", "no"],
        *_choices("durability", contract.DURABILITY),
        *_choices("water_source", contract.WATER_SOURCES),
        *_choices("latrine", contract.LATRINES),
        *_choices("devices", contract.DEVICES),
        *_choices("relation", contract.RELATIONS),
        *_choices("sex", contract.SEXES),
        *_choices("employment", contract.EMPLOYMENT),
        *_choices("education", contract.EDUCATION),
        *_choices("school_level", contract.SCHOOL_LEVELS),
        *_choices("disability", contract.DISABILITY, "disability"),
        *[["income_evidence", key, *QUESTIONS[key]]
          for key in ("monthly_per_capita", "annual_total", "b1_score")],
    ]
    if scorecard is not None:
        choices.append(["income_evidence", "b1_items", "Phiếu B1 (chấm điểm từng mục)",
                        "B1 form (item by item)"])
        for item, spec in scorecard.items.items():
            choices += [[f"b1_{item}", option, o["label"]["vi"], o["label"]["en"]]
                        for option, o in spec["options"].items()]
    _write(target, survey, choices, version or dt.date.today().strftime("%Y%m%d"))


def _write(target: Path | BinaryIO, survey: list[list], choices: list[list],
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
