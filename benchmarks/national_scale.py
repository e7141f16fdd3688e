"""National scale on one machine (SYNTHETIC DATA): `giamngheo batch` on Parquet registries of
1, 3 and 10 million households; prints rows, seconds, peak memory and the cost per household.

    uv run python benchmarks/national_scale.py [--sizes 1000000,3000000,10000000]
                                              [--folder /tmp/giamngheo-national]

The registries are made once in --folder (never in the repository), from blocks of 1,000,000
households of the synthetic generator (each block its own seed, its ids prefixed by the
block's number), streamed into one households and one members file per size. Each size is
classified by a fresh `giamngheo batch` process (read, validate, classify, write; in chunks of
households), whose wall time and peak resident memory (os.wait4) are printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from giamngheo.synthetic import synthetic_tables

BLOCK = 1_000_000


def block_files(folder: Path, block: int) -> tuple[Path, Path]:
    h, m = folder / f"block-{block:03d}-households.parquet", \
        folder / f"block-{block:03d}-members.parquet"
    if not h.exists():
        start = time.perf_counter()
        households, members = synthetic_tables(BLOCK, seed=1000 + block)
        prefix = f"SYN{block:03d}-"
        households.with_columns(pl.col("id").str.replace("SYN-", prefix)).write_parquet(h)
        members.with_columns(pl.col("household_id").str.replace("SYN-", prefix)) \
            .write_parquet(m)
        print(f"  block {block}: {members.height:,} members, "
              f"{time.perf_counter() - start:.1f} s", flush=True)
    return h, m


def registry(folder: Path, count: int) -> tuple[Path, Path]:
    h, m = folder / f"households-{count}.parquet", folder / f"members-{count}.parquet"
    if not h.exists():
        blocks = [block_files(folder, b) for b in range(count // BLOCK)]
        pl.concat([pl.scan_parquet(p) for p, _ in blocks]).sink_parquet(h)
        pl.concat([pl.scan_parquet(p) for _, p in blocks]).sink_parquet(m)
    return h, m


def run_batch(h: Path, m: Path, output: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one `giamngheo batch` process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "giamngheo", "batch", str(h), str(m),
                                "-o", str(output)], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    message = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"batch failed: {message}")
    print(f"  {message.strip()}", flush=True)
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,3000000,10000000")
    parser.add_argument("--folder", default="/tmp/giamngheo-national")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"making the registries in {folder} (once)", flush=True)
    files = {n: registry(folder, n) for n in sizes}
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores, shared machine)")
    rows = []
    for n in sizes:
        h, m = files[n]
        members = pl.scan_parquet(m).select(pl.len()).collect().item()
        seconds, peak = run_batch(h, m, folder / f"results-{n}.parquet")
        rows.append((n, members, seconds, peak))
    print(f"\n{'households':>12} {'members':>12} {'seconds':>8} {'peak RSS':>9} "
          f"{'µs/household':>13}")
    for n, members, seconds, peak in rows:
        print(f"{n:>12,} {members:>12,} {seconds:>8.1f} {peak / 2**30:>7.2f} GB "
              f"{seconds / n * 1e6:>13.2f}")
    smallest, largest = rows[0], rows[-1]
    print(f"cost per household, {largest[0]:,} / {smallest[0]:,}: "
          f"{(largest[2] / largest[0]) / (smallest[2] / smallest[0]):.2f}× "
          f"(1.00 is linear); peak memory ratio {largest[3] / smallest[3]:.2f}×")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
