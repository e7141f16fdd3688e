"""Vietnamese citizen identity numbers (căn cước công dân, 12 digits)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 4th digit: sex and century of birth (Circular 59/2021/TT-BCA, Art. 7)
CENTURY_SEX = {"0": (1900, "male"), "1": (1900, "female"), "2": (2000, "male"),
               "3": (2000, "female"), "4": (2100, "male"), "5": (2100, "female")}


def check_id_number(number: str, birth_date: dt.date | None = None,
                    sex: str | None = None) -> None:
    """Raise ValidationError unless ``number`` is a well-formed 12-digit ID number that agrees
    with the person's birth year and sex when they are given."""
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(_("An ID number has exactly 12 digits."), code="format")
    if not 1 <= int(number[:3]) <= 96:
        raise ValidationError(_("The first 3 digits must be a province code (001 to 096)."),
                              code="province")
    if number[3] not in CENTURY_SEX:
        raise ValidationError(_("The 4th digit must give the sex and century (0 to 5)."),
                              code="century")
    century, coded_sex = CENTURY_SEX[number[3]]
    if birth_date is not None and century + int(number[4:6]) != birth_date.year:
        raise ValidationError(_("Digits 4 to 6 do not match the year of birth %(year)s."),
                              code="year", params={"year": birth_date.year})
    if sex is not None and coded_sex != sex:
        raise ValidationError(_("The 4th digit does not match the sex."), code="sex")


def mask_id_number(number: str) -> str:
    """079******789: enough to tell people apart in a list, not enough to misuse."""
    return f"{number[:3]}{'*' * (len(number) - 6)}{number[-3:]}" if len(number) > 6 else "***"
