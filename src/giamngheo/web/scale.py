"""A SYNTHETIC registry at national scale for the speed benchmarks: a made-up province of
communes of ~10,000 households each, their members, and a closed annual review per commune
whose classifications the batch engine computed.

Rows go in with PostgreSQL's COPY (executemany on SQLite) and explicit ids, in chunks of
communes; no row is entered by anyone, so none has a history record. Nothing here is used by
the application itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import orjson
import polars as pl
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..engine.batch import classify_tables
from ..rules.parameters import default_registry
from ..synthetic import synthetic_tables
from .bulk import insert_rows
from .demo import GIVEN, SURNAMES
from .households.models import Household, Member, search_key
from .reviews.models import Decision, Review, ReviewEntry, Step, deprivation_key
from .reviews.statuses import refresh_current_status
from .units.models import AdministrativeUnit as Unit

PROVINCE_CODE = "SYN"
STANDARD = "vn-2022-2025"
REFERENCE_DATE = dt.date(2024, 10, 15)
HAMLETS_PER_COMMUNE = 6
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức", "Hữu", "Bảo"]


def _analyze(*models) -> None:
    """Fresh planner statistics after a bulk load, so the next statements plan well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _province() -> Unit:
    province, _created = Unit.objects.get_or_create(
        level="province", code=PROVINCE_CODE,
        defaults={"name": "Tỉnh giả lập (synthetic)", "kind": "tinh"})
    return province


def _communes(province: Unit, count: int) -> list[tuple[Unit, list[Unit]]]:
    existing = province.children.count()
    made = []
    for number in range(existing + 1, existing + count + 1):
        commune = Unit.objects.create(code=f"{PROVINCE_CODE}{number:05d}",
                                      name=f"Xã Giả Lập {number}", kind="xa",
                                      level="commune", parent=province)
        hamlets = [Unit.objects.create(code=f"{commune.code}-{n:02d}", name=f"Ấp {n}",
                                       kind="ap", level="hamlet", parent=commune)
                   for n in range(1, HAMLETS_PER_COMMUNE + 1)]
        made.append((commune, hamlets))
    return made


def _names(rng: np.random.Generator, sexes: np.ndarray) -> list[str]:
    n = len(sexes)
    middle = np.where(sexes == "male", "Văn", "Thị")
    middle = np.where(rng.random(n) < .4, rng.choice(MIDDLE, n), middle)
    return [f"{s} {m} {g}" for s, m, g in zip(rng.choice(SURNAMES, n), middle,
                                              rng.choice(GIVEN, n), strict=True)]


