"""A support plan: the supports chosen, checked by classifying the supported records again,
explained household by household, compared with the rule officers use today and with the
other objectives, and the marginal value of each funding source.

``plan_json`` is the file of ``giamngheo allocate -o PLAN.json`` (issue 16's shape exactly);
``report`` holds the rest (for the page, the workbook and ``--report``).
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..engine.batch import classify_tables
from ..measures import alkire_foster
from ..messages import DEFAULT_LANG, format_int, text
from ..population import Population
from ..rules.parameters import Registry, default_registry
from ..xlsx import Tables
from .options import DECIDED_NOT_POOR, Candidates, PlanError, candidates, say
from .solve import OBJECTIVES, ONE_BILLION, Problem, Solution, Source, solve
from .supports import (
    BIT,
    KIND_CODES,
    KINDS,
    Costs,
    current_practice_order,
    load_costs,
    supported_households,
)

c = pl.col
Progress = Callable[[str, int], None]  # (stage, percent)


def _t(key: str, lang: str, **fields: Any) -> str:
    return text(f"plan.{key}", lang, **fields)


@dataclass
class Plan:
    candidates: Candidates
    problem: Problem
    solution: Solution
    supports: list[dict[str, Any]]  # {"household", "support", "member", "cost"}
    households_lifted: int  # by the engine, on the supported records
    predicted_lifted: int  # what the options said
    after: pl.DataFrame  # the engine's results of the supported households
    sources: list[dict[str, Any]] = field(default_factory=list)  # funding of each support
    extras: dict[str, Any] = field(default_factory=dict)  # comparison, trade-off, marginal

    @property
    def total_cost(self) -> int:
        return sum(s["cost"] for s in self.supports)

    def by_kind(self) -> dict[str, dict[str, int]]:
        out = {k: {"supports": 0, "households": 0, "cost": 0} for k in KIND_CODES}
        seen: set[tuple[str, str]] = set()
        for s in self.supports:
            row = out[s["support"]]
            row["supports"] += 1
            row["cost"] += s["cost"]
            if (s["household"], s["support"]) not in seen:
                seen.add((s["household"], s["support"]))
                row["households"] += 1
        return out

    def plan_json(self) -> dict[str, Any]:
        """Issue 16's shape: standard, budget, objective, total_cost, households_lifted,
        bound, supports, by_kind."""
        return {
            "standard": self.candidates.standard.id,
            "budget": sum(s.budget for s in self.problem.sources),
            "objective": self.problem.objective,
            "total_cost": self.total_cost,
            "households_lifted": self.households_lifted,
            "bound": _number(self.solution.bound),
            "supports": self.supports,
            "by_kind": self.by_kind(),
        }

    def households(self, lang: str = DEFAULT_LANG) -> list[dict[str, Any]]:
        """Per supported household: before/after, lifted, supports, cost, explanation."""
        after = {row["hh"]: row for row in self.after.iter_rows(named=True)}
        poor = {row["hh"]: row for row in self.candidates.poor.iter_rows(named=True)}
        by_id: dict[str, list[dict[str, Any]]] = {}
        for s in self.supports:
            by_id.setdefault(s["household"], []).append(s)
        out = []
        for row in self.solution.chosen.sort("hh").iter_rows(named=True):
            base, now = poor[row["hh"]], after[row["hh"]]
            items = by_id[base["id"]]
            out.append({
                "household": base["id"], "commune_code": base["commune_code"],
                "before": base["deprivation_count"], "after": now["deprivation_count"],
                "classification": now["classification"],
                "lifted": now["classification"] in DECIDED_NOT_POOR,
                "supports": items, "cost": sum(s["cost"] for s in items),
                "explanation": explain(base["id"], base["deprivation_count"],
                                       now["deprivation_count"], items, lang),
            })
        return out

    def by_commune(self) -> list[dict[str, Any]]:
        """Per commune: poor households, households supported and lifted (by the engine),
        cost, cost per household lifted."""
        lifted = self.after.select("hh", lifted=c("classification").is_in(DECIDED_NOT_POOR))
        done = self.solution.chosen.select("hh", "cost").join(lifted, on="hh", how="left") \
            .join(self.candidates.poor.select("hh", "commune_code"), on="hh") \
            .group_by("commune_code").agg(households=pl.len(), lifted=c("lifted").sum(),
                                          cost=c("cost").sum())
        poor = self.candidates.poor.group_by("commune_code").agg(poor=pl.len())
        rows = poor.join(done, on="commune_code", how="left").fill_null(0) \
            .sort("commune_code").to_dicts()
        for r in rows:
            r["cost_per_lifted"] = round(r["cost"] / r["lifted"]) if r["lifted"] else None
        return rows


def _number(value: float) -> float | int:
    return int(round(value)) if abs(value - round(value)) < 1e-6 else round(value, 6)


def explain(household: str, before: int, after: int, items: list[dict[str, Any]],
            lang: str = DEFAULT_LANG) -> str:
    """"Hộ X: 4 → 2 thiếu hụt nếu có BHYT cho 2 thành viên (… đ) và nhà tiêu hợp vệ sinh
    (… đ)"."""
    parts = []
    for kind in KIND_CODES:
        mine = [s for s in items if s["support"] == kind]
        if not mine:
            continue
        what = _t("cards", lang, n=len(mine)) if KINDS[kind].per_member \
            else KINDS[kind].label[lang]
        parts.append(_t("cost", lang, what=what,
                        cost=format_int(sum(s["cost"] for s in mine), lang)))
    return _t("explain", lang, id=household, before=before, after=after,
              supports=_t("and", lang).join(parts))


