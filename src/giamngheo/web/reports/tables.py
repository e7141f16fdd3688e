"""The review's result tables for an area and a year (review-and-program.md §2, Circular
07/2021 Appendix VII family; names, not official numbers): each commune's closed annual review
for that year's lists, one row per commune and a total that adds them up."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

import xlsxwriter
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..households.models import Household, Member, PovertyCause
from ..households.views import national_indicators
from ..reviews.models import Review, Step, closed_periodic_reviews, movements, statuses
from ..units.models import AdministrativeUnit

POOR_MOVES = {"decrease": ("poor_to_near_poor", "escaped_poverty", "other_decrease"),
              "increase": ("near_poor_to_poor", "re_poor", "new_poor", "other_increase")}
NEAR_MOVES = {"decrease": ("near_poor_to_poor", "escaped_near_poverty", "other_decrease"),
              "increase": ("poor_to_near_poor", "new_near_poor", "other_increase")}


class NoClosedReview(Exception):
    """No commune of the area has a closed annual review for the year."""


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)

    def add_total(self) -> None:
        """A total row: the sum of every numeric column."""
        total = [_("Total")] + [sum(r[i] for r in self.rows) if all(
            isinstance(r[i], (int, float)) for r in self.rows) else ""
            for i in range(1, len(self.headers))]
        self.rows.append(total)


def communes_of(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    if unit.level == "commune":
        return [unit]
    found, frontier = [], [unit]
    while frontier:
        children = list(AdministrativeUnit.objects.filter(parent__in=frontier))
        found += [c for c in children if c.level == "commune"]
        frontier = [c for c in children if c.level != "commune"]
    return sorted(found, key=lambda c: c.code)


def result_tables(unit: AdministrativeUnit, year: int) -> list[Table]:
    """The tables for the lists of ``year`` in ``unit``; NoClosedReview when nothing to say."""
    reviews = {r.commune_id: r for r in Review.objects.filter(
        commune__in=communes_of(unit), kind=Review.Kind.PERIODIC, period_year=year,
        step=Step.CLOSED).select_related("commune")}
    if not reviews:
        raise NoClosedReview(_("No commune of %(unit)s has a closed annual review for the "
                               "lists of %(year)s.") % {"unit": unit.name, "year": year})
    summary = Table("summary", _("Summary by unit"), [
        _("commune"), _("households"), _("persons"), _("poor"), _("% poor"), _("near-poor"),
        _("% near-poor"), _("Farm households of average living standard")])
    poor_moves = Table("poor_movements", _("Movements of poor households"), [
        _("commune"), _("at the start"), *POOR_MOVES["decrease"], *POOR_MOVES["increase"],
        _("at the end")])
    near_moves = Table("near_poor_movements", _("Movements of near-poor households"), [
        _("commune"), _("at the start"), *NEAR_MOVES["decrease"], *NEAR_MOVES["increase"],
        _("at the end")])
    indicators = national_indicators()
    deprivations = Table("deprivations", _("Deprivations among poor and near-poor households"),
                         [_("indicator"), _("poor"), _("% of poor"), _("near-poor"),
                          _("% of near-poor")])
    ethnicity = Table("ethnicity", _("Poor and near-poor households by ethnicity of the head"),
                      [_("ethnic group"), _("poor"), _("near-poor")])
    causes = Table("causes", _("Poor households by cause of poverty"), [
        _("cause"), _("poor households")])
    deprived = {"poor": Counter(), "near_poor": Counter()}
    listed = {"poor": 0, "near_poor": 0}
    by_ethnicity: dict[str, Counter] = {}
    by_cause: Counter = Counter()
    for review in sorted(reviews.values(), key=lambda r: r.commune.code):
        status = statuses(review)
        _summary_row(summary, review, status)
        _movement_rows(review, status, poor_moves, near_moves)
        entries = list(review.entries.filter(classification__in=("poor", "near_poor"))
                       .values_list("household_id", "classification", "deprivations",
                                    "household__poverty_causes"))
        heads = dict(Member.objects.filter(
            household_id__in=[e[0] for e in entries], relation="head", left_on=None)
            .values_list("household_id", "ethnicity"))
        for household_id, classification, depr, causes_of in entries:
            ethnic = heads.get(household_id)
            listed[classification] += 1
            deprived[classification].update(depr.split())
            by_ethnicity.setdefault(ethnic or "—", Counter())[classification] += 1
            if classification == "poor":
                by_cause.update(causes_of or [])
    for code, label in indicators.items():
        deprivations.rows.append([label] + [
            v for c in ("poor", "near_poor") for v in (
                deprived[c][code], round(100 * deprived[c][code] / listed[c], 2)
                if listed[c] else 0.0)])
    ethnicity.rows = [[name, c["poor"], c["near_poor"]]
                      for name, c in sorted(by_ethnicity.items())]
    causes.rows = [[str(label), by_cause[code]] for code, label in PovertyCause.choices]
    for table in (summary, poor_moves, near_moves, ethnicity, causes):
        table.add_total()
    _percentages(summary)
    return [summary, poor_moves, near_moves, deprivations, ethnicity, causes]


def _summary_row(table: Table, review: Review, status: dict[int, str]) -> None:
    """Counted in the database through subqueries: a commune's ids never go in a query."""
    counts = Counter(status.values())
    in_review = Household.objects.filter(
        Q(commune=review.commune, registered_on__lte=review.reference_date)
        | Q(review_entries__review=review))
    persons = Member.objects.filter(household__in=in_review, left_on=None).count()
    farm = review.entries.filter(classification="average",
                                 household__farm_household=True).count()
    households = len(status)
    table.rows.append([review.commune.name, households, persons, counts["poor"], 0.0,
                       counts["near_poor"], 0.0, farm])


