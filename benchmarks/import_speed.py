"""Speed of the Excel import (SYNTHETIC DATA). Prints figures.

    uv run python benchmarks/import_speed.py [--households 50000]

Writes a workbook of N synthetic households of the Tân Phú communes (two sheets, the template's
Vietnamese headers and labels, dates as dd/mm/yyyy, money as 1.500.000), then times the dry
run (read with calamine, every check) and the import (one transaction) into an empty registry.
Uses DATABASE_URL when set (PostgreSQL), else a throw-away SQLite file.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp())
    os.environ.setdefault("GIAMNGHEO_DATA_DIR", str(scratch))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from synthetic_workbook import write_workbook

    from giamngheo.web.accounts.models import Assignment, Role
    from giamngheo.web.exchange.importer import apply_import, plan_import
    from giamngheo.web.households.models import Household, Member
    from giamngheo.web.units.loading import load_units_file
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    call_command("migrate", verbosity=0)
    load_units_file()
    if Household.objects.exists():
        raise SystemExit("the benchmark imports into an empty registry")
    district = Unit.objects.get(level="district", code="734")
    user, _created = User.objects.get_or_create(username="benchmark-import")
    Assignment.objects.get_or_create(user=user, role=Role.COMMUNE_OFFICER, unit=district)
    communes = [c.code for c in Unit.objects.filter(level="commune", valid_from=None,
                                                    parent=district)]
    path = scratch / "ho-gia-dinh.xlsx"
    start = time.perf_counter()
    members = write_workbook(path, args.households, communes)
    written = time.perf_counter() - start
    size = path.stat().st_size / 1e6
    start = time.perf_counter()
    plan = plan_import(path, user)
    checked = time.perf_counter() - start
    assert not plan.problems, plan.problems[:5]
    start = time.perf_counter()
    apply_import(plan, user)
    imported = time.perf_counter() - start
    assert Household.objects.count() == args.households
    assert Member.objects.count() == members
    print(f"{args.households:,} households, {members:,} members, {size:.1f} MB workbook "
          f"(written in {written:.1f} s)")
    print(f"dry run (read + every check): {checked:.1f} s")
    print(f"import (one transaction, with history): {imported:.1f} s")
    print(f"dry run + import: {checked + imported:.1f} s (goal: under 60 s)")


if __name__ == "__main__":
    main()
