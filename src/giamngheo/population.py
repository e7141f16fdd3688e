"""A population to analyse (the what-if of a standard, the support plan): the valid household
records of an input as the engine's two tables, the rejected ones with their errors, and a
SHA-256 of the input so that a run can say exactly what it was computed from.

Records go through the record validator (every problem with its path), tables through the
vectorised table validator; the analyses never see an invalid household.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from . import formats
from .engine.records import validate_many
from .messages import DEFAULT_LANG, text
from .rules.scorecard import Scorecard
from .table_checks import validate_tables
from .tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, read_table, records_to_tables


@dataclass
class Population:
    households: pl.DataFrame  # valid households, one row each, in input order
    members: pl.DataFrame  # their members, keyed by ``household_id``, grouped in that order
    sha256: str  # of the input the population was read from
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"id", "errors"}

    @property
    def size(self) -> int:
        return self.households.height


def records_sha256(items: list[Any]) -> str:
    """A digest of records that does not depend on key order or whitespace."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(orjson.dumps(item, option=orjson.OPT_SORT_KEYS, default=str))
        digest.update(b"\n")
    return digest.hexdigest()


def file_sha256(*paths: Path | str) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def from_records(items: list[Any], lang: str = DEFAULT_LANG, scorecard: Scorecard | None = None,
                 sha256: str | None = None) -> Population:
    """Records (as ``formats.read_input`` gives them): the valid ones as tables."""
    errors = validate_many(items, lang, scorecard)
    valid = [item for item, problems in zip(items, errors, strict=True) if not problems]
    rejected = [{"id": item.get("id") if isinstance(item, dict) else None, "errors": problems}
                for item, problems in zip(items, errors, strict=True) if problems]
    if valid:
        households, members = records_to_tables(valid, scorecard)
    else:
        households = pl.DataFrame(schema=HOUSEHOLD_SCHEMA)
        members = pl.DataFrame(schema=MEMBER_SCHEMA)
    return Population(households, members, sha256 or records_sha256(items), rejected)


def from_tables(households: pl.DataFrame, members: pl.DataFrame, lang: str = DEFAULT_LANG,
                sha256: str = "") -> Population:
    """Household and member tables: the rows the table validator passes."""
    bad, orphans, _keyed = validate_tables(households, members, lang)
    rejected_rows = set(bad.get_column("hh").to_list())
    ids = households.get_column("id").to_list()
    rejected = [{"id": ids[row], "errors": problems} for row, problems in
                zip(bad.get_column("hh").to_list(), bad.get_column("errors").to_list(),
                    strict=True)]
    rejected += [{"id": owner, "errors": [f"members: {text('orphan_member', lang)}"]}
                 for owner in orphans]
    if rejected_rows:
        households = households.with_row_index("_row").filter(
            ~pl.col("_row").is_in(list(rejected_rows))).drop("_row")
    members = members.join(households.select(household_id=pl.col("id")), on="household_id",
                           how="semi", maintain_order="left")
    return Population(households, members, sha256, rejected)


def read_population(path: str, members_path: str | None = None, lang: str = DEFAULT_LANG,
                    scorecard: Scorecard | None = None) -> Population:
    """An input of the CLI: records (.json, .jsonl, .csv, .xlsx, ``-``), or a households
    table (.parquet, .csv) with its members table."""
    if members_path:
        households = read_table(path, HOUSEHOLD_SCHEMA)
        members = read_table(members_path, MEMBER_SCHEMA)
        return from_tables(households, members, lang, file_sha256(path, members_path))
    items = formats.read_input(path)
    digest = file_sha256(path) if path != "-" else None
    return from_records(items, lang, scorecard, digest)
