"""A household workbook of SYNTHETIC households in the template's shape, for the benchmarks
and the import tests at scale."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from giamngheo.synthetic import synthetic_tables
from giamngheo.web.demo import _id_number, _name
from giamngheo.web.exchange.columns import household_columns, member_columns
from giamngheo.xlsx import new_workbook

DWELLING = {"walls": "dwelling_walls", "frame": "dwelling_frame", "roof": "dwelling_roof",
            "floor_area_m2": "dwelling_floor_area_m2", "water_source": "dwelling_water_source",
            "latrine": "dwelling_latrine"}


def _text(column, value) -> str:
    """As officers type: money as 1.500.000, everything as text."""
    if column.kind == "int" and value is not None:
        return f"{value:,}".replace(",", ".")
    return str(column.format(value))


def write_workbook(path: Path, count: int, communes: list[str], seed: int = 1) -> int:
    """Write ``count`` households spread over ``communes``; returns the number of members."""
    rng = random.Random(seed)
    households, members = synthetic_tables(count, seed=seed, reference_date=dt.date.today())
    book = new_workbook(path, constant_memory=True)
    sheet = book.add_worksheet("Hộ gia đình")
    columns = household_columns()
    sheet.write_row(0, 0, [c.header for c in columns])
    codes = {}
    for n, row in enumerate(households.iter_rows(named=True), start=1):
        code = f"NK-{n:06d}"
        codes[row["id"]] = code
        values = {"code": code, "commune": communes[n % len(communes)],
                  "has_dwelling": row["has_dwelling"],
                  "income_monthly_per_capita": row["income_monthly_per_capita"],
                  "income_annual_total": row["income_annual_total"],
                  "income_b1_score": row["income_b1_score"],
                  "uses_internet": row["information_uses_internet"],
                  "devices": row["information_devices"], "farm_household": n % 3 == 0}
        if row["has_dwelling"]:
            values |= {key: row[source] for key, source in DWELLING.items()}
        sheet.write_row(n, 0, [_text(c, values.get(c.key)) for c in columns])
    sheet = book.add_worksheet("Thành viên")
    columns = member_columns()
    sheet.write_row(0, 0, [c.header for c in columns])
    total = 0
    for n, row in enumerate(members.iter_rows(named=True), start=1):
        birth = row["birth_date"]
        values = {k: row.get(k) for k in (c.key for c in columns)} | {
            "household": codes[row["household_id"]], "position": int(row["id"]),
            "full_name": _name(rng, row["sex"], row["ethnicity"] or "Kinh"),
            "id_number": _id_number(rng, birth, row["sex"]) if birth.year <= 2010 else None,
            "school_level": row["school_level"] if row["in_education"] else None,
            "social_allowance": row["social_allowance"] or None,
            "workplace_trained": row["workplace_trained"] or None}
        sheet.write_row(n, 0, [_text(c, values.get(c.key)) for c in columns])
        total = n
    book.close()
    return total