def _id_numbers(rng: np.random.Generator, births: pl.Series, sexes: np.ndarray) -> list[str]:
    years = births.dt.year().to_numpy()
    century = (years // 100 - 19) * 2 + (sexes == "female")
    serial = rng.integers(0, 10**6, len(years))
    return [f"075{c}{y % 100:02d}{s:06d}" if y <= 2010 else ""
            for c, y, s in zip(century, years, serial, strict=True)]


def _add_communes(communes: list[tuple[Unit, list[Unit]]], per_commune: int, seed: int,
                  user: User) -> None:
    """Households, members and a closed annual review for a chunk of communes."""
    codes = [c.code for c, _h in communes]
    households, members = _synthetic(per_commune, seed, codes)
    results, _rejected = classify_tables(households, members, standard_id=STANDARD,
                                         explain=False)
    rng = np.random.default_rng(seed)
    by_code = {c.code: (c, h) for c, h in communes}
    first_household, first_member = _next_id(Household), _next_id(Member)
    household_ids = dict(zip(households["id"], range(first_household,
                                                     first_household + len(households)),
                             strict=True))
    sexes = members["sex"].to_numpy()
    names = _names(rng, sexes)
    member_ids = members["household_id"].replace_strict(household_ids).to_list()
    search: dict[int, list[str]] = {}
    for pk, name in zip(member_ids, names, strict=True):
        search.setdefault(pk, []).append(name)
    now = timezone.now()
    hamlet_picks = rng.integers(0, HAMLETS_PER_COMMUNE, len(households))
    farm = rng.random(len(households)) < .6
    household_rows = []
    for n, row in enumerate(households.iter_rows(named=True)):
        pk = household_ids[row["id"]]
        commune, hamlets = by_code[row["commune_code"]]
        code = f"{commune.code}-{n % per_commune + 1:05d}"
        household_rows.append((
            pk, code, commune.pk, hamlets[hamlet_picks[n]].pk, row["area"],
            f"Tổ {n % 12 + 1}", "", bool(farm[n]), "[]", "Dữ liệu giả lập (synthetic)",
            row["has_dwelling"], row["dwelling_walls"] or "", row["dwelling_frame"] or "",
            row["dwelling_roof"] or "", row["dwelling_floor_area_m2"],
            row["dwelling_water_source"] or "", row["dwelling_latrine"] or "",
            row["dwelling_waste_disposal"] or "", row["information_uses_internet"],
            orjson.dumps(row["information_devices"]).decode(),
            row["income_monthly_per_capita"], row["income_annual_total"],
            row["income_b1_score"], dt.date(2020, 1, 1), "active", 1, now, now,
            search_key(code, search.get(pk, [])), "", None, ""))
    insert_rows(Household, HOUSEHOLD_COLUMNS, household_rows)
    ethnicity = members["ethnicity"].to_list()
    insert_rows(Member, MEMBER_COLUMNS, (
        (first_member + n, member_ids[n], int(row["id"]), names[n], id_number,
         row["relation"], row["birth_date"], row["sex"], ethnicity[n] or "",
         row["employment"] or "", row["health_insurance"], row["education"] or "",
         row["in_education"], row["school_level"] or "", row["disability"] or "",
         row["unable_to_work"], bool(row["social_allowance"]),
         bool(row["workplace_trained"]), row["stunted"], row["underweight"])
        for n, (row, id_number) in enumerate(zip(
            members.iter_rows(named=True), _id_numbers(rng, members["birth_date"], sexes),
            strict=True))))
    _close_reviews(communes, households, results, household_ids, user)


def _close_reviews(communes, households: pl.DataFrame, results: pl.DataFrame,
                   household_ids: dict[str, int], user: User) -> None:
    codes = list(default_registry().get(STANDARD).codes)
    keyed = results.select("id", "classification", "poor_group", deprivations=pl.struct(codes))
    classified = households.select("id", "commune_code").join(keyed, on="id")
    reviews = {}
    for commune, _hamlets in communes:
        review = Review.objects.create(
            commune=commune, kind=Review.Kind.PERIODIC, period_year=REFERENCE_DATE.year + 1,
            reference_date=REFERENCE_DATE, standard_id=STANDARD, step=Step.CLOSED,
            opened_by=user)
        Decision.objects.create(review=review, number=f"{commune.pk}/QĐ-UBND",
                                signed_on=dt.date(2024, 12, 10), signed_by="Chủ tịch UBND xã")
        reviews[commune.code] = review.pk
    first = _next_id(ReviewEntry)
    insert_rows(ReviewEntry, ENTRY_COLUMNS, (
        (first + n, reviews[commune_code], household_ids[pk], "registry", classification,
         poor_group or "", deprivation_key(deprivations), "", "")
        for n, (pk, commune_code, classification, poor_group, deprivations)
        in enumerate(classified.iter_rows())))
    _analyze(Household, Member, ReviewEntry)
    for commune, _hamlets in communes:
        refresh_current_status(commune)


HOUSEHOLD_COLUMNS = (
    "id", "code", "commune_id", "hamlet_id", "area", "address", "phone", "farm_household",
    "poverty_causes", "notes", "has_dwelling", "walls", "frame", "roof", "floor_area_m2",
    "water_source", "latrine", "waste_disposal", "uses_internet", "devices",
    "income_monthly_per_capita",
    "income_annual_total", "income_b1_score", "registered_on", "status", "version", "created",
    "updated", "search_text", "current_status", "status_year", "current_deprivations")
MEMBER_COLUMNS = (
    "id", "household_id", "position", "full_name", "id_number", "relation", "birth_date", "sex",
    "ethnicity", "employment", "health_insurance", "education", "in_education", "school_level",
    "disability", "unable_to_work", "social_allowance", "workplace_trained", "stunted",
    "underweight")
ENTRY_COLUMNS = ("id", "review_id", "household_id", "listed_because", "classification",
                 "poor_group", "deprivations", "withdrawn_because", "withdrawn_note")


def _synthetic(per_commune: int, seed: int,
               codes: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``per_commune`` households in each commune of ``codes``, in that order."""
    households, members = synthetic_tables(per_commune * len(codes), seed=seed,
                                           reference_date=REFERENCE_DATE,
                                           province_code=PROVINCE_CODE)
    return households.with_columns(commune_code=pl.Series(np.repeat(codes, per_commune))), \
        members


def generate_registry(households: int, per_commune: int = 10_000, seed: int = 1,
                      progress: Callable[[int], None] = lambda done: None) -> int:
    """Add ``households`` synthetic households (rounded to whole communes); returns the
    number of communes added. ``progress`` is called with the households done so far."""
    user = User.objects.get_or_create(username="synthetic-generator")[0]
    province = _province()
    communes = _communes(province, max(1, round(households / per_commune)))
    chunk = max(1, 100_000 // per_commune)
    for start in range(0, len(communes), chunk):
        with transaction.atomic():
            _add_communes(communes[start:start + chunk], per_commune, seed + start, user)
        progress(min(len(communes), start + chunk) * per_commune)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Household, Member, ReviewEntry]):
                cursor.execute(sql)
            # VACUUM sets the visibility map (index-only counts); not allowed in a transaction
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return len(communes)
