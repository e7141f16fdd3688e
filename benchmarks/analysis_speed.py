"""Speed of the what-if and of the support plan on a province (SYNTHETIC DATA). Prints figures.

    uv run python benchmarks/analysis_speed.py [--households 1000000] [--runs 3]

A made-up province of 100 communes (about 3% of households poor under vn-2022-2025):

1. the plan with one budget (the exact plan by sorting), verified by classifying the
   supported households again;
2. the plan with five funding sources each paying for some kinds, a money cap for each of
   the 100 communes and priority to group B (HiGHS, stopping within 1% of the bound), with
   its gap;
3. the what-if of the province under vn-2027-2030 against vn-2022-2025: both
   classifications, the transitions and the reasons of every changed household (then, apart,
   the full report with every explanation rendered).

The tables are validated once (timed apart): the figures are the analyses' own. Medians of
``--runs`` runs on a shared machine, each also as a multiple of one plain batch classification
of the same province in the same run (the yardstick), which holds when the machine is busy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import polars as pl

from giamngheo.allocation.plan import make_plan, single_budget
from giamngheo.allocation.solve import CommuneLimit, Priority, Source
from giamngheo.allocation.supports import KIND_CODES
from giamngheo.engine.batch import classify_tables
from giamngheo.population import from_tables
from giamngheo.synthetic import synthetic_tables
from giamngheo.whatif import what_if

COMMUNES = tuple(f"{26000 + i:05d}" for i in range(100))


def timed(action, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), result


def province(folder: Path, count: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    households_path, members_path = folder / "households.parquet", folder / "members.parquet"
    if not households_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        households, members = synthetic_tables(count, seed=1, communes=COMMUNES)
        households.write_parquet(households_path)
        members.write_parquet(members_path)
    return pl.read_parquet(households_path), pl.read_parquet(members_path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("bench-data/analysis"))
    args = parser.parse_args()
    households, members = province(args.data / str(args.households), args.households)
    start = time.perf_counter()
    population = from_tables(households, members)
    print(f"{population.size:,} households, {members.height:,} members; validated in "
          f"{time.perf_counter() - start:.2f} s; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    base, *_ = timed(lambda: classify_tables(population.households, population.members,
                                             explain=False), args.runs)
    print(f"yardstick: one batch classification of the province, median {base:.2f} s")

    budget = 50_000_000_000
    median, low, high, plan = timed(lambda: make_plan(
        population, single_budget(budget), compare=False, marginal=False, tradeoff=False),
        args.runs)
    print(f"\n1. one budget of {budget:,} đồng: {plan.candidates.poor.height:,} poor households, "
          f"{plan.candidates.options.height:,} combinations of supports classified; "
          f"{plan.households_lifted:,} lifted (the engine, on the supported households; "
          f"expected {plan.predicted_lifted:,}), {plan.total_cost:,} đồng")
    print(f"   {plan.solution.method}: median {median:.2f} s (min {low:.2f}, max {high:.2f}; "
          f"goal under 10 s) = {median / base:.1f} × the yardstick")

    sources = [Source("provincial", 20_000_000_000, KIND_CODES),
               Source("district", 10_000_000_000, KIND_CODES),
               Source("commune", 5_000_000_000, ("water", "latrine")),
               Source("for_the_poor_fund", 8_000_000_000, ("housing", "latrine", "device")),
               Source("social_policy_bank", 7_000_000_000, ("water", "latrine", "housing"))]
    caps = {code: CommuneLimit(max_cost=600_000_000) for code in COMMUNES}
    median, low, high, plan = timed(lambda: make_plan(
        population, sources, compare=False, marginal=False, tradeoff=False, communes=caps,
        priorities=[Priority("group_b", weight=2.0)], gap=0.01, time_limit=55.0), args.runs)
    s = plan.solution
    print(f"\n2. five sources ({sum(x.budget for x in sources):,} đồng), a cap for each of "
          f"{len(caps)} communes, group B counted twice: {plan.households_lifted:,} lifted "
          f"(expected {plan.predicted_lifted:,}), {plan.total_cost:,} đồng")
    print(f"   HiGHS {s.status}: value {s.objective_value:,.0f}, bound {s.bound:,.1f}, gap "
          f"{100 * s.gap:.3f}% (goal within 1%); median {median:.2f} s (min {low:.2f}, max "
          f"{high:.2f}; goal under 60 s) = {median / base:.1f} × the yardstick")

    def whatif():
        result = what_if(population, "vn-2027-2030", "vn-2022-2025")
        return result, result.matrix(), result.breakdown("commune_code")

    median, low, high, (result, matrix, _) = timed(whatif, args.runs)
    print(f"\n3. what-if vn-2022-2025 → vn-2027-2030: {result.changed.height:,} of "
          f"{result.frame.height:,} households change, {result.undecided.height:,} cannot be "
          f"decided; median {median:.2f} s (min {low:.2f}, max {high:.2f}; goal under 10 s) = "
          f"{median / base:.1f} × the yardstick")
    start = time.perf_counter()
    report = result.report()
    print(f"   the full report with every explanation and question rendered: "
          f"{time.perf_counter() - start:.2f} s ({len(report['changed']):,} households "
          f"explained)")


if __name__ == "__main__":
    main()
