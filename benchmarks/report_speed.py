"""Speed of the program reports on a national-scale registry (SYNTHETIC DATA).

    DATABASE_URL=postgres://... uv run python benchmarks/report_speed.py \
        [--households 1000000] [--requests 30]

Generates the households first when the database holds fewer (``giamngheo manage
generate_households``: a made-up province of 10,000-household communes, each with a closed
annual review for the lists of 2025). Prints:

- storing the figures of every commune's review (what closing a review costs, commune by
  commune; done once, not on a page view);
- the full set of result tables for the province as one XLSX (without the detailed lists,
  which are asked for commune by commune at this size);
- the province's dashboard page and its XLSX, through Django's test client (median, 95th
  percentile, slowest, in milliseconds, after 3 warm-up requests).
"""

from __future__ import annotations

import argparse
import statistics
import time

from registry import national_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    province = national_registry(args.households)
    from django.contrib.auth.models import User
    from django.test import Client

    from giamngheo.web.accounts.models import Assignment, Role
    from giamngheo.web.households.models import Household
    from giamngheo.web.reports.tables import result_tables
    from giamngheo.web.reviews.figures import refresh_figures
    from giamngheo.web.reviews.models import ReviewFigures
    from giamngheo.web.sheets import Heading, workbook
    communes = province.communes()
    year = 2025
    print(f"{Household.objects.filter(commune__in=communes).count():,} households in "
          f"{len(communes)} communes (SYNTHETIC)")

    ReviewFigures.objects.filter(commune__in=communes).delete()
    times = []
    for commune in communes:
        start = time.perf_counter()
        refresh_figures(commune)
        times.append(time.perf_counter() - start)
    print(f"figures stored per commune review (on closing): median {statistics.median(times):.2f}"
          f" s, slowest {max(times):.2f} s; all {len(communes)}: {sum(times):.1f} s")

    start = time.perf_counter()
    tables = result_tables(province, year)
    content = workbook(tables, Heading(province.name, f"lists of {year}"))
    print(f"result tables of the province ({len(tables)} sheets, {len(content):,} bytes): "
          f"{time.perf_counter() - start:.2f} s (goal: under 30 s)")

    account, created = User.objects.get_or_create(username="bench-province")
    if created:
        Assignment.objects.create(user=account, role=Role.AREA_OFFICER, unit=province)
    client = Client()
    client.force_login(account)
    for name, path in (("dashboard page, province", "/reports/dashboard/"),
                       ("dashboard XLSX, province", "/reports/dashboard.xlsx"),
                       ("dashboard page, one commune", "/reports/dashboard/")):
        unit = communes[0] if "commune" in name else province
        query = {"unit": unit.pk, "year": year - 1}  # the year the review was held
        for _ in range(3):
            assert client.get(path, query).status_code == 200
        spent = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path, query)
            spent.append(1000 * (time.perf_counter() - start))
            assert response.status_code == 200
        spent.sort()
        p95 = spent[max(0, int(len(spent) * 0.95) - 1)]
        print(f"{name}: median {statistics.median(spent):.0f} ms, p95 {p95:.0f} ms, slowest "
              f"{spent[-1]:.0f} ms (goal: under 500 ms)")


if __name__ == "__main__":
    main()