def supports_of(cand: Candidates, chosen: pl.DataFrame) -> list[dict[str, Any]]:
    """The supports of chosen (household, combination) pairs: one card per member."""
    cards: dict[int, list[str]] = {}
    for hh, member in cand.cards.iter_rows():
        cards.setdefault(hh, []).append(member)
    ids = dict(cand.poor.select("hh", "id").iter_rows())
    out = []
    for hh, mask in chosen.select("hh", "mask").sort("hh").iter_rows():
        for kind in KIND_CODES:
            if not mask & BIT[kind]:
                continue
            if KINDS[kind].per_member:
                out += [{"household": ids[hh], "support": kind, "member": m,
                         "cost": cand.costs[kind]} for m in cards[hh]]
            else:
                out.append({"household": ids[hh], "support": kind, "member": None,
                            "cost": cand.costs[kind]})
    return out


def reclassify(cand: Candidates, supports: list[dict[str, Any]], lang: str) -> pl.DataFrame:
    """Apply the supports to the supported households' tables and classify them again: the
    engine's results, with ``hh`` the household's row in the population."""
    if not supports:
        return cand.results.clear().select("hh", "classification", "deprivation_count")
    population = cand.population
    masks: dict[str, int] = {}
    cards: list[tuple[str, str]] = []
    for s in supports:
        masks[s["household"]] = masks.get(s["household"], 0) | BIT[s["support"]]
        if s["member"] is not None:
            cards.append((s["household"], s["member"]))
    chosen = pl.DataFrame({"id": list(masks), "mask": list(masks.values())},
                          schema={"id": pl.String, "mask": pl.Int64})
    households = population.households.with_row_index("hh").join(
        chosen, on="id", how="inner", maintain_order="left")
    households = supported_households(households).drop("mask")
    carded = pl.DataFrame(cards, schema={"household_id": pl.String, "id": pl.String},
                          orient="row").with_columns(card=pl.lit(True))
    members = population.members.join(households.select(household_id=c("id")),
                                      on="household_id", how="semi", maintain_order="left") \
        .join(carded, on=("household_id", "id"), how="left", maintain_order="left") \
        .with_columns(health_insurance=pl.when(c("card")).then(True)
                      .otherwise(c("health_insurance"))).drop("card")
    rows = households.get_column("hh")
    results, _ = classify_tables(households.drop("hh"), members, cand.registry,
                                 cand.standard.id, lang, explain=False)
    results = results.sort("hh")
    return results.with_columns(hh=rows.gather(results.get_column("hh")))


