"""Speed and memory of the household export (SYNTHETIC DATA). Prints figures.

    DATABASE_URL=postgres://... uv run python benchmarks/export_speed.py [--households 100000]

Exports the first N households (by code) of the registry with their members to a workbook
(the import template's shape) and prints the time and the process's peak memory (RSS). Run it
on the registry of ``benchmarks/web_speed.py`` (``giamngheo manage generate_households``).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
    import django

    django.setup()
    from giamngheo.web.exchange.export import write_households
    from giamngheo.web.households.models import Household

    last = Household.objects.order_by("code").values_list("code", flat=True)[
        args.households - 1]
    households = Household.objects.filter(code__lte=last)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = Path(tempfile.mkdtemp()) / "xuat.xlsx"
    start = time.perf_counter()
    count = write_households(households, path, shows_id_numbers=lambda *_unit: True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count:,} households with members → {path.stat().st_size / 1e6:.1f} MB workbook "
          f"in {elapsed:.1f} s (goal: under 60 s)")
    print(f"peak memory of the process: {peak:.0f} MB (before the export: {before:.0f} MB; "
          f"goal: under 500 MB)")


if __name__ == "__main__":
    main()
