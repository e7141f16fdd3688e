"""Synthetic households for benchmarks, tests and the demo. SYNTHETIC DATA: no real person.

Sizes follow a rural Vietnamese distribution (about 3.5 members), ages follow the household's
structure, incomes are log-normal with a small share under the poverty line, and each field is
sometimes left unrecorded so that every branch of the rules is exercised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from .household import DEVICES, EDUCATION, EMPLOYMENT, LATRINES, WASTE_DISPOSALS, WATER_SOURCES
from .tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA

SIZE_SHARES = {1: 0.08, 2: 0.17, 3: 0.24, 4: 0.27, 5: 0.14, 6: 0.07, 7: 0.03}
ETHNIC_GROUPS = {"Kinh": 0.82, "Hoa": 0.04, "Mạ": 0.05, "S'tiêng": 0.03, "Tày": 0.02,
                 "Nùng": 0.02, "Chơ Ro": 0.02}


def _pick(rng: np.random.Generator, values: Sequence[Any], probabilities: Sequence[float],
          size: int) -> np.ndarray[Any, Any]:
    p = np.asarray(probabilities, dtype=float)
    return rng.choice(np.asarray(values, dtype=object), size=size, p=p / p.sum())


def _maybe_missing(rng: np.random.Generator, values: np.ndarray[Any, Any],
                   share: float) -> list[Any]:
    missing = rng.random(len(values)) < share
    return [None if m else v for v, m in zip(values.tolist(), missing.tolist(), strict=True)]


def _only(condition: np.ndarray[Any, Any], values: np.ndarray[Any, Any]) -> list[Any]:
    """The values where the condition holds, None elsewhere."""
    return [v if kept else None
            for v, kept in zip(values.tolist(), condition.tolist(), strict=True)]


def synthetic_tables(count: int, seed: int = 0, reference_date: dt.date = dt.date(2024, 10, 15),
                     province_code: str = "75", communes: tuple[str, ...] = ("26131", "26119"),
                     missing_share: float = 0.01) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``count`` synthetic households and their members as the batch engine's tables."""
    rng = np.random.default_rng(seed)
    sizes = _pick(rng, list(SIZE_SHARES), list(SIZE_SHARES.values()), count).astype(int)
    ids = [f"SYN-{i:07d}" for i in range(count)]
    income = np.exp(rng.normal(np.log(3_200_000), 0.55, count)).astype(np.int64)
    kind = rng.random(count)
    households = pl.DataFrame({
        "id": ids,
        "reference_date": [reference_date] * count,
        "area": _pick(rng, ["rural", "urban"], [0.85, 0.15], count).tolist(),
        "province_code": [province_code] * count,
        "commune_code": _pick(rng, list(communes), [1] * len(communes), count).tolist(),
        "income_monthly_per_capita": _only(kind < 0.8, income),
        "income_annual_total": _only((kind >= 0.8) & (kind < 0.95), income * 12 * sizes),
        "income_b1_score": _only(kind >= 0.95, np.round(rng.normal(185, 30, count), 1)),
        "has_dwelling": (rng.random(count) > 0.002).tolist(),
        "dwelling_walls": _maybe_missing(rng, _pick(rng, ["durable", "non_durable"],
                                                    [0.9, 0.1], count), missing_share),
        "dwelling_frame": _pick(rng, ["durable", "non_durable"], [0.92, 0.08], count).tolist(),
        "dwelling_roof": _pick(rng, ["durable", "non_durable"], [0.9, 0.1], count).tolist(),
        "dwelling_floor_area_m2": np.round(rng.gamma(4, 16, count), 1).tolist(),
        "dwelling_water_source": _maybe_missing(rng, _pick(
            rng, WATER_SOURCES, [30, 35, 10, 5, 2, 1, 3, 8, 4, 2], count), missing_share),
        "dwelling_latrine": _pick(rng, LATRINES, [55, 25, 3, 2, 2, 7, 1, 4, 1], count).tolist(),
        "information_uses_internet": (rng.random(count) > 0.08).tolist(),
        "information_devices": _devices(rng, count),
    }, schema={k: v for k, v in HOUSEHOLD_SCHEMA.items() if k != "dwelling_waste_disposal"})
    members = _members(rng, ids, sizes, reference_date, missing_share)
    # drawn last, so that the other answers stay those of the same seed before the field
    # existed; recorded for most households, not for those surveyed before it existed
    waste = _maybe_missing(rng, _pick(rng, WASTE_DISPOSALS, [55, 25, 10, 7, 3], count), 0.1)
    households = households.with_columns(
        dwelling_waste_disposal=pl.Series(waste, dtype=pl.String)).select(list(HOUSEHOLD_SCHEMA))
    households = households.with_columns(
        pl.when(pl.col("has_dwelling")).then(pl.col(c)).alias(c)
        for c in HOUSEHOLD_SCHEMA if c.startswith("dwelling_"))
    return households, members


DEVICE_SHARES = [30, 5, 5, 8, 5, 40, 7]  # in the order of DEVICES


