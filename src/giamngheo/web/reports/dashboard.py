"""The dashboard of an area and a year, as tables (shown beside their charts, and exported as
one workbook): targets with their actual value, goal, light and trend; poverty rates by commune
at the start and the end of the year; deprivations with their Alkire-Foster contribution;
budget execution by source. Year Y is measured on the annual review held in Y (the lists of
Y+1) against the lists it started with (those of Y); the figures are the stored ones every page
reads, never the households."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ...figures import (
    POOR_OR_NEAR,
    count,
    headcount,
    indicators_of,
    percent,
    provincial_rates,
)
from ...measures import measures_of_sums
from ...plans import label
from ...rules.parameters import default_registry
from ..households.models import current_lang
from ..program.models import budget_by_source, funding_in
from ..program.progress import (
    Progress,
    actual_text,
    state_text,
    target_progress,
    target_text,
)
from ..reviews.figures import (
    figures_by_commune,
    figures_by_year,
    remapped,
    territory_communes,
)
from ..sheets import Table
from ..units.models import AdministrativeUnit
from .tables import rate


@dataclass
class Dashboard:
    unit: AdministrativeUnit
    year: int  # the calendar year
    lists_year: int  # the lists measured: year + 1, or year while its review is not closed
    years: list[int]  # calendar years with a closed review
    progress: list[Progress]
    targets: Table
    communes: Table
    deprivations: Table
    budget: Table

    @property
    def tables(self) -> list[Table]:
        return [self.targets, self.communes, self.deprivations, self.budget]

    @property
    def year_closed(self) -> bool:
        """Whether the annual review held in the year is closed (else its start is shown)."""
        return self.lists_year == self.year + 1


def dashboard(unit: AdministrativeUnit, year: int) -> Dashboard | None:
    """None when no commune of the area has figures for any year."""
    territory = territory_communes(unit)
    by_year = figures_by_year(unit, territory)
    if not by_year:
        return None
    lists_year = year + 1 if year + 1 in by_year else year
    area = by_year.get(lists_year, {})
    progress = target_progress(unit, year, lists_year, by_year=by_year)
    return Dashboard(unit, year, lists_year, sorted(y - 1 for y in by_year), progress,
                     _targets(progress), _communes(territory, year, lists_year),
                     _deprivations(area), _budget(unit, year))


def _targets(progress: list[Progress]) -> Table:
    lang = current_lang()
    table = Table("targets", _("Targets of the plan"), [
        _("Target"), _("Plan"), _("Result"), _("Assessment"), _("value (%)"), _("goal (%)"),
        _("not known"), _("Trend")], sheet="Chỉ tiêu")
    for line in progress:
        trend = "; ".join(f"{y}: {_value_text(line, v)}" for y, v in line.trend)
        achieved = line.achieved
        table.rows.append([label(line.target.label, lang), target_text(line.target),
                           actual_text(line), state_text(line),
                           round(achieved, 2) if achieved is not None else "",
                           line.goal, line.unknown, trend])
    return table


def _value_text(line: Progress, value: float | None) -> str:
    return "—" if value is None else (f"{value:g}" if line.target.comparison == "reduce_by_pct"
                                      else f"{value:.1f}%".replace(".", ","))


def _communes(communes: list[AdministrativeUnit], year: int, lists_year: int) -> Table:
    table = Table("communes", _("Poverty rates by commune"), [
        _("commune"), _("households"), _("% poor at the start of the year"), _("% poor"),
        _("% near-poor"), _("without a decision (shown apart)"), _("poor of group A"),
        _("poor of group B"), _("% poor (provincial standard)"),
        _("% near-poor (provincial standard)")], sheet="Tỷ lệ theo xã")
    # a row per commune of the lists' year (today's commune before a merger: those it was
    # formed from), its start re-mapped from the communes of the year before, as the report
    found = figures_by_commune(communes, lists_year)
    rows = [c for c in communes if c.pk in found]
    start = dict((c.pk, f) for c, f in remapped(rows, figures_by_commune(communes, year))) \
        if lists_year != year else {}
    for commune in rows:
        f = found[commune.pk]
        line = headcount(f)
        before = headcount(start[commune.pk]) if commune.pk in start else None
        provincial = provincial_rates(f) or {}
        table.rows.append([
            commune.name, line.households,
            rate(before.poor, before.households) if before else "",
            rate(line.poor, line.households), rate(line.near_poor, line.households),
            line.undecided, int(count(f, "poor_group", "A")), int(count(f, "poor_group", "B")),
            *[round(provincial[s], 2) if provincial.get(s) is not None else ""
              for s in POOR_OR_NEAR]])
    return table


def _deprivations(area: dict) -> Table:
    """Share of poor and near-poor households deprived in each indicator, and the indicator's
    contribution to the adjusted headcount M0 (legal measure, households)."""
    table = Table("deprivations", _("Deprivations and their contribution to poverty"), [
        _("indicator"),
        # xgettext:no-python-format
        _("% of poor"),
        # xgettext:no-python-format
        _("% of near-poor"), _("contribution to M0 (%)")],
        sheet="Thiếu hụt")
    sums = area.get("af")
    contribution = {}
    if sums:
        measures = measures_of_sums(sums, default_registry().get(sums["standard"]))
        contribution = measures["contribution"]
    for code, name in indicators_of(area, current_lang()).items():
        table.rows.append([name] + [
            rate(count(area, "deprived", s, code), count(area, "households", s))
            for s in POOR_OR_NEAR] + [round(100 * contribution.get(code, 0.0), 2)])
    return table


def _budget(unit: AdministrativeUnit, year: int) -> Table:
    table = Table("budget", _("Budget execution by source (đồng)"), [
        _("Funding source"), _("Allocated (đồng)"), _("Disbursed (đồng)"), _("Settled (đồng)"),
        # xgettext:no-python-format
        _("% disbursed")], sheet="Kinh phí", money=True)
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
    goal: float | None = None  # where the goal is marked, in % (0-100)


def add_charts(board: Dashboard) -> None:
    """The bars of each table's chart; the same numbers are in the table beside it."""
    board.targets.bars = [
        Bar(row[0], _clamp(line.achieved), _value_text(line, line.actual)
            if line.target.comparison != "reduce_by_pct" or line.achieved is None
            else f"↓{line.achieved:.1f}%".replace(".", ","), line.light, _clamp(line.goal))
        for line, row in zip(board.progress, board.targets.rows, strict=True)]
    board.communes.bars = [Bar(row[0], row[3], f"{row[3]:.2f}%".replace(".", ","))
                           for row in board.communes.rows]
    board.deprivations.bars = [Bar(row[0], row[3], f"{row[3]:.1f}%".replace(".", ","))
                               for row in board.deprivations.rows]
    board.budget.bars = [Bar(row[0], _clamp(row[4]), f"{row[4]:.1f}%".replace(".", ","),
                             "red" if row[4] > 100 else "")
                         for row in board.budget.rows if row[1] or row[2]]


def _clamp(value: float | None) -> float:
    return 0.0 if value is None else max(0.0, min(100.0, value))
