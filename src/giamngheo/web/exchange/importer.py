"""Importing a household workbook: a dry run that checks every row against the registry's rules
and says what would be created, updated or left alone, then the import itself in one
transaction: all or nothing.

A household in the workbook is the registry's household with the same code, else the one whose
head has the same ID number; it must lie in the importer's area.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ... import household as contract
from ..accounts.models import editable_communes
from ..bulk import insert_objects, reserve_ids, update_objects
from ..households.models import Household, Member, present_members, search_key
from ..units.models import AdministrativeUnit
from .columns import member_columns
from .models import ImportRecord
from .workbook import ParsedWorkbook, Problem, Row, WrongHeaders, read_workbook

MEMBER_FIELDS = [f.name for f in Member._meta.concrete_fields
                 if f.name not in ("id", "household")]
Progress = Callable[[int, int], None]


@dataclass
class PlannedHousehold:
    household: Household
    members: list[Member]
    new_members: list[Member]
    changed: list[str]  # household fields that change
    changed_members: list[Member]
    action: str  # create, update, unchanged
    row: Row


@dataclass
class Plan:
    file_name: str
    digest: str
    items: list[PlannedHousehold] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged")} | {
            "members": sum(len(i.new_members) + len(i.changed_members) for i in self.items)}


def plan_import(path: Path, user, file_name: str = "", lang: str = "vi",
                today: dt.date | None = None, progress: Progress | None = None) -> Plan:
    """The dry run of a workbook: every problem, and what the import would do. Headers that
    miss a required column are the only problems: no row is read."""
    try:
        parsed = read_workbook(path, lang)
    except WrongHeaders as wrong:
        parsed = ParsedWorkbook(problems=wrong.problems)
    return plan_parsed(parsed, user, file_name or path.name,
                       hashlib.sha256(path.read_bytes()).hexdigest(), lang, today, progress)


def plan_parsed(parsed: ParsedWorkbook, user, file_name: str, digest: str, lang: str = "vi",
                today: dt.date | None = None, progress: Progress | None = None) -> Plan:
    """The dry run of households already read (a workbook, ODK or Kobo submissions)."""
    today = today or dt.date.today()
    plan = Plan(file_name, digest)
    plan.problems += parsed.problems
    communes = editable_communes(user, today)
    existing = _existing(parsed, user)
    total = len(parsed.households)
    for n, (code, row) in enumerate(parsed.households.items(), start=1):
        item = _plan_household(code, row, parsed, existing, communes, plan.problems, lang,
                               today)
        if item is not None:
            plan.items.append(item)
        if progress and (n % 500 == 0 or n == total):
            progress(n, total)
    for code, rows in parsed.members.items():
        if code not in parsed.households:
            for row in rows:
                plan.problems.append(Problem(row.sheet, row.number, "Mã hộ", _(
                    "Household %(code)s is not on the household sheet.") % {"code": code}))
    plan.problems.sort(key=lambda p: (p.sheet, p.row))
    return plan


def _existing(parsed: ParsedWorkbook, user) -> dict[str, Household]:
    """Registry households the workbook names, by code and by head's ID number ("id:...")."""
    codes = list(parsed.households)
    heads = [m.values["id_number"] for rows in parsed.members.values() for m in rows
             if m.values.get("relation") == "head" and m.values.get("id_number")]
    found: dict[str, Household] = {}
    for start in range(0, len(codes), 5000):
        for h in Household.objects.filter(code__in=codes[start:start + 5000]) \
                .select_related("commune", "hamlet"):
            found[h.code] = h
    for start in range(0, len(heads), 5000):
        for m in Member.objects.filter(relation="head", id_number__in=heads[start:start + 5000]) \
                .select_related("household__commune", "household__hamlet"):
            found.setdefault(f"id:{m.id_number}", m.household)
    if found:
        members: dict[int, list[Member]] = {}
        ids = list({h.pk for h in found.values()})
        for start in range(0, len(ids), 5000):
            for m in Member.objects.filter(household_id__in=ids[start:start + 5000]):
                members.setdefault(m.household_id, []).append(m)
        for h in found.values():
            h.current_members = members.get(h.pk, [])
    return found


