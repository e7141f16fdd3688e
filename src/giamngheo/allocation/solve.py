"""Choosing the supports: exact by sorting for one budget and the most households lifted, a
mixed-integer programme (HiGHS) for everything else.

**One budget, most households lifted.** Every household's value is 1 when lifted, so a plan
lifting k households costs at least the sum of the k smallest "cheapest ways out" (each
household's cheapest combination of supports that the engine finds lifts it). Taking the
households in increasing order of that cost while the budget lasts therefore lifts the
largest number possible, and among the plans lifting that many it spends the least: the
plan is exact, not a heuristic (tests compare it with every possible plan of small
populations).

**The programme.** One binary variable per (household, combination of supports) — only the
combinations not dominated by a cheaper one of the same household —, at most one per
household. Money flows from each funding source to the kinds it pays for (continuous
variables), so budgets per source hold exactly; per-commune caps on money and floors on
households lifted, minimum households lifted in priority groups, priority weights on the
objective. Objectives:

- ``lifted``: households lifted (poor → near-poor or better, decided by the engine);
- ``m0``: fall of the adjusted headcount M0 × n = Σ over the poor of the deprivation score
  (a lifted household stops counting), which favours the households just above the cut-off;
- ``most_deprived``: fall of Σ score² over the poor (deprivations reduced where they are
  most numerous), the distribution-sensitive choice.

HiGHS reports the incumbent, the proven bound and the relative gap between them.
"""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np
import polars as pl

from .options import PRIORITY_GROUPS, Candidates, PlanError, say
from .supports import BIT, KIND_CODES

c = pl.col
OBJECTIVES = ("lifted", "m0", "most_deprived")
ONE_BILLION = 1_000_000_000


@dataclass(frozen=True)
class Source:
    code: str
    budget: int  # whole đồng
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Priority:
    group: str  # group_b, ethnic_minority or children
    weight: float = 1.0  # a lifted household of the group counts this many times
    min_lifted: int = 0


@dataclass(frozen=True)
class CommuneLimit:
    max_cost: int | None = None  # đồng the commune may receive
    min_lifted: int | None = None  # households the commune must lift


@dataclass
class Problem:
    sources: list[Source]
    objective: str = "lifted"
    priorities: list[Priority] = field(default_factory=list)
    communes: dict[str, CommuneLimit] = field(default_factory=dict)
    gap: float = 1e-4  # relative optimality gap at which the solver may stop
    time_limit: float = 55.0  # seconds

    def __post_init__(self) -> None:
        problems = []
        if self.objective not in OBJECTIVES:
            problems.append(say("objective", allowed=", ".join(OBJECTIVES)))
        if not self.sources:
            problems.append(say("no_source"))
        for s in self.sources:
            if s.budget < 0:
                problems.append(say("negative_budget", source=s.code))
            unknown = [k for k in s.kinds if k not in KIND_CODES]
            if unknown:
                problems.append(say("unknown_kinds", source=s.code, kinds=unknown))
        for p in self.priorities:
            if p.group not in PRIORITY_GROUPS:
                problems.append(say("priority_group", allowed=", ".join(PRIORITY_GROUPS)))
            if p.weight < 1 or p.min_lifted < 0:
                problems.append(say("priority_values", group=p.group))
        if problems:
            raise PlanError(*problems)

    @property
    def single_budget(self) -> bool:
        return len(self.sources) == 1 and set(self.sources[0].kinds) == set(KIND_CODES)

    @property
    def sortable(self) -> bool:
        """Solved exactly by sorting: one budget for every kind, households lifted counted
        once each, nothing else asked."""
        return (self.single_budget and self.objective == "lifted" and not self.communes
                and all(p.weight == 1 and p.min_lifted == 0 for p in self.priorities))

    def with_budget(self, code: str, extra: int) -> Problem:
        sources = [Source(s.code, s.budget + extra if s.code == code else s.budget, s.kinds)
                   for s in self.sources]
        return Problem(sources, self.objective, self.priorities, self.communes, self.gap,
                       self.time_limit)

    def with_objective(self, objective: str) -> Problem:
        return Problem(self.sources, objective, self.priorities, self.communes, self.gap,
                       self.time_limit)


