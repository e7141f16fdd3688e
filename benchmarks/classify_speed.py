"""Speed of the rules engine on synthetic households (SYNTHETIC DATA). Prints figures.

    uv run python benchmarks/classify_speed.py [--households 1000000] [--jsonl 100000]

1. The batch engine from Parquet to results for N households: read, validate, classify
   (without and with the reasons, worded by the rules' vectorised forms).
2. The scalar engine on a sample, extrapolated to N; the ratio scalar / batch.
3. `giamngheo classify` on a JSONL file against Python's json module parsing the same file.

Timings are medians of several runs on a shared machine: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import polars as pl

from giamngheo.engine.batch import classify_tables
from giamngheo.engine.classify import classify_record
from giamngheo.engine.records import classify_population
from giamngheo.synthetic import synthetic_tables
from giamngheo.table_checks import validate_tables
from giamngheo.tables import tables_to_records


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def batch_figures(folder: Path, count: int, runs: int) -> float:
    households_path, members_path = folder / "households.parquet", folder / "members.parquet"
    if not households_path.exists():
        start = time.perf_counter()
        households, members = synthetic_tables(count, seed=7)
        households.write_parquet(households_path)
        members.write_parquet(members_path)
        print(f"generated {count:,} households, {members.height:,} members "
              f"({members.height / count:.2f} per household) in "
              f"{time.perf_counter() - start:.1f} s")

    def classify_only(explain: bool) -> None:
        classify_tables(pl.read_parquet(households_path), pl.read_parquet(members_path),
                        explain=explain)

    def validate_and_classify() -> None:
        classify_population(pl.read_parquet(households_path), pl.read_parquet(members_path))

    households = pl.read_parquet(households_path)
    members = pl.read_parquet(members_path)
    read = median_time(lambda: (pl.read_parquet(households_path),
                                pl.read_parquet(members_path)), runs)
    check = median_time(lambda: validate_tables(households, members), runs)
    plain = median_time(lambda: classify_only(False), runs)
    explained = median_time(lambda: classify_only(True), runs)
    checked = median_time(validate_and_classify, runs)
    print(f"batch, {count:,} households, Parquet -> results (median of {runs}):")
    print(f"  read both tables                          {read:.2f} s")
    print(f"  read + classify                           {plain:.2f} s  (goal: under 3 s)")
    print(f"  read + classify with the reasons          {explained:.2f} s")
    print(f"  validate the tables alone                 {check:.2f} s")
    print(f"  read + validate + classify (`batch`)      {checked:.2f} s")
    return plain


def scalar_figures(folder: Path, count: int, batch_seconds: float, sample: int) -> None:
    households, members = synthetic_tables(sample, seed=8)
    records = tables_to_records(households, members)
    start = time.perf_counter()
    for record in records:
        classify_record(record)
    per_household = (time.perf_counter() - start) / sample
    total = per_household * count
    print(f"scalar, {sample:,} households: {per_household * 1e6:.0f} µs each, "
          f"{total:.0f} s extrapolated to {count:,}; scalar / batch = "
          f"{total / batch_seconds:.0f}x")


def cli_figures(folder: Path, count: int, runs: int) -> None:
    path = folder / f"households-{count}.jsonl"
    if not path.exists():
        households, members = synthetic_tables(count, seed=9)
        with path.open("wb") as handle:
            for record in tables_to_records(households, members):
                handle.write(orjson.dumps(record) + b"\n")
    data = path.read_bytes()
    command = [sys.executable, "-m", "giamngheo.cli", "classify", str(path), "--format",
               "jsonl", "-o", str(folder / "results.jsonl")]
    # an installed program runs from compiled bytecode: let the first run write it
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, env=environment)
    parse, classify = [], []
    for _ in range(runs):  # alternated, so that both meet the same load of a shared machine
        parse.append(median_time(lambda: [json.loads(line) for line in data.splitlines()], 1))
        classify.append(median_time(lambda: subprocess.run(command, check=True,
                                                           env=environment), 1))
    parse_s, classify_s = statistics.median(parse), statistics.median(classify)
    print(f"CLI, {count:,} households in JSONL ({len(data) / 1e6:.0f} MB, median of {runs}):")
    print(f"  json.loads of every line {parse_s:.2f} s; giamngheo classify {classify_s:.2f} s; "
          f"ratio {classify_s / parse_s:.2f} (goal: at most 4, aim 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--jsonl", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--data", type=Path, help="folder to keep the generated files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        batch_seconds = batch_figures(folder, args.households, args.runs)
        scalar_figures(folder, args.households, batch_seconds, args.sample)
        cli_figures(folder, args.jsonl, args.runs)


if __name__ == "__main__":
    main()