def _plan_household(code: str, row: Row, parsed: ParsedWorkbook, existing: dict,
                    communes: dict[str, AdministrativeUnit], problems: list[Problem],
                    lang: str, today: dt.date) -> PlannedHousehold | None:
    member_rows = parsed.members.get(code, [])
    head = next((m.values.get("id_number") for m in member_rows
                 if m.values.get("relation") == "head"), None)
    household = existing.get(code) or (existing.get(f"id:{head}") if head else None)
    before = len(problems)
    commune = communes.get(row.values.get("commune", ""))
    if "commune" in row.values and commune is None:
        problems.append(Problem(row.sheet, row.number, "Mã xã", _(
            "Commune %(code)s is not in your area.") % {"code": row.values["commune"]}))
        return None
    if household is not None and household.commune.code not in communes:
        problems.append(Problem(row.sheet, row.number, "Mã hộ", _(
            "This household belongs to another area.")))
        return None
    action = "update" if household else "create"
    if household is None:
        household = Household(code=code, commune=commune, area=commune.area_type,
                              registered_on=today, notes="")
        household.current_members = []
    values = dict(row.values)
    values.pop("code", None)
    values.pop("commune", None)
    hamlet = values.pop("hamlet", None)
    if commune is not None and commune != household.commune:
        household.commune = commune
        values["commune_id"] = commune.pk
    if hamlet is not None:
        match = household.commune.children.filter(level="hamlet", name__iexact=hamlet).first()
        if match is None:
            problems.append(Problem(row.sheet, row.number, "Ấp, khu phố", _(
                "No hamlet named %(name)s in this commune.") % {"name": hamlet}))
        else:
            values["hamlet_id"] = match.pk
    changed = [k for k, v in values.items() if getattr(household, k) != v]
    for key, value in values.items():
        setattr(household, key, value)
    try:
        household.clean()
    except ValidationError as error:
        problems.append(Problem(row.sheet, row.number, "", " ".join(error.messages)))
    members, new_members, changed_members = _plan_members(household, member_rows, problems)
    if row.unreadable or any(m.unreadable for m in member_rows):
        return None  # already reported; the record cannot be checked without those cells
    record = household.to_record(today, household.commune.province_code, members=members)
    _contract_problems(record, members, member_rows, row, problems, lang)
    if len(problems) > before:
        return None
    if action == "update" and not changed and not new_members and not changed_members:
        action = "unchanged"
    return PlannedHousehold(household, members, new_members, changed, changed_members,
                            action, row)


def _plan_members(household: Household, rows: list[Row],
                  problems: list[Problem]) -> tuple[list[Member], list[Member], list[Member]]:
    """Members matched by their order in the household (STT), then by ID number."""
    current = {m.position: m for m in household.current_members}
    by_id = {m.id_number: m for m in household.current_members if m.id_number}
    members, new, changed = [], [], []
    seen = set()
    for row in rows:
        values = {k: v for k, v in row.values.items() if k != "household"}
        member = current.get(values.get("position")) or by_id.get(values.get("id_number", ""))
        if member is None:
            member = Member(household=household if household.pk else None)
            new.append(member)
        elif member.pk in seen:
            problems.append(Problem(row.sheet, row.number, "STT trong hộ", _(
                "Two rows for the same member.")))
            continue
        else:
            seen.add(member.pk)
            if any(getattr(member, k) != v for k, v in values.items()):
                changed.append(member)
        for key, value in values.items():
            setattr(member, key, value)
        member.row = row
        try:
            member.clean()
        except ValidationError as error:
            headers = {c.key: c.header for c in member_columns()}
            for name, messages in error.message_dict.items():
                problems.append(Problem(row.sheet, row.number, headers.get(name, ""),
                                        " ".join(messages)))
        members.append(member)
    members += [m for m in household.current_members if m.pk not in seen]
    return members, new, changed


def _contract_problems(record: dict, members: list[Member], rows: list[Row], row: Row,
                       problems: list[Problem], lang: str) -> None:
    """The record's problems (one head, ages, ...), on the member's row where one is named."""
    present = present_members(members, dt.date.fromisoformat(record["reference_date"]))
    for message in contract.validate_household(record, lang):
        if message.startswith("income") and not record["income"]:
            continue  # a household may be registered before its income is known
        where = re.match(r"members\[(\d+)\]", message)
        member = present[int(where.group(1))] if where and int(where.group(1)) < len(present) \
            else None
        target = getattr(member, "row", row)
        problems.append(Problem(target.sheet, target.number, "", message))


@transaction.atomic
def apply_import(plan: Plan, user, progress: Progress | None = None) -> ImportRecord:
    """Carry out a plan without problems, in one transaction, history included."""
    if plan.problems:
        raise ValueError("a plan with problems cannot be imported")
    reason = f"import {plan.file_name}"
    created = [i for i in plan.items if i.action == "create"]
    updated = [i for i in plan.items if i.action == "update"]
    for item, pk in zip(created, reserve_ids(Household, len(created)), strict=True):
        item.household.pk = pk
        item.household.search_text = search_key(
            item.household.code, [m.full_name for m in item.members])
    insert_objects(Household, [i.household for i in created], user, reason)
    if progress:
        progress(len(created), len(plan.items))
    for item in updated:
        item.household.version += 1
        item.household.search_text = search_key(
            item.household.code, [m.full_name for m in item.members])
    update_objects(Household, [i.household for i in updated],
                   sorted({f for i in updated for f in i.changed} | {"version", "search_text"}),
                   user, reason)
    new_members = [m for i in created + updated for m in i.new_members]
    for item in created + updated:
        for member in item.new_members:
            member.household_id = item.household.pk
    for member, pk in zip(new_members, reserve_ids(Member, len(new_members)), strict=True):
        member.pk = pk
    insert_objects(Member, new_members, user, reason)
    update_objects(Member, [m for i in updated for m in i.changed_members], MEMBER_FIELDS,
                   user, reason)
    if progress:
        progress(len(plan.items), len(plan.items))
    counts = plan.counts
    return ImportRecord.objects.create(
        user=user, file_name=plan.file_name, sha256=plan.digest, created=counts["create"],
        updated=counts["update"], unchanged=counts["unchanged"],
        members=counts["members"])