@dataclass
class Solution:
    chosen: pl.DataFrame  # hh, mask of each supported household (with its option's columns)
    objective_value: float
    bound: float
    gap: float
    method: str  # "sorting" or "mip"
    status: str  # "optimal", "time_limit" or "infeasible"
    funding: dict[tuple[str, str], int]  # (kind, source) → đồng


def option_values(candidates: Candidates, problem: Problem) -> pl.DataFrame:
    """The options worth considering with their value under the objective and the
    household's priority weight."""
    options = candidates.options.join(
        candidates.poor.select("hh", "score", "commune_code", *PRIORITY_GROUPS), on="hh")
    if problem.objective == "lifted":
        value = c("lifted").cast(pl.Float64)
    elif problem.objective == "m0":
        value = c("score") - pl.when(c("lifted")).then(0.0).otherwise(c("after_score"))
    else:
        value = c("score") ** 2 - c("after_score") ** 2
    weight = pl.lit(1.0)
    for p in problem.priorities:
        weight = pl.max_horizontal(weight, pl.when(c(p.group)).then(p.weight).otherwise(1.0))
    options = options.with_columns(value=value, weight=weight) \
        .filter(c("value") > 1e-12)
    return _undominated(options)


def _undominated(options: pl.DataFrame) -> pl.DataFrame:
    """Drop a combination when a smaller one of the same household (a subset: it costs no
    more in any kind) is worth as much and lifts as much."""
    pairs = options.select("hh", "mask", "value", "lifted").join(
        options.select("hh", sub="mask", sub_value="value", sub_lifted="lifted"), on="hh")
    dominated = pairs.filter(
        (c("sub") != c("mask")) & ((c("sub") & c("mask")) == c("sub"))
        & (c("sub_value") >= c("value") - 1e-12)
        & (c("sub_lifted") | ~c("lifted"))).select("hh", "mask").unique()
    return options.join(dominated, on=("hh", "mask"), how="anti").sort("hh", "mask")


def solve(candidates: Candidates, problem: Problem, warm: pl.DataFrame | None = None) \
        -> Solution:
    options = option_values(candidates, problem)
    if problem.sortable:
        return _by_sorting(options, problem.sources[0])
    return _mip(options, problem, warm)


