"""Speed of a review's bulk classification on a big commune (SYNTHETIC DATA). Prints figures.

    uv run python benchmarks/review_speed.py [--households 10000] [--runs 3]

Uses DATABASE_URL when set (PostgreSQL), else a throw-away SQLite file. Creates one commune
of N synthetic households, opens a review, lists them and times ``Review.classify`` (records
from the registry, the batch engine, one bulk update): the figure the issue asks for when a
standard changes and a whole commune is reclassified.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("GIAMNGHEO_DATA_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
    import django

    django.setup()
    import datetime as dt
    import random

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from giamngheo.web.demo import _households
    from giamngheo.web.households.models import Household
    from giamngheo.web.reviews.models import Review, Step
    from giamngheo.web.units.loading import load_units_file
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    call_command("migrate", verbosity=0)
    load_units_file()
    commune = Unit.objects.get(level="commune", code="26131")
    if not Household.objects.filter(commune=commune).exists():
        _households(args.households, random.Random(1), [commune])
    count = Household.objects.filter(commune=commune).count()
    user = User.objects.get_or_create(username="benchmark")[0]
    times = []
    for run in range(args.runs):
        review = Review.objects.create(
            commune=commune, kind="regular", period_year=3000 + run,
            reference_date=dt.date(2026, 10, 15), standard_id="vn-2027-2030", opened_by=user)
        review.list_households(Household.objects.filter(commune=commune), "added")
        review.step = Step.SURVEY
        review.save(update_fields=["step"])
        start = time.perf_counter()
        review.classify()
        times.append(time.perf_counter() - start)
    print(f"{connection.vendor}: reclassify a commune of {count:,} households under "
          f"vn-2027-2030: median {statistics.median(times):.2f} s of {args.runs} runs "
          f"(goal: under 10 s)")


if __name__ == "__main__":
    main()
