"""Classify many household records: all of them are validated at once by the vectorised
validator (``table_checks.py``; a bad record never stops the others), the valid ones go
through the batch engine together."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl

from ..messages import DEFAULT_LANG, text
from ..rules.parameters import Registry, default_registry
from ..table_checks import RecordCheck, check_records, validate_tables
from ..tables import read_records, records_to_tables
from .batch import classify_tables, result_records

if TYPE_CHECKING:
    from ..rules.scorecard import Scorecard

Progress = Callable[[int], object]
c = pl.col


def _checked(items: list[Any], lang: str, scorecard: Scorecard | None) -> RecordCheck:
    return check_records(read_records(items, lang, scorecard), lang)


def _errors_of(check: RecordCheck, count: int) -> list[list[str]]:
    errors: list[list[str]] = [[] for _ in range(count)]
    for hh, found in zip(check.bad.get_column("hh").to_list(),
                         check.bad.get_column("errors").to_list(), strict=True):
        errors[hh] = found
    return errors


def validate_many(items: list[Any], lang: str = DEFAULT_LANG,
                  scorecard: Scorecard | None = None,
                  progress: Progress | None = None) -> list[list[str]]:
    """The errors of every item, in order; a repeated household id is an error too."""
    errors = _errors_of(_checked(items, lang, scorecard), len(items))
    if progress is not None:
        progress(len(items))
    return errors


def classify_many(items: list[Any], registry: Registry | None = None,
                  standard_id: str | None = None, lang: str = DEFAULT_LANG,
                  scorecard: Scorecard | None = None,
                  progress: Progress | None = None) -> list[dict[str, Any]]:
    """One contract result per item, in the same order."""
    registry = registry or default_registry()
    if standard_id is not None:
        registry.get(standard_id)
    check = _checked(items, lang, scorecard)
    errors = _errors_of(check, len(items))
    if progress is not None:
        progress(len(items) // 2)
    bad = check.bad.get_column("hh").implode()
    households = check.households.filter(~c("hh").is_in(bad))
    results: dict[int, dict[str, Any]] = {}
    if households.height:
        members = check.members.filter(~c("hh").is_in(bad)).drop("reference_date")
        classified, no_standard = classify_tables(households, members, registry, standard_id,
                                                  lang)
        results = result_records(classified, registry, lang)
        for row in no_standard.iter_rows(named=True):
            results[row["hh"]] = {"id": row["id"], "errors": row["errors"]}
    if progress is not None:
        progress(len(items) - len(items) // 2)
    return [results[i] if not found else _rejected(item, found)
            for i, (item, found) in enumerate(zip(items, errors, strict=True))]


def _rejected(item: Any, errors: list[str]) -> dict[str, Any]:
    rid = item.get("id") if isinstance(item, dict) else None
    return {"id": rid if isinstance(rid, str) else None, "errors": errors}


def population_frame(valid: list[dict[str, Any]], registry: Registry | None = None,
                     standard_id: str | None = None, lang: str = DEFAULT_LANG,
                     scorecard: Scorecard | None = None) -> tuple[pl.DataFrame, list[str]]:
    """Batch results of valid records with the fields to group by (``area``,
    ``province_code``, ``commune_code``, the head's ``ethnicity``), and the standards used."""
    registry = registry or default_registry()
    if not valid:
        return pl.DataFrame(), []
    households, members = records_to_tables(valid, scorecard)
    results, _ = classify_tables(households, members, registry, standard_id, lang,
                                 explain=False)
    heads = members.filter(c("relation") == "head").select(
        c("household_id").alias("id"), "ethnicity")
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
    good = ~c("hh").is_in(bad.get_column("hh").implode())
    results, no_standard = classify_tables(households.with_row_index("hh").filter(good),
                                           keyed_members.filter(good), registry, standard_id,
                                           lang, explain=reasons)
    results = results.drop("income_b1_score", "n_members", "unknown_count")
    rejected = pl.concat([bad, no_standard.select("hh", "errors")]).join(
        households.with_row_index("hh").select("hh", "id"), on="hh")
    out = pl.concat([results, rejected], how="diagonal_relaxed").sort("hh").drop("hh")
    if orphans:
        out = pl.concat([out, pl.DataFrame({"id": orphans, "errors": [
            [f"members: {text('orphan_member', lang)}"]] * len(orphans)})],
            how="diagonal_relaxed")
    return out
