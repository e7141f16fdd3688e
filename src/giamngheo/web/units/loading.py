"""Load administrative units and their reorganisations from a GSO-style JSON file.

The format is that of ``data/tan-phu-units.json``: a province, an optional district, the
communes in force before the first change, then dated changes (``dissolved`` and ``merged``
events, or ``new_units`` built ``from`` old codes) and the hamlets of the newest communes.
Loading is idempotent and all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import AdministrativeUnit as Unit
from .models import Succession

BUNDLED = Path(__file__).parent / "data" / "tan-phu-units.json"
LEVEL_OF_KIND = {"tinh": "province", "thanh_pho": "province", "huyen": "district",
                 "thi_xa": "district", "xa": "commune", "phuong": "commune",
                 "thi_tran": "commune", "ap": "hamlet", "khu_pho": "hamlet"}
_RANGE = re.compile(r"^(?P<stem>.*?)\s*(?P<first>\d+)\s*-\s*(?P<last>\d+)$")


class UnitDataError(ValueError):
    """The file contradicts itself (a code that is not in force where a change names it)."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def hamlet_names(listing: str) -> list[str]:
    """ "Tân Phú 1-3; Bàu Chim (note)" -> ["Tân Phú 1", "Tân Phú 2", "Tân Phú 3", "Bàu Chim"]."""
    names = []
    for part in listing.split(";"):
        part = re.sub(r"\(.*?\)", "", part).strip()
        if not part:
            continue
        match = _RANGE.match(part)
        if match:
            stem = match["stem"]
            names += [f"{stem} {n}".strip()
                      for n in range(int(match["first"]), int(match["last"]) + 1)]
        else:
            names.append(part)
    return names


class _Loader:
    def __init__(self) -> None:
        self.created = 0

    def unit(self, *, code: str, name: str, kind: str, parent: Unit | None,
             valid_from: dt.date | None, **extra: Any) -> Unit:
        unit, created = Unit.objects.update_or_create(
            level=LEVEL_OF_KIND[kind], code=code, valid_from=valid_from,
            defaults={"name": name, "kind": kind, "parent": parent, **extra})
        self.created += created
        return unit

    @staticmethod
    def in_force(code: str, day: dt.date, level: str = "commune") -> Unit:
        for unit in Unit.objects.filter(level=level, code=code):
            if unit.is_valid_on(day):
                return unit
        raise UnitDataError(f"no {level} {code} in force on {day}")

    @staticmethod
    def end(unit: Unit, effective: dt.date) -> None:
        unit.valid_until = effective - dt.timedelta(days=1)
        unit.save(update_fields=["valid_until"])

    @staticmethod
    def succeed(old: Unit, new: Unit, effective: dt.date, kind: str, instrument: str,
                note: str = "") -> None:
        Succession.objects.update_or_create(
            predecessor=old, successor=new,
            defaults={"effective": effective, "kind": kind, "instrument": instrument,
                      "note": note})


