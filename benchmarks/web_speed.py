"""Response times of the registry pages on a national-scale registry (SYNTHETIC DATA).

    DATABASE_URL=postgres://... uv run python benchmarks/web_speed.py \
        [--households 1000000] [--requests 100]

Generates the households first when the database holds fewer (``giamngheo manage
generate_households``: a made-up province of 10,000-household communes, each with a closed
annual review). Each page is requested through Django's test client, in process: URL routing,
access scoping, queries and template rendering, without the network. Prints the median, the
95th percentile and the slowest of each page, in milliseconds, after 5 warm-up requests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from registry import national_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    province = national_registry(args.households)
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from giamngheo.web.accounts.models import Assignment, Role
    from giamngheo.web.households.models import Household, Member
    communes = list(province.children.values_list("pk", flat=True))
    rng = random.Random(1)
    sample = list(Member.objects.filter(household_id__in=[
        rng.randrange(1, Household.objects.count()) for _ in range(300)])
        .exclude(id_number="").values_list("full_name", "id_number", "household__code"))

    def user(name: str, role: str, unit_id: int) -> Client:
        account, created = User.objects.get_or_create(username=name)
        if created:
            Assignment.objects.create(user=account, role=role, unit_id=unit_id)
        client = Client()
        client.force_login(account)
        return client

    commune_names = list(Member.objects.filter(household__commune_id=communes[0],
                                               relation="head")
                         .values_list("full_name", flat=True)[:300])
    province_officer = user("bench-province", Role.AREA_OFFICER, province.pk)
    commune_officer = user("bench-commune", Role.COMMUNE_OFFICER, communes[0])
    pages = {
        "household list, province officer (pages 1-20)": lambda: (
            province_officer, "/households/", {"page": rng.randint(1, 20)}),
        "household list, commune officer (any page)": lambda: (
            commune_officer, "/households/", {"page": rng.randint(1, 200)}),
        "household list filtered: poor, one commune": lambda: (
            province_officer, "/households/",
            {"status": "poor", "commune": rng.choice(communes)}),
        "household list filtered: deprived of clean water, one commune": lambda: (
            province_officer, "/households/",
            {"indicator": "water", "commune": rng.choice(communes)}),
        "search by name, province officer": lambda: (
            province_officer, "/households/", {"q": rng.choice(sample)[0]}),
        "search by name, commune officer (their 10,000 households)": lambda: (
            commune_officer, "/households/", {"q": rng.choice(commune_names)}),
        "search by ID number, province officer": lambda: (
            province_officer, "/households/", {"q": rng.choice(sample)[1]}),
        "search by household code, province officer": lambda: (
            province_officer, "/households/", {"q": rng.choice(sample)[2]}),
        "commune summary by hamlet": lambda: (
            province_officer, f"/households/communes/{rng.choice(communes)}/", {}),
    }
    print(f"{Household.objects.count():,} households, {Member.objects.count():,} members "
          f"({connection.vendor}); {args.requests} requests a page")
    print(f"{'page':62} {'median':>8} {'p95':>8} {'max':>8}  (ms)")
    for name, make in pages.items():
        times = []
        for n in range(args.requests + 5):
            client, url, query = make()
            start = time.perf_counter()
            response = client.get(url, query)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, query, response.status_code)
            if n >= 5:
                times.append(elapsed)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:62} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f}")


if __name__ == "__main__":
    main()