def _percentages(table: Table) -> None:
    """Rates computed on every row, the total's from its sums (never a sum of rates)."""
    for row in table.rows:
        row[4] = round(100 * row[3] / row[1], 2) if row[1] else 0.0
        row[6] = round(100 * row[5] / row[1], 2) if row[1] else 0.0


def _movement_rows(review: Review, status: dict[int, str], poor: Table, near: Table) -> None:
    earlier = [r for r in closed_periodic_reviews(review.commune)
               if r.period_year < review.period_year]
    after = Counter(status.values())
    if not earlier:
        poor.rows.append([review.commune.name, 0, *[0] * 7, after["poor"]])
        near.rows.append([review.commune.name, 0, *[0] * 6, after["near_poor"]])
        return
    before = Counter(statuses(earlier[-1]).values())
    moved = Counter(movements(earlier[-1], review).values())
    poor.rows.append([review.commune.name, before["poor"],
                      *[moved[m] for m in POOR_MOVES["decrease"] + POOR_MOVES["increase"]],
                      after["poor"]])
    near.rows.append([review.commune.name, before["near_poor"],
                      *[moved[m] for m in NEAR_MOVES["decrease"] + NEAR_MOVES["increase"]],
                      after["near_poor"]])


def workbook(unit: AdministrativeUnit, year: int, tables: list[Table]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1, "valign": "top",
                            "bg_color": "#F2E6D9"})
    total = book.add_format({"bold": True})
    for table in tables:
        sheet = book.add_worksheet(table.key)
        sheet.write(0, 0, f"{table.title} — {unit.name}, {year}", title)
        sheet.write_row(2, 0, [_label(h) for h in table.headers], bold)
        for n, row in enumerate(table.rows, start=3):
            sheet.write_row(n, 0, row, total if row[0] == _("Total") else None)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, len(table.headers), 14)
    book.close()
    return out.getvalue()


MOVE_LABELS = {
    "poor_to_near_poor": gettext_lazy("became near-poor"),
    "escaped_poverty": gettext_lazy("escaped poverty"),
    "other_decrease": gettext_lazy("other decrease (moved away, died, ...)"),
    "near_poor_to_poor": gettext_lazy("near-poor became poor"),
    "re_poor": gettext_lazy("fell back into poverty"),
    "new_poor": gettext_lazy("newly poor"),
    "other_increase": gettext_lazy("other increase (moved in, split, ...)"),
    "escaped_near_poverty": gettext_lazy("escaped near-poverty"),
    "new_near_poor": gettext_lazy("newly near-poor"),
}


def _label(header: str) -> str:
    return str(MOVE_LABELS.get(header, header))
