"""Classify many household records: each is validated on its own (a bad record never stops
the others), the valid ones go through the batch engine together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
import polars.selectors as cs

from ..household import ParseFailure, validate_household
from ..messages import DEFAULT_LANG, text
from ..rules.parameters import Registry, default_registry
from ..table_checks import validate_tables
from ..tables import records_to_tables
from .batch import classify_tables, result_records
from .classify import rejected

Progress = Callable[[int], None]


def validate_many(items: list[Any], lang: str = DEFAULT_LANG, scorecard=None,
                  progress: Progress | None = None) -> list[list[str]]:
    """The errors of every item, in order; a repeated household id is an error too."""
    first_index: dict[str, int] = {}
    all_errors = []
    for index, item in enumerate(items):
        if isinstance(item, ParseFailure):
            errors = [item.message]
        else:
            errors = validate_household(item, lang, scorecard)
            rid = item.get("id") if isinstance(item, dict) else None
            if isinstance(rid, str):
                if rid in first_index:
                    errors.append("id: " + text("duplicate_id", lang, index=first_index[rid] + 1))
                else:
                    first_index[rid] = index
        all_errors.append(errors)
        if progress is not None:
            progress(1)
    return all_errors


def classify_many(items: list[Any], registry: Registry | None = None,
                  standard_id: str | None = None, lang: str = DEFAULT_LANG, scorecard=None,
                  progress: Progress | None = None) -> list[dict[str, Any]]:
    """One contract result per item, in the same order."""
    registry = registry or default_registry()
    if standard_id is not None:
        registry.get(standard_id)
    errors = validate_many(items, lang, scorecard, progress)
    valid = [item for item, e in zip(items, errors, strict=True) if not e]
    by_position: dict[int, dict[str, Any]] = {}
    if valid:
        households, members = records_to_tables(valid, scorecard)
        owner = [i for i, record in enumerate(valid) for _ in record["members"]]
        members = members.with_columns(hh=pl.Series(owner, dtype=pl.UInt32))
        results, no_standard = classify_tables(households, members, registry, standard_id, lang)
        by_position = result_records(results, registry, lang)
        for row in no_standard.iter_rows(named=True):
            by_position[row["hh"]] = {"id": row["id"], "errors": row["errors"]}
    out = []
    position = 0
    for item, e in zip(items, errors, strict=True):
        if e:
            out.append(rejected(item if isinstance(item, dict) else {}, e))
        else:
            out.append(by_position[position])
            position += 1
    return out


def population_frame(valid: list[dict[str, Any]], registry: Registry | None = None,
                     standard_id: str | None = None, lang: str = DEFAULT_LANG,
                     scorecard=None) -> tuple[pl.DataFrame, list[str]]:
    """Batch results of valid records with the fields to group by (``area``,
    ``province_code``, ``commune_code``, the head's ``ethnicity``), and the standards used."""
    registry = registry or default_registry()
    if not valid:
        return pl.DataFrame(), []
    households, members = records_to_tables(valid, scorecard)
    results, _ = classify_tables(households, members, registry, standard_id, lang,
                                 explain=False)
    heads = members.filter(pl.col("relation") == "head").select(
        pl.col("household_id").alias("id"), "ethnicity")
    fields = households.select("id", "province_code", "commune_code").join(
        heads, on="id", how="left")
    frame = results.join(fields, on="id", how="left")
    return frame, frame.get_column("standard").unique().sort().to_list()


def classify_population(households: pl.DataFrame, members: pl.DataFrame,
                        registry: Registry | None = None, standard_id: str | None = None,
                        lang: str = DEFAULT_LANG, reasons: bool = False) -> pl.DataFrame:
    """Validate and classify two tables: one output row per household row, in order, with the
    result columns (``reasons`` on request) or the household's ``errors``."""
    registry = registry or default_registry()
    bad, orphans, keyed_members = validate_tables(households, members, lang)
    good = ~pl.col("hh").is_in(bad.get_column("hh").implode())
    results, no_standard = classify_tables(households.with_row_index("hh").filter(good),
                                           keyed_members.filter(good), registry, standard_id,
                                           lang, explain=reasons)
    if reasons:
        texts = result_records(results, registry, lang)
        results = results.with_columns(reasons=pl.Series(
            [texts[h]["reasons"] for h in results.get_column("hh").to_list()],
            dtype=pl.List(pl.String)))
    results = results.select(~cs.starts_with("e_")).drop("income_b1_score", "n_members",
                                                         "unknown_count")
    rejected = pl.concat([bad, no_standard.select("hh", "errors")]).join(
        households.with_row_index("hh").select("hh", "id"), on="hh")
    out = pl.concat([results, rejected], how="diagonal_relaxed").sort("hh").drop("hh")
    if orphans:
        out = pl.concat([out, pl.DataFrame({"id": orphans, "errors": [
            [f"members: {text('orphan_member', lang)}"]] * len(orphans)})],
            how="diagonal_relaxed")
    return out