def m0_before_after(cand: Candidates, after: pl.DataFrame) -> tuple[float, float]:
    """The legal M0 (households) of the whole population before and after the plan."""
    columns = ["hh", *cand.standard.codes, "income_poor", "n_members"]
    before = cand.results.select(columns)
    if after.height:
        now = after.select(columns)
        changed = before.join(now.select("hh"), on="hh", how="anti")
        updated = pl.concat([changed, now], how="vertical_relaxed")
    else:
        updated = before
    return (alkire_foster(before, cand.standard)["M0"],
            alkire_foster(updated, cand.standard)["M0"])


def current_practice(cand: Candidates, problem: Problem) -> pl.DataFrame:
    """The rule officers use today: each kind in the parameter file's order (health insurance
    cards first), to every poor household lacking it, in household order, while the money of
    a source paying for it lasts. Returns (hh, mask)."""
    left = {s.code: s.budget for s in problem.sources}
    poor = cand.poor.sort("id").select("hh", "applicable", "n_cards").to_dicts()
    masks: dict[int, int] = {}
    for kind in current_practice_order():
        paying = [s.code for s in problem.sources if kind in s.kinds]
        for row in poor:
            if not row["applicable"] & BIT[kind]:
                continue
            cost = cand.costs[kind] * (row["n_cards"] if KINDS[kind].per_member else 1)
            source = next((code for code in paying if left[code] >= cost), None)
            if source is not None:
                left[source] -= cost
                masks[row["hh"]] = masks.get(row["hh"], 0) | BIT[kind]
    return pl.DataFrame({"hh": list(masks), "mask": list(masks.values())},
                        schema={"hh": pl.UInt32, "mask": pl.Int64})


def summary(cand: Candidates, chosen: pl.DataFrame, lang: str) -> dict[str, Any]:
    """Households supported and lifted (by the engine), cost, M0 and Σ score² falls."""
    supports = supports_of(cand, chosen)
    after = reclassify(cand, supports, lang)
    lifted = after.filter(c("classification").is_in(DECIDED_NOT_POOR)).height
    cost = sum(s["cost"] for s in supports)
    m0_before, m0_after = m0_before_after(cand, after) if cand.whole_population \
        else (None, None)
    scores = cand.poor.select("hh", "score").join(chosen.select("hh", "after_score"), on="hh",
                                                  how="left") if "after_score" in \
        chosen.columns else None
    squared = fall = None
    if scores is not None:
        after_score = c("after_score").fill_null(c("score"))
        squared = float(scores.select((c("score") ** 2 - after_score ** 2).sum()).item())
        lifted_now = set(after.filter(c("classification").is_in(DECIDED_NOT_POOR))
                         .get_column("hh").to_list())
        fall = float(scores.select((c("score") - pl.when(c("hh").is_in(list(lifted_now)))
                                    .then(0.0).otherwise(after_score)).sum()).item())
    deep = cand.poor.filter(c("deprivation_count") >= 5).select("hh")
    return {"households_supported": chosen.height, "households_lifted": lifted,
            "total_cost": cost,
            "cost_per_household_lifted": round(cost / lifted) if lifted else None,
            "m0_before": m0_before, "m0_after": m0_after,
            "m0_fall": None if m0_before is None or m0_after is None
            else m0_before - m0_after,
            "score_fall": fall, "squared_score_fall": squared,
            "most_deprived_supported": chosen.join(deep, on="hh", how="semi").height}


