"""Submissions of the review questionnaire (``giamngheo xlsform``) as KoboToolbox and ODK Central
export them, read into the same households-and-members rows as a workbook so that they go
through the same dry run, matching and all-or-nothing import:

- KoboToolbox XLSX: a sheet of submissions (``_index``) and a sheet per repeat (``members``,
  linked by ``_parent_index``); headers with or without group paths (``household/area``);
- ODK Central CSV (the .zip of the export): ``FORM.csv`` (``KEY``) and ``FORM-members.csv``
  (``PARENT_KEY``), headers with group paths joined by ``-``;
- JSON: a list of submissions (KoboToolbox API, ``members`` as a list) or ODK Central's OData
  ``{"value": [...]}`` with groups as nested objects and ``members`` expanded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ...cells import CellError
from ...messages import text
from . import safety
from .columns import household_columns, member_columns
from .workbook import ParsedWorkbook, Problem, Row, WorkbookError, add_household, load_workbook

HOUSEHOLD_QUESTIONS = {  # question of the form → field of the registry
    "household_code": "code", "commune_code": "commune", "hamlet": "hamlet", "area": "area",
    "has_dwelling": "has_dwelling", "walls": "walls", "frame": "frame", "roof": "roof",
    "floor_area_m2": "floor_area_m2", "water_source": "water_source", "latrine": "latrine",
    "waste_disposal": "waste_disposal",
    "uses_internet": "uses_internet", "devices": "devices",
    "monthly_per_capita": "income_monthly_per_capita",
    "annual_total": "income_annual_total", "b1_score": "income_b1_score",
}
MEMBER_QUESTIONS = {c: c for c in (
    "position", "full_name", "id_number", "relation", "birth_date", "sex", "ethnicity",
    "employment", "health_insurance", "education", "in_education", "school_level",
    "disability", "unable_to_work", "social_allowance", "workplace_trained", "stunted",
    "underweight")}
Submission = tuple[str, dict[str, str], list[dict[str, str]]]  # id, answers, members


def _name(header: str) -> str:
    """The question's name without its group path (household/area, household-area)."""
    return header.replace("-", "/").rsplit("/", 1)[-1]


def _clean(record: dict[str, Any]) -> dict[str, str]:
    return {_name(k): str(v).strip() for k, v in record.items()
            if v is not None and str(v).strip() != "" and not isinstance(v, (dict, list))}


def read_submissions(path: Path) -> list[Submission]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _from_json(path)
    if suffix == ".zip":
        return _from_central_zip(path)
    if suffix == ".xlsx":
        return _from_kobo_xlsx(path)
    raise WorkbookError(_("Give the export as .xlsx (KoboToolbox), .zip of CSV files (ODK "
                          "Central) or .json."))


def _from_kobo_xlsx(path: Path) -> list[Submission]:
    book = load_workbook(path)
    sheets = {_name(n).lower(): n for n in book.sheet_names}
    main = book.sheet_names[0]
    if "household_code" not in {_name(h) for h in book.headers(main)}:
        raise WorkbookError(_("The first sheet has no household_code question: is this an "
                              "export of the review questionnaire (giamngheo xlsform)?"))
    members: dict[str, list[dict[str, str]]] = {}
    if "members" in sheets:
        for row in book.records(sheets["members"]):
            members.setdefault(str(row.get("_parent_index")), []).append(_clean(row))
    return [(str(row.get("_uuid") or row.get("_index")), _clean(row),
             members.get(str(row.get("_index")), [])) for row in book.records(main)]


def _from_central_zip(path: Path) -> list[Submission]:
    def refused() -> safety.FileRefused:
        return safety.FileRefused(_("This file is not a .zip export."))

    try:
        archive = safety.open_zip(path, refused=refused)
    except safety.FileRefused as error:
        raise WorkbookError(str(error)) from None
    with archive:
        names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        repeat = next((n for n in names if n.lower().endswith("-members.csv")), None)
        main = next((n for n in names if n != repeat and "-" not in Path(n).stem), None)
        if main is None:
            raise WorkbookError(_("The .zip has no submissions CSV file."))
        try:
            for name in (main, repeat) if repeat else (main,):
                safety.check_csv_entry(archive, name)
        except safety.FileRefused as error:
            raise WorkbookError(str(error)) from None

        def rows(name: str) -> Iterator[dict[str, str]]:
            return csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8-sig"))

        members: dict[str, list[dict[str, str]]] = {}
        for row in rows(repeat) if repeat else []:
            members.setdefault(row.get("PARENT_KEY", ""), []).append(_clean(row))
        return [(row.get("KEY", ""), _clean(row), members.get(row.get("KEY", ""), []))
                for row in rows(main)]


