"""Program plans as data: a plan's targets with their comparison, value, year and the method
that gives the actual value (computed from the classified registry, or entered by officers).
Impossible targets are refused when the file is read, with a message naming the target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..rules.yamlfile import read_yaml

COMPARISONS = (">=", ">", "<=", "<", "reduce_by_pct")
PERCENT_MEASURES = ("persons_insured", "households_not_deprived", "sustainable_employment")
METHODS = ("computed", "entered")
# a target's state, the one definition every page, report, export and the API words: met,
# near (not met, within NEAR_MARGIN points of the goal), not met, or unknown (no value, no
# baseline, or a value that would meet it while answers are unknown)
STATES = ("met", "near", "not_met", "unknown")
NEAR_MARGIN = 5.0
HERE = Path(__file__).parent


def is_percent(method: str | None, measure: str | None, comparison: str | None) -> bool:
    return comparison == "reduce_by_pct" or method == "entered" \
        or (measure or "").split(".")[0] in PERCENT_MEASURES


class PlanError(ValueError):
    """A plan file that cannot be right: every problem, with the target it belongs to."""


@dataclass(frozen=True)
class Target:
    id: str
    label: dict[str, str]
    method: str
    measure: str | None
    comparison: str
    value: float
    year: int
    baseline: float | None
    baseline_date: dt.date | None
    verified: bool
    note: str

    @property
    def is_percent(self) -> bool:
        """Whether the target's value is a percentage (0-100)."""
        return is_percent(self.method, self.measure, self.comparison)

    def achieved(self, actual: float | None, baseline: float | None = None) -> float | None:
        """What the comparison is made on: ``actual``, or for a reduction the % by which the
        baseline (the target's own unless given) was reduced (None without one)."""
        if self.comparison != "reduce_by_pct" or actual is None:
            return actual
        start = self.baseline if baseline is None else baseline
        return 100 * (start - actual) / start if start else None

    def met(self, actual: float | None, baseline: float | None = None,
            unknown: int = 0) -> bool | None:
        """Whether ``actual`` meets the target (None when it cannot be told: no value, no
        baseline, or a value that would meet it while ``unknown`` answers are missing)."""
        state = self.state(actual, baseline, unknown)
        return None if state == "unknown" else state == "met"

    def state(self, actual: float | None, baseline: float | None = None,
              unknown: int = 0) -> str:
        """One of ``STATES``: a value short of the goal by at most ``NEAR_MARGIN`` points is
        "near" (unknown answers cannot make it met, nor hide how far it is)."""
        achieved = self.achieved(actual, baseline)
        if achieved is None:
            return "unknown"
        comparison = ">=" if self.comparison == "reduce_by_pct" else self.comparison
        met = {">=": achieved >= self.value, ">": achieved > self.value,
               "<=": achieved <= self.value, "<": achieved < self.value}[comparison]
        if met:
            return "unknown" if unknown else "met"
        gap = achieved - self.value if comparison in ("<=", "<") else self.value - achieved
        return "near" if gap <= NEAR_MARGIN else "not_met"


@dataclass(frozen=True)
class PlanTask:
    agency: str
    task: str
    due: dt.date
    report: str
    verified: bool


@dataclass(frozen=True)
class Taxonomy:
    """A program's projects, funding sources and kinds of support (code → labels)."""

    id: str
    title: dict[str, str]
    projects: dict[str, dict[str, str]]
    funding_sources: dict[str, dict[str, str]]
    support_kinds: dict[str, dict[str, Any]]
    source_groups: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    id: str
    issuer: dict[str, str]
    number: str
    date: dt.date
    start: dt.date
    end: dt.date
    area: str
    targets: tuple[Target, ...]
    program: str = ""
    contents: dict[str, dict[str, str]] = field(default_factory=dict)
    tasks: tuple[PlanTask, ...] = ()

    def target(self, key: str) -> Target:
        return next(t for t in self.targets if t.id == key)


def label(labels: dict[str, Any], lang: str) -> str:
    """The label in ``lang``, else the Vietnamese one."""
    return str(labels.get(lang) or labels.get("vi") or "")


def load_taxonomy(program_id: str) -> Taxonomy:
    data = read_yaml(HERE / f"{program_id}.yaml")
    groups = data.get("source_groups") or {}
    unknown = [code for code, spec in data["funding_sources"].items()
               if spec.get("group") not in groups]
    if unknown:
        raise PlanError(f"{program_id}.yaml: funding sources without a known group: "
                        f"{', '.join(unknown)}")
    return Taxonomy(data["id"], data["title"], data["projects"], data["funding_sources"],
                    data["support_kinds"], groups)


def _target(key: str, spec: dict[str, Any], problems: list[str]) -> Target | None:
    def bad(message: str) -> None:
        problems.append(f"targets.{key}: {message}")

    method, comparison = spec.get("method"), spec.get("comparison")
    measure, value, year = spec.get("measure"), spec.get("value"), spec.get("year")
    if method not in METHODS:
        bad(f"method must be one of {', '.join(METHODS)}")
    if comparison not in COMPARISONS:
        bad(f"comparison must be one of {', '.join(COMPARISONS)}")
    if method == "computed" and measure is None:
        bad("a computed target names its measure")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        bad("value must be a number")
        return None
    if is_percent(method, measure, comparison) and not 0 <= value <= 100:
        bad(f"a percentage is between 0 and 100, not {value}")
    if not isinstance(year, int):
        bad("year must be a whole year")
        return None
    baseline_date = spec.get("baseline_date")
    if baseline_date is not None and baseline_date > dt.date(year, 12, 31):
        bad(f"the baseline date {baseline_date:%d/%m/%Y} is after the target year {year}")
    assert method is not None and comparison is not None  # else refused above
    return Target(key, spec.get("label", {}), method, measure, comparison, float(value), year,
                  spec.get("baseline"), baseline_date, bool(spec.get("verified", False)),
                  spec.get("note", ""))


def load_plan(path: Path | str) -> Plan:
    """A plan file; ``PlanError`` lists every problem at once."""
    path = Path(path)
    if not path.exists():
        path = HERE / f"{path}.yaml"
    data = read_yaml(path)
    problems: list[str] = []
    targets = [_target(key, spec, problems) for key, spec in (data.get("targets") or {}).items()]
    start, end = data["period"]["start"], data["period"]["end"]
    if end < start:
        problems.append("period: ends before it starts")
    for target in targets:
        if target and not start.year <= target.year <= end.year:
            problems.append(f"targets.{target.id}: year {target.year} is outside the plan's "
                            f"period")
    if problems:
        raise PlanError(f"{path.name}: " + "; ".join(problems))
    tasks = tuple(PlanTask(t["agency"], t["task"], t["due"], t.get("report", ""),
                           bool(t.get("verified", False))) for t in data.get("tasks") or ())
    return Plan(data["id"], data["issuer"], data["number"], data["date"], start, end,
                str(data["area"]), tuple(t for t in targets if t), data.get("program", ""),
                data.get("contents") or {}, tasks)