def _funding_of_supports(plan_supports: list[dict[str, Any]],
                         funding: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Which source pays each support: each kind's supports take the sources' money in
    turn; a support the turn falls inside is shared by the two sources (co-financing)."""
    out = []
    for kind in KIND_CODES:
        pots = [[code, amount] for (k, code), amount in funding.items() if k == kind
                and amount > 0]
        for index, s in enumerate(plan_supports):
            if s["support"] != kind:
                continue
            need, parts = s["cost"], []
            while need > 0 and pots:
                take = min(need, pots[0][1])
                parts.append({"source": pots[0][0], "amount": take})
                pots[0][1] -= take
                need -= take
                if pots[0][1] == 0:
                    pots.pop(0)
            out.append({"index": index, "funding": parts})
    return sorted(out, key=lambda x: x["index"])


def make_plan(population: Population, sources: list[Source], objective: str = "lifted",
              standard_id: str | None = None, costs: Costs | None = None,
              registry: Registry | None = None, lang: str = DEFAULT_LANG,
              progress: Progress | None = None, compare: bool = True,
              marginal: bool = True, tradeoff: bool = True, whole_population: bool = True,
              **problem_options: Any) -> Plan:
    """The plan for ``population``: the supports chosen, verified by the engine, with the
    comparisons asked for."""
    def step(stage: str, percent: int) -> None:
        if progress is not None:
            progress(stage, percent)

    registry = registry or default_registry()
    costs = costs or load_costs()
    problem = Problem(sources, objective, **problem_options)
    step("classify", 5)
    cand = candidates(population, registry, standard_id, costs, lang)
    cand.whole_population = whole_population
    step("solve", 40)
    solution = solve(cand, problem)
    supports = supports_of(cand, solution.chosen)
    step("verify", 60)
    after = reclassify(cand, supports, lang)
    lifted = after.filter(c("classification").is_in(DECIDED_NOT_POOR)).height
    predicted = int(solution.chosen.get_column("lifted").sum()) if solution.chosen.height else 0
    plan = Plan(cand, problem, solution, supports, lifted, predicted, after)
    plan.sources = _funding_of_supports(supports, solution.funding)
    plan.extras["result"] = summary(cand, solution.chosen, lang)
    if compare:
        step("compare", 70)
        rule = current_practice(cand, problem)
        rule = rule.join(cand.options, on=("hh", "mask"), how="left")
        plan.extras["current_practice"] = summary(cand, rule, lang)
    if tradeoff:
        step("tradeoff", 78)
        rows = {}
        for other in OBJECTIVES:
            found = solution if other == objective else solve(cand,
                                                              problem.with_objective(other))
            rows[other] = {**summary(cand, found.chosen, lang), "gap": found.gap,
                           "status": found.status}
        plan.extras["tradeoff"] = rows
    if marginal:
        step("marginal", 88)
        plan.extras["marginal"] = marginal_values(cand, problem, solution, lang)
    step("done", 100)
    return plan


def marginal_values(cand: Candidates, problem: Problem, solution: Solution,
                    lang: str) -> list[dict[str, Any]]:
    """For each source: what one more billion đồng would add (solved again, starting from
    the plan, which stays feasible)."""
    base = solution.chosen.filter(c("lifted")).height
    out = []
    for s in problem.sources:
        more = solve(cand, problem.with_budget(s.code, ONE_BILLION), warm=solution.chosen)
        extra_lifted = more.chosen.filter(c("lifted")).height - base
        out.append({"source": s.code, "extra": ONE_BILLION,
                    "households_lifted": extra_lifted,
                    "objective": more.objective_value - solution.objective_value,
                    "gap": more.gap})
    return out


def report(plan: Plan, lang: str = DEFAULT_LANG, by: str = "") -> dict[str, Any]:
    """Everything the page and ``--report`` show beyond the plan file."""
    s = plan.solution
    cost = plan.total_cost
    return {
        "run": {"at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "by": by or getpass.getuser(),
                "inputs_sha256": plan.candidates.population.sha256,
                "households": plan.candidates.population.size,
                "rejected": len(plan.candidates.population.rejected)},
        "standard": plan.candidates.standard.id,
        "objective": plan.problem.objective,
        "method": s.method, "status": s.status, "gap": s.gap,
        "objective_value": s.objective_value, "bound": s.bound,
        "poor": plan.candidates.poor.height,
        # the poor households that some combination of supports lifts at all
        "liftable": plan.candidates.options.filter(c("lifted")).get_column("hh").n_unique(),
        "households_lifted": plan.households_lifted,
        "predicted_lifted": plan.predicted_lifted,
        "verified": plan.households_lifted == plan.predicted_lifted,
        "total_cost": cost,
        "cost_per_household_lifted": round(cost / plan.households_lifted)
        if plan.households_lifted else None,
        "sources": [{"source": src.code, "budget": src.budget, "kinds": list(src.kinds),
                     "spent": sum(v for (k, code), v in s.funding.items()
                                  if code == src.code)}
                    for src in plan.problem.sources],
        "funding": [{"kind": k, "source": code, "amount": v}
                    for (k, code), v in s.funding.items() if v],
        "funding_of_supports": plan.sources,
        "costs": {k: {"value": plan.candidates.costs[k],
                      "source": plan.candidates.costs.sources[k],
                      "verified": plan.candidates.costs.verified[k]} for k in KIND_CODES},
        "by_commune": plan.by_commune(),
        "households": plan.households(lang),
        **plan.extras,
    }


def single_budget(budget: int) -> list[Source]:
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise PlanError(say("bad_budget"))
    return [Source("budget", budget, KIND_CODES)]


def read_request(path: str) -> dict[str, Any]:
    """A plan request file (JSON or YAML): budgets per funding source, per-commune limits,
    priority groups, as ``make_plan``'s ``sources``, ``communes`` and ``priorities``::

        sources:
          provincial: {budget: 20000000000}            # kinds: the defaults of the source
          for_the_poor_fund: {budget: 5000000000, kinds: [housing, latrine]}
        communes:
          "26131": {max_cost: 3000000000, min_lifted: 20}
        priorities:
          - {group: group_b, weight: 2, min_lifted: 5}
    """
    from pathlib import Path

    import orjson
    import yaml

    from .solve import CommuneLimit, Priority
    from .supports import default_funding

    file = Path(path)
    try:
        raw = file.read_bytes()
        data = orjson.loads(raw) if file.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise PlanError(say("unreadable", path=path, error=exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise PlanError(say("request_shape", path=path))
    unknown = set(data) - {"sources", "communes", "priorities"}
    if unknown:
        raise PlanError(say("request_keys", path=path, keys=sorted(unknown)))
    defaults = default_funding()
    problems: list[str] = []
    sources = []
    for code, spec in data["sources"].items():
        spec = spec if isinstance(spec, dict) else {}
        budget = spec.get("budget")
        if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
            problems.append(say("request_budget", source=code))
            continue
        kinds = spec.get("kinds", defaults.get(code))
        if not kinds:
            problems.append(say("request_kinds", source=code))
            continue
        sources.append(Source(str(code), budget, tuple(kinds)))
    communes = {}
    for code, spec in (data.get("communes") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        values = {k: spec.get(k) for k in ("max_cost", "min_lifted")}
        for k, v in values.items():
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                problems.append(say("request_limit", commune=code, field=k))
        communes[str(code)] = CommuneLimit(values["max_cost"], values["min_lifted"])
    priorities = []
    for i, spec in enumerate(data.get("priorities") or []):
        if not isinstance(spec, dict) or "group" not in spec:
            problems.append(say("request_priority", index=i))
            continue
        priorities.append(Priority(spec["group"], float(spec.get("weight", 1)),
                                   int(spec.get("min_lifted", 0))))
    if problems:
        raise PlanError(*problems)
    return {"sources": sources, "communes": communes, "priorities": priorities}


PLAN_SHEETS = {
    "vi": {"summary": "Tổng hợp", "sources": "Theo nguồn", "communes": "Theo xã",
           "supports": "Danh sách hỗ trợ", "households": "Giải thích từng hộ"},
    "en": {"summary": "Summary", "sources": "By source", "communes": "By commune",
           "supports": "Supports", "households": "Households explained"},
}
PLAN_HEADERS = {
    "vi": {"what": "Nội dung", "value": "Giá trị", "standard": "Chuẩn nghèo",
           "objective": "Mục tiêu", "poor": "Số hộ nghèo", "liftable": "Số hộ có thể thoát nghèo",
           "lifted": "Số hộ thoát nghèo (phân loại lại)", "cost": "Kinh phí (đồng)",
           "per": "Kinh phí mỗi hộ thoát nghèo (đồng)", "method": "Phương pháp",
           "gap": "Khoảng cách tối ưu", "bound": "Cận trên", "at": "Thời điểm",
           "by": "Người lập", "sha": "SHA-256 dữ liệu vào", "source": "Nguồn vốn",
           "budget": "Ngân sách (đồng)", "spent": "Đã dùng (đồng)", "kinds": "Chi cho",
           "commune": "Xã", "supported": "Số hộ được hỗ trợ", "household": "Mã hộ",
           "support": "Hỗ trợ", "member": "Thành viên", "funding": "Nguồn kinh phí",
           "before": "Thiếu hụt trước", "after": "Thiếu hụt sau", "result": "Kết quả",
           "explanation": "Giải thích"},
    "en": {"what": "Item", "value": "Value", "standard": "Standard", "objective": "Objective",
           "poor": "Poor households", "liftable": "Households supports can lift",
           "lifted": "Households lifted (classified again)", "cost": "Cost (VND)",
           "per": "Cost per household lifted (VND)", "method": "Method",
           "gap": "Optimality gap", "bound": "Bound", "at": "Made at", "by": "Made by",
           "sha": "SHA-256 of the inputs", "source": "Funding source",
           "budget": "Budget (VND)", "spent": "Used (VND)", "kinds": "Pays for",
           "commune": "Commune", "supported": "Households supported", "household": "Household",
           "support": "Support", "member": "Member", "funding": "Funding",
           "before": "Deprivations before", "after": "Deprivations after", "result": "Result",
           "explanation": "Explanation"},
}


def write_xlsx(plan: dict[str, Any], full: dict[str, Any], target: Path | io.BytesIO,
               lang: str = DEFAULT_LANG, communes: dict[str, str] | None = None,
               sources: dict[str, str] | None = None) -> None:
    """The plan as a workbook: summary, money by source, by commune, every support with its
    funding, every household explained. ``communes`` and ``sources`` name the codes."""
    h, names = PLAN_HEADERS[lang], PLAN_SHEETS[lang]
    communes, sources = communes or {}, sources or {}
    run = full["run"]
    tables = Tables(target)
    tables.add(names["summary"], [h["what"], h["value"]], [
        [h["standard"], full["standard"]], [h["objective"], full["objective"]],
        [h["poor"], full["poor"]], [h["liftable"], full["liftable"]],
        [h["lifted"], full["households_lifted"]], [h["cost"], full["total_cost"]],
        [h["per"], full["cost_per_household_lifted"]], [h["method"], full["method"]],
        [h["gap"], full["gap"]], [h["bound"], full["bound"]], [h["at"], run["at"]],
        [h["by"], run["by"]], [h["sha"], run["inputs_sha256"]]])
    tables.add(names["sources"], [h["source"], h["budget"], h["spent"], h["kinds"]], [
        [sources.get(s["source"], s["source"]), s["budget"], s["spent"],
         ", ".join(KINDS[k].label[lang] for k in s["kinds"])] for s in full["sources"]])
    tables.add(names["communes"], [h["commune"], h["poor"], h["supported"], h["lifted"],
                                   h["cost"], h["per"]], [
        [communes.get(r["commune_code"], r["commune_code"]), r["poor"], r["households"],
         r["lifted"], r["cost"], r["cost_per_lifted"]] for r in full["by_commune"]])
    commune_of = {x["household"]: x["commune_code"] for x in full["households"]}
    tables.add(names["supports"], [h["household"], h["commune"], h["support"], h["member"],
                                   h["cost"], h["funding"]], [
        [s["household"], communes.get(commune_of.get(s["household"], ""), ""),
         KINDS[s["support"]].label[lang], s["member"], s["cost"],
         "; ".join(f"{sources.get(p['source'], p['source'])}: {p['amount']}"
                   for p in paid["funding"])]
        for s, paid in zip(plan["supports"], full["funding_of_supports"], strict=True)])
    tables.add(names["households"], [h["household"], h["commune"], h["before"], h["after"],
                                     h["result"], h["cost"], h["explanation"]], [
        [x["household"], communes.get(x["commune_code"], x["commune_code"]), x["before"],
         x["after"], x["classification"], x["cost"], x["explanation"]]
        for x in full["households"]])
    tables.close()