@transaction.atomic
def load_units(data: dict[str, Any]) -> int:
    """Load (or update) the units of ``data``; returns how many units were created."""
    load = _Loader()
    province = load.unit(code=data["province"]["code"], name=data["province"]["name"],
                         kind="tinh", parent=None, valid_from=None)
    parent = province
    if data.get("district"):
        district = data["district"]
        parent = load.unit(code=district["code"], name=district["name"], kind="huyen",
                           parent=province, valid_from=None,
                           valid_until=_date(district.get("valid_until")))
    for commune in data["units_before_2024_11"]:
        load.unit(code=commune["code"], name=commune["name"], kind=commune["kind"],
                  parent=parent, valid_from=None,
                  valid_until=_date(commune.get("valid_until")),
                  area_km2=commune.get("area_km2"), population=commune.get("population_2017"),
                  population_year=2017 if commune.get("population_2017") else None)
    for change in data.get("changes", []):
        effective = _date(change["effective"])
        before = effective - dt.timedelta(days=1)
        instrument = change.get("instrument", "")
        for event in change.get("events", []):
            if event["kind"] == "dissolved":
                old = load.in_force(event["code"], before)
                load.end(old, effective)
                load.succeed(old, load.in_force(event["into"], effective), effective,
                             "dissolved", instrument, event.get("note", ""))
            elif event["kind"] == "merged":
                olds = [load.in_force(code, before) for code in event["from"]]
                keeper = load.in_force(event["into"], before)
                for old in olds:
                    load.end(old, effective)
                new = load.unit(code=event["into"], name=event.get("new_name", keeper.name),
                                kind=keeper.kind, parent=keeper.parent, valid_from=effective)
                for old in olds:
                    load.succeed(old, new, effective, "merged", instrument, event.get("note", ""))
        for spec in change.get("new_units", []):
            new = load.unit(code=spec["code"], name=spec["name"], kind=spec["kind"],
                            parent=province, valid_from=effective)
            for code in spec["from"]:
                old = next((u for u in Unit.objects.filter(level="commune", code=code)
                            if u.is_valid_on(before)), None)
                if old is None:  # a commune of another district, not in this file
                    continue
                load.end(old, effective)
                load.succeed(old, new, effective, "merged", instrument, spec.get("note", ""))
    newest = max((_date(c["effective"]) for c in data.get("changes", [])), default=None)
    for code, listing in data.get("hamlets_after_2025_07", {}).items():
        commune = load.in_force(code, newest)
        for index, name in enumerate(hamlet_names(listing), start=1):
            load.unit(code=f"{code}-{index:02d}", name=name, kind="ap", parent=commune,
                      valid_from=newest)
    return load.created


def load_units_file(path: Path | str = BUNDLED) -> int:
    return load_units(json.loads(Path(path).read_text(encoding="utf-8")))


TABLE_COLUMNS = ("code", "name", "kind", "parent_code", "valid_from", "valid_until")


def _table_rows(path: Path) -> list[dict[str, str]]:
    import fastexcel
    import polars as pl

    if path.suffix.lower() == ".csv":
        frame = pl.read_csv(path, infer_schema=False)
    else:
        frame = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars()
    return [{k: (v or "").strip() for k, v in row.items()} for row in frame.to_dicts()]


@transaction.atomic
def load_units_table(path: Path | str) -> int:
    """Units of another province from a CSV or XLSX list with the columns ``code, name,
    kind, parent_code, valid_from, valid_until`` (dates YYYY-MM-DD, empty for none; a parent
    listed above its children or already loaded). Every problem is reported with its row and
    nothing is loaded unless every row is right."""
    path = Path(path)
    rows = _table_rows(path)
    missing = [c for c in TABLE_COLUMNS[:3] if rows and c not in rows[0]]
    if missing:
        raise UnitDataError(f"{path.name}: missing columns {', '.join(missing)}")
    load, errors = _Loader(), []
    for number, row in enumerate(rows, start=2):
        try:
            kind = row["kind"]
            if kind not in LEVEL_OF_KIND:
                raise UnitDataError(f"kind {kind!r} is not one of {', '.join(LEVEL_OF_KIND)}")
            if not row["code"] or not row["name"]:
                raise UnitDataError("code and name are required")
            start = _date(row.get("valid_from"))
            parent = None
            if row.get("parent_code"):
                candidates = [u for u in Unit.objects.filter(code=row["parent_code"])
                              if start is None or u.is_valid_on(start) or u.valid_from is None]
                if not candidates:
                    raise UnitDataError(f"parent {row['parent_code']} is not loaded")
                parent = candidates[0]
            load.unit(code=row["code"], name=row["name"], kind=kind, parent=parent,
                      valid_from=start, valid_until=_date(row.get("valid_until")))
        except (UnitDataError, ValueError) as exc:
            errors.append(f"row {number}: {exc}")
    if errors:
        raise UnitDataError("; ".join(errors))
    return load.created
