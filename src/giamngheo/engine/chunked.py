"""Classify a registry too large for memory: Parquet tables read in chunks of households.

The result of a household depends only on the household, its members and the standards, so a
registry is classified chunk by chunk with ``classify_population`` (the vectorised validator,
then the batch engine) and the chunks' results are written one after the other: the memory
needed is that of one chunk, whatever the registry's size, and the results are those of the
whole tables classified at once (tests/engine/test_chunked.py).

A chunk's members are found by position: when the members come grouped in the households'
order (the usual layout, which the batch engine's fast path expects), household rows
``[a, b)`` own member rows ``[offset[a], offset[b])``, and Parquet reads just those row
groups. Tables in another
layout, or with a household id given twice (whose message names the first row, perhaps in
another chunk), are classified at once, in memory, as ``giamngheo batch`` always did.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import polars as pl

from ..messages import DEFAULT_LANG
from ..rules.parameters import Registry
from ..table_checks import check_schema
from ..tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, TableReadError
from .records import classify_population

CHUNK_HOUSEHOLDS = 1_000_000  # about 3.5 M members: 2-3 GB of working memory a chunk
Progress = Callable[[int, int], None]  # households done, households in all


def member_offsets(households: Path, members: Path) -> list[int] | None:
    """``offset[i]``: the first member row of household row ``i`` (and the member count at
    the end), when the members come grouped in the households' order and every household id
    is given once; None otherwise."""
    ids = pl.scan_parquet(households).select("id").collect().get_column("id")
    if ids.is_duplicated().any():
        return None
    runs = pl.scan_parquet(members).select("household_id").collect() \
        .get_column("household_id").rle().struct.unnest()
    if runs.height != ids.len() or not runs.get_column("value").equals(ids, check_names=False):
        return None
    return [0, *runs.get_column("len").cum_sum().to_list()]


def _schema_check(path: Path, schema: dict[str, pl.DataType], name: str) -> None:
    check_schema(pl.DataFrame(schema=pl.scan_parquet(path).collect_schema()), schema, name)


def _rows(path: Path, start: int, end: int) -> pl.DataFrame:
    try:
        return pl.scan_parquet(path).slice(start, end - start).collect()
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableReadError(f"{path}: {exc}") from None


def _sink(parts: list[Path], output: Path) -> None:
    """The chunks' results as one file, streamed (the chunks may lack columns that no
    household of theirs needed: a provincial standard's, the errors')."""
    frame = pl.concat([pl.scan_parquet(p) for p in parts], how="diagonal_relaxed")
    suffix = output.suffix.lower()
    if suffix == ".parquet":
        frame.sink_parquet(output)
    elif suffix == ".csv":
        lists = [k for k, t in frame.collect_schema().items() if isinstance(t, pl.List)]
        frame.with_columns(pl.col(k).list.join(" | ") for k in lists).sink_csv(output)
    elif suffix in (".jsonl", ".ndjson"):
        frame.sink_ndjson(output)
    else:
        raise TableReadError(f"{output}: write .parquet, .csv or .jsonl")


def _counts(results: pl.DataFrame) -> Counter[str | None]:
    return Counter(dict(results.get_column("classification").value_counts().iter_rows()))


def classify_files(households: Path | str, members: Path | str, output: Path | str,
                   registry: Registry | None = None, standard_id: str | None = None,
                   lang: str = DEFAULT_LANG, reasons: bool = False,
                   chunk: int = CHUNK_HOUSEHOLDS,
                   progress: Progress | None = None) -> Counter[str | None]:
    """Validate and classify the Parquet tables ``households`` and ``members`` into
    ``output`` (.parquet, .csv or .jsonl), ``chunk`` households at a time: the rows of
    ``classify_population`` on the whole tables, in the same order. Returns the number of
    households of each classification (None: rejected)."""
    households, members, output = Path(households), Path(members), Path(output)
    try:
        _schema_check(households, HOUSEHOLD_SCHEMA, "households")
        _schema_check(members, MEMBER_SCHEMA, "members")
        offsets = member_offsets(households, members)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableReadError(f"{households}, {members}: {exc}") from None
    if offsets is None:
        whole = classify_population(pl.read_parquet(households), pl.read_parquet(members),
                                    registry, standard_id, lang, reasons)
        with tempfile.TemporaryDirectory(prefix="giamngheo-") as folder:
            part = Path(folder) / "all.parquet"
            whole.write_parquet(part)
            counts = _counts(whole)
            del whole
            _sink([part], output)
        return counts
    total = len(offsets) - 1
    with tempfile.TemporaryDirectory(prefix="giamngheo-", dir=output.parent) as folder:
        parts: list[Path] = []
        counts = Counter[str | None]()
        for start in range(0, max(total, 1), chunk):
            end = min(start + chunk, total)
            first, last = offsets[start], offsets[end]
            out = classify_population(_rows(households, start, end),
                                      _rows(members, first, last),
                                      registry, standard_id, lang, reasons)
            parts.append(Path(folder) / f"{len(parts):05d}.parquet")
            out.write_parquet(parts[-1])
            counts.update(_counts(out))
            del out
            if progress is not None:
                progress(end, total)
        _sink(parts, output)
    return counts
