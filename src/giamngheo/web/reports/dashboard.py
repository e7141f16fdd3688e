"""The dashboard of an area and a year, as tables (shown beside their charts, and exported as
one workbook): targets with their actual value, light and trend; poverty rates by commune on
the national and provincial standards; deprivations with their Alkire-Foster contribution;
budget execution by source. Everything is read from the figures stored per commune and review,
never from the households."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ...figures import POOR_OR_NEAR, count, percent
from ...measures import measures_of_sums
from ...plans import label
from ...rules.parameters import default_registry
from ..households.models import current_lang
from ..households.views import national_indicators
from ..program.models import budget_by_source, funding_in
from ..units.models import AdministrativeUnit
from .document import actual_text, target_text
from .figures import figures_by_commune
from .progress import Progress, figures_by_year, target_progress
from .tables import Table, rate


@dataclass
class Dashboard:
    unit: AdministrativeUnit
    year: int
    years: list[int]  # with figures
    progress: list[Progress]
    targets: Table
    communes: Table
    deprivations: Table
    budget: Table

    @property
    def tables(self) -> list[Table]:
        return [self.targets, self.communes, self.deprivations, self.budget]


def dashboard(unit: AdministrativeUnit, year: int) -> Dashboard | None:
    """None when no commune of the area has figures for any year."""
    by_year = figures_by_year(unit)
    if not by_year:
        return None
    area = by_year.get(year, {})
    progress = target_progress(unit, year, by_year)
    return Dashboard(unit, year, sorted(by_year), progress, _targets(progress),
                     _communes(unit, year), _deprivations(area), _budget(unit, year))


def _targets(progress: list[Progress]) -> Table:
    lang = current_lang()
    table = Table("targets", _("Targets of the plan"), [
        _("Target"), _("Plan"), _("Result"), _("Assessment"), _("Trend")])
    light = {"green": _("met"), "amber": _("near the target"), "red": _("not met"),
             "grey": "—"}
    for line in progress:
        trend = "; ".join(f"{y}: {_actual_text_of(line, v)}" for y, v in line.trend)
        table.rows.append([label(line.target.label, lang), target_text(line.target),
                           actual_text(line), light[line.light], trend])
    return table


def _actual_text_of(line: Progress, value: float | None) -> str:
    return "—" if value is None else (f"{value:g}" if line.target.comparison == "reduce_by_pct"
                                      else f"{value:.1f}%".replace(".", ","))


def _communes(unit: AdministrativeUnit, year: int) -> Table:
    table = Table("communes", _("Poverty rates by commune"), [
        _("commune"), _("households"), _("% poor"), _("% near-poor"), _("poor of group A"),
        _("poor of group B"), _("% poor (provincial standard)"),
        _("% near-poor (provincial standard)")])
    communes = unit.communes()
    found = figures_by_commune(communes, year)
    for commune in communes:
        if commune.pk not in found:
            continue
        f = found[commune.pk]
        n = count(f, "households")
        provincial = [rate(count(f, "provincial", s), n) if f.get("provincial") else ""
                      for s in POOR_OR_NEAR]
        table.rows.append([commune.name, n, rate(count(f, "households", "poor"), n),
                           rate(count(f, "households", "near_poor"), n),
                           count(f, "poor_group", "A"), count(f, "poor_group", "B"),
                           *provincial])
    return table


def _deprivations(area: dict) -> Table:
    """Share of poor and near-poor households deprived in each indicator, and the indicator's
    contribution to the adjusted headcount M0 (legal measure, households)."""
    table = Table("deprivations", _("Deprivations and their contribution to poverty"), [
        # xgettext:no-python-format
        _("indicator"), _("% of poor"), _("% of near-poor"), _("contribution to M0 (%)")])
    sums = area.get("af")
    contribution = {}
    if sums:
        measures = measures_of_sums(sums, default_registry().get(sums["standard"]))
        contribution = measures["contribution"]
    for code, name in national_indicators().items():
        table.rows.append([name] + [
            rate(count(area, "deprived", s, code), count(area, "households", s))
            for s in POOR_OR_NEAR] + [round(100 * contribution.get(code, 0.0), 2)])
    return table


def _budget(unit: AdministrativeUnit, year: int) -> Table:
    table = Table("budget", _("Budget execution by source (đồng)"), [
        _("Funding source"), _("Allocated (đồng)"), _("Disbursed (đồng)"), _("Settled (đồng)"),
        # xgettext:no-python-format
        _("% disbursed")])
    for row in budget_by_source(funding_in(unit, year)):
        table.rows.append([str(row["label"]), row["allocated"], row["disbursed"],
                           row["settled"], round(percent(row["disbursed"], row["allocated"])
                                                 or 0.0, 1)])
    return table


@dataclass
class Bar:
    label: str
    value: float  # what the bar shows, in % (0-100)
    text: str
    tone: str = ""  # green, amber, red, grey


def add_charts(board: Dashboard) -> None:
    """The bars of each table's chart; the same numbers are in the table beside it."""
    board.targets.bars = [Bar(row[0], _clamp(line.achieved), row[2], line.light)
               for line, row in zip(board.progress, board.targets.rows, strict=True)]
    board.communes.bars = [Bar(row[0], row[2], f"{row[2]:.2f}%".replace(".", ","))
                for row in board.communes.rows]
    board.deprivations.bars = [Bar(row[0], row[3], f"{row[3]:.1f}%".replace(".", ","))
                    for row in board.deprivations.rows]
    board.budget.bars = [Bar(row[0], _clamp(row[4]), f"{row[4]:.1f}%".replace(".", ","),
                  "red" if row[4] > 100 else "") for row in board.budget.rows if row[1] or row[2]]


def _clamp(value: float | None) -> float:
    return 0.0 if value is None else max(0.0, min(100.0, value))