def _flatten(record: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    answers: dict[str, Any] = {}
    members: list[dict[str, Any]] = []
    for key, value in record.items():
        if isinstance(value, dict):
            inner, more = _flatten(value)
            answers.update(inner)
            members += more
        elif isinstance(value, list) and _name(key) == "members":
            members += [_flatten(m)[0] for m in value if isinstance(m, dict)]
        else:
            answers[key] = value
    return answers, members


def _from_json(path: Path) -> list[Submission]:
    try:
        safety.check_size(path)
        data = json.loads(path.read_bytes())
    except safety.FileRefused as error:
        raise WorkbookError(str(error)) from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise WorkbookError(_("This file is not valid JSON.")) from None
    if isinstance(data, dict):
        data = data.get("value", data.get("results"))
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise WorkbookError(_("The JSON should be a list of submissions."))
    out = []
    for n, submission in enumerate(data, start=1):
        try:
            answers, members = _flatten(submission)
        except RecursionError:
            raise WorkbookError(_("This file is not valid JSON.")) from None
        ident = answers.get("__id") or answers.get("_uuid") or answers.get("instanceID") or n
        out.append((str(ident), _clean(answers), [_clean(m) for m in members]))
    return out


def parse_submissions(path: Path, lang: str = "vi") -> ParsedWorkbook:
    """The submissions as households and members rows; every answer read and checked like a
    workbook cell. A "row" is the submission's number in the export."""
    parsed = ParsedWorkbook()
    columns = {c.key: c for c in household_columns()}
    people = {c.key: c for c in member_columns()}
    sheet = _("submission")
    for number, (_ident, answers, members) in enumerate(read_submissions(path), start=1):
        if answers.get("income_evidence") == "b1_items":
            parsed.problems.append(Problem(sheet, number, "income_evidence", _(
                "B1 answers item by item are not imported yet; enter the B1 score.")))
        row = _read(answers, HOUSEHOLD_QUESTIONS, columns, sheet, number, parsed, lang)
        code = row.values.get("code")
        if not code:
            continue  # reported as a required answer
        add_household(parsed, row)
        for position, member in enumerate(members, start=1):
            member.setdefault("position", str(position))
            person = _read(member, MEMBER_QUESTIONS, people, sheet, number, parsed, lang)
            person.values["household"] = code
            parsed.members.setdefault(code, []).append(person)
    parsed.household_fields = set(HOUSEHOLD_QUESTIONS.values())
    parsed.member_fields = set(MEMBER_QUESTIONS.values())
    return parsed


def _read(answers: dict[str, str], questions: dict[str, str], columns: dict, sheet: str,
          number: int, parsed: ParsedWorkbook, lang: str) -> Row:
    row = Row(sheet, number, {})
    for question, key in questions.items():
        value = answers.get(question)
        if value is None:
            continue
        column = columns[key]
        if column.kind == "choices":
            value = ", ".join(value.split())  # select_multiple answers are space-separated
        try:
            row.values[key] = column.parse(value)
        except CellError as error:
            row.unreadable.add(key)
            parsed.problems.append(Problem(sheet, number, question,
                                           text(error.key, lang, **error.fields)))
    for question, key in questions.items():
        if columns[key].required and key not in row.values and key not in row.unreadable:
            row.unreadable.add(key)
            parsed.problems.append(Problem(sheet, number, question, _("Required.")))
    return row


def plan_submissions(path: Path, review, user, lang: str = "vi", progress=None):
    """The dry run of an export into a review's survey step: the households must be listed
    in the review, which must be at step 2."""
    from ..reviews.models import Step
    from .importer import plan_parsed

    if review.step != Step.SURVEY:
        raise WorkbookError(_("Submissions are imported in step 2 (survey) of a review."))
    parsed = parse_submissions(path, lang)
    listed = set(review.entries.values_list("household__code", flat=True))
    plan = plan_parsed(parsed, user, path.name, hashlib.sha256(path.read_bytes()).hexdigest(),
                       lang, progress=progress)
    for item in plan.items:
        if item.household.code not in listed:
            plan.problems.append(Problem(item.row.sheet, item.row.number, "household_code", _(
                "Household %(code)s is not listed in this review.") % {
                    "code": item.household.code}))
    return plan