def _devices(rng: np.random.Generator, count: int) -> list[list[str]]:
    """0 to 3 different devices a household, in the contract's order (a set, as recorded)."""
    p = np.asarray(DEVICE_SHARES, dtype=float) / sum(DEVICE_SHARES)
    return [[DEVICES[i] for i in sorted(rng.choice(len(DEVICES), size=int(k), replace=False,
                                                   p=p).tolist())]
            for k in rng.integers(0, 4, count)]


def _ages_and_relations(rng: np.random.Generator, sizes: np.ndarray,
                        total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ages that fit the relations: the head 22-84, a spouse of about the head's age, a child
    18 to 42 years younger than the head, a grandchild 38 or more younger, a parent 18 to 35
    older (at most 100); where the head's age leaves no room, the member is a child or a
    sibling instead. Returns (position, age, relation)."""
    position = np.concatenate([np.arange(s) for s in sizes])
    head = np.repeat(rng.integers(22, 85, len(sizes)), sizes)
    relation = np.where(position == 0, "head", np.where(
        position == 1, "spouse",
        _pick(rng, ["child", "grandchild", "parent", "sibling", "other"], [70, 12, 10, 5, 3],
              total))).astype(object)
    u = rng.random(total)
    relation = np.where((relation == "grandchild") & (head < 40), "child", relation)
    parent_age = head + rng.integers(18, 36, total)
    relation = np.where((relation == "parent") & (parent_age > 100), "sibling", relation)
    child_gap = 18 + np.floor(u * (np.minimum(head + 1, 43) - 18)).astype(int)
    grandchild_gap = 38 + np.floor(u * (np.minimum(head, 66) - 38)).astype(int)
    age = np.select(
        [relation == "head", relation == "spouse", relation == "child",
         relation == "grandchild", relation == "parent", relation == "sibling"],
        [head, np.clip(head + rng.integers(-6, 5, total), 18, 95), head - child_gap,
         head - grandchild_gap, parent_age, np.clip(head + rng.integers(-10, 11, total), 0, 100)],
        rng.integers(0, 80, total))
    return position, age, relation


def _members(rng: np.random.Generator, ids: list[str], sizes: np.ndarray,
             reference_date: dt.date, missing_share: float) -> pl.DataFrame:
    total = int(sizes.sum())
    owner = np.repeat(np.asarray(ids, dtype=object), sizes)
    position, age, relation = _ages_and_relations(rng, sizes, total)
    days = age * 365 + rng.integers(0, 365, total)
    birth = np.datetime64(reference_date) - days.astype("timedelta64[D]")
    head_sex = np.repeat(_pick(rng, ["male", "female"], [0.7, 0.3], len(ids)), sizes)
    opposite = np.where(head_sex == "male", "female", "male")
    sex = np.where(position == 0, head_sex, np.where(
        relation == "spouse", opposite, _pick(rng, ["male", "female"], [0.5, 0.5], total)))
    child = age < 16
    in_education = np.where(age < 3, False,
                            np.where(age < 16, rng.random(total) < 0.95,
                                     np.where(age < 23, rng.random(total) < 0.4, False)))
    school_level = [None if not attending else "preschool" if a < 6 else "primary" if a < 11
                    else "lower_secondary" if a < 15 else "upper_secondary" if a < 18
                    else "higher" for attending, a in zip(in_education.tolist(), age.tolist(),
                                                          strict=True)]
    education = np.where(age < 6, "none", _pick(rng, EDUCATION,
                                                [6, 22, 30, 25, 5, 4, 3, 5], total))
    employment = np.where(age < 15, "student", _pick(rng, EMPLOYMENT, [18, 10, 45, 5, 7, 15],
                                                     total))
    disability = _pick(rng, ["none", "mild", "severe", "very_severe"], [93, 4, 2, 1], total)
    return pl.DataFrame({
        "household_id": owner.tolist(),
        "id": (position + 1).astype(str).tolist(),
        "birth_date": birth.astype("datetime64[D]").tolist(),
        "relation": relation.tolist(),
        "sex": sex.tolist(),
        "employment": _maybe_missing(rng, employment, missing_share),
        "education": education.tolist(),
        "school_level": school_level,
        "disability": disability.tolist(),
        "health_insurance": _maybe_missing(rng, rng.random(total) > 0.07, missing_share),
        "in_education": in_education.tolist(),
        "unable_to_work": (rng.random(total) < 0.02).tolist(),
        "social_allowance": (rng.random(total) < 0.03).tolist(),
        "workplace_trained": (rng.random(total) < 0.05).tolist(),
        "stunted": _only(child, rng.random(total) < 0.06),
        "underweight": _only(child, rng.random(total) < 0.05),
        "ethnicity": np.repeat(_pick(rng, list(ETHNIC_GROUPS), list(ETHNIC_GROUPS.values()),
                                     len(ids)), sizes).tolist(),
    }, schema=MEMBER_SCHEMA)