def cheapest_ways_out(options: pl.DataFrame) -> pl.DataFrame:
    """Each household's cheapest combination that lifts it (fewest supports on a tie), in
    increasing order of cost, then household order."""
    lifting = options.filter(c("lifted")).with_columns(
        n=pl.sum_horizontal((c("mask") // BIT[k]) % 2 for k in KIND_CODES))
    return lifting.sort("hh", "cost", "n", "mask").group_by("hh", maintain_order=True) \
        .first().sort("cost", "hh").drop("n")


def _by_sorting(options: pl.DataFrame, source: Source) -> Solution:
    ways = cheapest_ways_out(options)
    chosen = ways.filter(c("cost").cum_sum() <= source.budget)
    funding = {(kind, source.code): int(chosen.get_column(f"cost_{kind}").sum())
               for kind in KIND_CODES}
    lifted = float(chosen.height)
    return Solution(chosen, lifted, lifted, 0.0, "sorting", "optimal", funding)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on standard output when a solver is made, before any option can
    silence it; the command line's standard output is the plan itself. The banner goes to
    /dev/null (the file descriptor is switched for the microseconds of the construction)."""
    try:
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    libc = ctypes.CDLL(None)
    try:
        libc.fflush(None)
        os.dup2(null, 1)
        yield
    finally:
        libc.fflush(None)  # the buffered banner is written now, to /dev/null
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _csr(rows: list[tuple[np.ndarray, np.ndarray]]) \
        -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of (columns, values) as the starts, indices and values HiGHS reads."""
    starts, indices, values = [0], [], []
    for cols, vals in rows:
        indices.append(cols.astype(np.int32))
        values.append(vals.astype(np.float64))
        starts.append(starts[-1] + len(cols))
    return (np.asarray(starts[:-1], dtype=np.int32),
            np.concatenate(indices) if indices else np.zeros(0, np.int32),
            np.concatenate(values) if values else np.zeros(0))


def _mip(options: pl.DataFrame, problem: Problem, warm: pl.DataFrame | None) -> Solution:
    payable = {k for s in problem.sources for k in s.kinds}
    unpaid = sum(BIT[k] for k in KIND_CODES if k not in payable)
    options = options.filter((c("mask") & unpaid) == 0)
    n = options.height
    flows = [(k, s.code) for s in problem.sources for k in s.kinds]
    width = n + len(flows)
    hh = options.get_column("hh").to_numpy()
    value = (options.get_column("value") * options.get_column("weight")).to_numpy()
    lifted = options.get_column("lifted").cast(pl.Float64).to_numpy()
    cost = options.get_column("cost").cast(pl.Float64).to_numpy()
    commune = options.get_column("commune_code").to_numpy()
    index = np.arange(n)
    rows: list[tuple[np.ndarray, np.ndarray]] = []
    lower: list[float] = []
    upper: list[float] = []

    def row(cols: np.ndarray | list[int], vals: np.ndarray | list[float],
            lo: float = -np.inf, hi: float = np.inf) -> None:
        rows.append((np.asarray(cols), np.asarray(vals, dtype=np.float64)))
        lower.append(lo)
        upper.append(hi)

    # at most one combination per household
    if n:
        bounds = np.flatnonzero(np.diff(hh)) + 1
        for group in np.split(index, bounds):
            if len(group) > 1:
                row(group, np.ones(len(group)), hi=1)
    # each kind's cost is paid by the sources that pay for it; no source spends more than it has
    for kind in KIND_CODES:
        kind_cost = options.get_column(f"cost_{kind}").cast(pl.Float64).to_numpy()
        used = np.flatnonzero(kind_cost)
        paying = [n + j for j, (k, _s) in enumerate(flows) if k == kind]
        if len(used):
            row(np.concatenate([used, paying]),
                np.concatenate([kind_cost[used], -np.ones(len(paying))]), hi=0)
    for s in problem.sources:
        cols = [n + j for j, (_k, code) in enumerate(flows) if code == s.code]
        if cols:
            row(cols, np.ones(len(cols)), hi=float(s.budget))
    for code, limit in problem.communes.items():
        members = np.flatnonzero(commune == code)
        if limit.max_cost is not None and len(members):
            row(members, cost[members], hi=float(limit.max_cost))
        if limit.min_lifted:
            row(members, lifted[members], lo=float(limit.min_lifted))
    for p in problem.priorities:
        if p.min_lifted:
            members = np.flatnonzero(options.get_column(p.group).to_numpy())
            row(members, lifted[members], lo=float(p.min_lifted))

    with _quiet_stdout():
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", problem.gap)
    h.setOptionValue("time_limit", problem.time_limit)
    empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0)
    objective = np.concatenate([value, np.zeros(len(flows))])
    col_upper = np.concatenate([np.ones(n), np.full(len(flows), np.inf)])
    h.addCols(width, objective, np.zeros(width), col_upper, 0, empty_i, empty_i, empty_f)
    if n:
        h.changeColsIntegrality(n, index.astype(np.int32),
                                np.full(n, highspy.HighsVarType.kInteger, dtype=np.uint8))
    if rows:
        starts, indices, values = _csr(rows)
        h.addRows(len(rows), np.asarray(lower), np.asarray(upper), len(indices), starts,
                  indices, values)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if warm is not None and n:
        start = np.zeros(width)
        keys = set(zip(warm.get_column("hh").to_list(), warm.get_column("mask").to_list(),
                       strict=True))
        for j, key in enumerate(zip(hh.tolist(), options.get_column("mask").to_list(),
                                    strict=True)):
            if key in keys:
                start[j] = 1.0
        _warm_flows(start, options, flows, problem, n)
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        h.setSolution(solution)
    started = time.monotonic()
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise PlanError(say("infeasible"))
    x = np.asarray(h.getSolution().col_value) if info.primal_solution_status else \
        np.zeros(width)
    take = x[:n] > 0.5
    value_found = float(value[take].sum())
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else value_found
    bound = max(bound, value_found)
    gap = (bound - value_found) / max(abs(bound), 1e-9) if bound else 0.0
    state = "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit"
    if n and take.any():
        left = problem.time_limit - (time.monotonic() - started)
        x = _cheapest_of_equal_value(h, x, value, cost, value_found, n, left)
        take = x[:n] > 0.5
    chosen = options.filter(pl.Series(take))
    funding = {flow: int(round(x[n + j])) for j, flow in enumerate(flows)}
    funding = _whole_funding(chosen, problem, funding)
    return Solution(chosen, float(value[take].sum()), bound, max(gap, 0.0), "mip", state,
                    funding)


def _cheapest_of_equal_value(h: highspy.Highs, x: np.ndarray, value: np.ndarray,
                             cost: np.ndarray, found: float, n: int, seconds: float) \
        -> np.ndarray:
    """Second stage: among the plans worth at least as much as the one found, the one that
    costs least (with money to spare, the programme is indifferent between a card and a
    house when either lifts the household). Starts from the plan found, so it never does
    worse; keeps it when the time is up without a better one."""
    if seconds <= 1:
        return x
    index = np.arange(n, dtype=np.int32)
    h.addRow(found - 1e-7 * max(1.0, abs(found)), np.inf, n, index, value)
    h.changeColsCost(n, index, cost)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.setOptionValue("time_limit", seconds)
    start = highspy.HighsSolution()
    start.col_value = x.tolist()
    h.setSolution(start)
    h.run()
    info = h.getInfo()
    if not info.primal_solution_status:
        return x
    better = np.asarray(h.getSolution().col_value)
    take = better[:n] > 0.5
    if value[take].sum() < found - 1e-6 * max(1.0, abs(found)) or \
            cost[take].sum() > cost[x[:n] > 0.5].sum():
        return x
    return better


def _warm_flows(start: np.ndarray, options: pl.DataFrame, flows: list[tuple[str, str]],
                problem: Problem, n: int) -> None:
    """Money flows that pay for a warm start's supports (sources in order)."""
    left = {s.code: float(s.budget) for s in problem.sources}
    chosen = start[:n] > 0.5
    for kind in KIND_CODES:
        need = float(options.get_column(f"cost_{kind}").to_numpy()[chosen].sum())
        for j, (k, code) in enumerate(flows):
            if k == kind and need > 0:
                paid = min(need, left[code])
                start[n + j] = paid
                left[code] -= paid
                need -= paid


def _whole_funding(chosen: pl.DataFrame, problem: Problem,
                   funding: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The solver's flows in whole đồng, adding up exactly to each kind's cost without
    exceeding a source (rounding moved to a source with room left)."""
    spent = {s.code: 0 for s in problem.sources}
    budget = {s.code: s.budget for s in problem.sources}
    out: dict[tuple[str, str], int] = {}
    for kind in KIND_CODES:
        need = int(chosen.get_column(f"cost_{kind}").sum()) if chosen.height else 0
        paying = [(k, code) for (k, code) in funding if k == kind]
        for flow in paying:
            amount = min(funding[flow], need, budget[flow[1]] - spent[flow[1]])
            out[flow] = amount
            spent[flow[1]] += amount
            need -= amount
        for flow in paying:
            if need <= 0:
                break
            more = min(need, budget[flow[1]] - spent[flow[1]])
            out[flow] += more
            spent[flow[1]] += more
            need -= more
        if need > 0:
            raise PlanError(say("funding", kind=kind))
    return out
