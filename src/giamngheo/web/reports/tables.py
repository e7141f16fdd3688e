"""The review's result tables for an area and a year (review-and-program.md §2, Circular
07/2021 Appendix VII family; names, not official numbers): each commune's closed annual review
for that year's lists, one row per commune and a total that adds them up."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...figures import POOR_OR_NEAR, add, count, percent
from ...xlsx import new_workbook
from ..households.models import Member, PovertyCause
from ..households.views import national_indicators
from ..reviews.models import Review, ReviewEntry, Step
from ..support.models import Support, kind_choices
from ..units.models import AdministrativeUnit
from .figures import figures_by_commune

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
    bars: list = field(default_factory=list)  # a chart of the rows, on the dashboard

    def add_total(self) -> None:
        """A total row: the sum of every numeric column."""
        total = [_("Total")] + [sum(r[i] for r in self.rows) if all(
            isinstance(r[i], (int, float)) for r in self.rows) else ""
            for i in range(1, len(self.headers))]
        self.rows.append(total)


def result_tables(unit: AdministrativeUnit, year: int, with_lists: bool = False) -> list[Table]:
    """The tables for the lists of ``year`` in ``unit``, added up from the figures stored per
    commune, and (``with_lists``: personal data) the detailed lists; NoClosedReview when
    nothing to say."""
    communes = unit.communes()
    by_commune = figures_by_commune(communes, year)
    if not by_commune:
        raise NoClosedReview(_("No commune of %(unit)s has a closed annual review for the "
                               "lists of %(year)s.") % {"unit": unit.name, "year": year})
    rows = [(c, by_commune[c.pk]) for c in communes if c.pk in by_commune]
    area = add(f for _c, f in rows)
    deprivations, target_groups, children = _status_tables(area)
    tables = [_summary(rows), *_movements(rows), deprivations, target_groups,
              _support_received(communes, year), _ethnicity(area), _causes(area), children]
    if with_lists:
        tables.append(_detailed_lists(communes, year, area))
    return tables


def _summary(rows) -> Table:
    table = Table("summary", _("Summary by unit"), [
        _("commune"), _("households"), _("persons"), _("poor"), _("% poor"), _("near-poor"),
        _("% near-poor"), _("Farm households of average living standard"),
        _("poor of group A"), _("poor of group B")])
    for commune, f in rows:
        table.rows.append([commune.name, count(f, "households"), count(f, "persons"),
                           count(f, "households", "poor"), 0.0,
                           count(f, "households", "near_poor"), 0.0, count(f, "farm_average"),
                           count(f, "poor_group", "A"), count(f, "poor_group", "B")])
    table.add_total()
    for row in table.rows:  # rates on every row, the total's from its sums
        row[4] = rate(row[3], row[1])
        row[6] = rate(row[5], row[1])
    return table


def rate(part: float, whole: float) -> float:
    return round(percent(part, whole) or 0.0, 2)


def _movements(rows) -> list[Table]:
    tables = []
    for key, title, status, moves in (
            ("poor_movements", _("Movements of poor households"), "poor", POOR_MOVES),
            ("near_poor_movements", _("Movements of near-poor households"), "near_poor",
             NEAR_MOVES)):
        table = Table(key, title, [_("commune"), _("at the start"), *moves["decrease"],
                                   *moves["increase"], _("at the end")])
        for commune, f in rows:
            table.rows.append([commune.name, count(f, "before", status),
                               *[count(f, "movements", m)
                                 for m in moves["decrease"] + moves["increase"]],
                               count(f, "households", status)])
        table.add_total()
        tables.append(table)
    return tables


def _status_table(key: str, title: str, first: str, labels: dict, numerator,
                  denominator) -> Table:
    """A row per label: a count among poor and among near-poor households, with its %."""
    table = Table(key, title, [first, _("poor"),
                               # xgettext:no-python-format
                               _("% of poor"), _("near-poor"),
                               # xgettext:no-python-format
                               _("% of near-poor")])
    for code, label in labels.items():
        row = [str(label)]
        for status in POOR_OR_NEAR:
            n = numerator(status, code)
            row += [n, rate(n, denominator(status))]
        table.rows.append(row)
    return table


TARGET_GROUPS = {
    "no_labour_capacity": gettext_lazy("without labour capacity"),
    "ethnic_minority": gettext_lazy("ethnic minority (head of household)"),
}


def _status_tables(area: dict) -> list[Table]:
    def households(status):
        return count(area, "households", status)

    return [
        _status_table("deprivations", _("Deprivations among poor and near-poor households"),
                      _("indicator"), national_indicators(),
                      lambda s, code: count(area, "deprived", s, code), households),
        _status_table("target_groups", _("Poor and near-poor households by target group"),
                      _("target group"), TARGET_GROUPS,
                      lambda s, code: count(area, "target_groups", code, s), households),
        _status_table("children", _("Children (under 16) of poor and near-poor households "
                                    "by deprivation of their household"), _("children"),
                      {"all": _("All children under 16"), **national_indicators()},
                      lambda s, code: count(area, "children", s, code),
                      lambda s: count(area, "children", s, "all")),
    ]


def _ethnicity(area: dict) -> Table:
    table = Table("ethnicity", _("Poor and near-poor households by ethnicity of the head"),
                  [_("ethnic group"), _("poor"), _("near-poor")])
    table.rows = [[name, count(c, "poor"), count(c, "near_poor")]
                  for name, c in sorted(area.get("ethnicity", {}).items())]
    table.add_total()
    return table


def _causes(area: dict) -> Table:
    table = Table("causes", _("Poor households by cause of poverty"),
                  [_("cause"), _("poor households")])
    table.rows = [[str(label), count(area, "causes", code)]
                  for code, label in PovertyCause.choices]
    table.add_total()
    return table


def _support_received(communes, year: int) -> Table:
    """Households supported in ``year`` by kind of support, by their current status."""
    table = Table("support_received", _("Support received in the year by kind"),
                  [_("kind of support"), _("poor households"), _("near-poor households"),
                   _("other households"), _("amount (đồng)")])
    found: dict[str, Counter] = {}
    for kind, status, households, amount in Support.objects.filter(
            household__commune__in=communes, given_on__year=year).values(
            "kind", "household__current_status").annotate(
            n=Count("household", distinct=True), money=Sum("amount")).values_list(
            "kind", "household__current_status", "n", "money"):
        row = found.setdefault(kind, Counter())
        row[status if status in POOR_OR_NEAR else "other"] += households
        row["amount"] += amount or 0
    for kind, label in kind_choices():
        row = found.get(kind, Counter())
        table.rows.append([label, row["poor"], row["near_poor"], row["other"], row["amount"]])
    table.add_total()
    return table


# beyond this many poor and near-poor households the lists are asked for commune by commune
DETAILED_LIST_LIMIT = 20_000


def _detailed_lists(communes, year: int, area: dict) -> Table:
    table = Table("detailed_lists", _("Poor and near-poor households with their members"),
                  [_("commune"), _("hamlet"), _("household code"), _("classification"),
                   _("group"), _("deprivations"), _("member"), _("relation to the head"),
                   _("year of birth"), _("sex"), _("ethnicity")])
    listed = sum(count(area, "households", s) for s in POOR_OR_NEAR)
    if listed > DETAILED_LIST_LIMIT:
        table.rows.append([_("%(n)s households: too many for one workbook; download the "
                             "tables of each commune or district.") % {"n": listed}])
        return table
    entries = ReviewEntry.objects.filter(
        review__commune__in=communes, review__period_year=year, review__step=Step.CLOSED,
        review__kind=Review.Kind.PERIODIC, classification__in=POOR_OR_NEAR)
    status = {hid: (c, g, len(d.split())) for hid, c, g, d in entries.values_list(
        "household_id", "classification", "poor_group", "deprivations")}
    labels = {"poor": _("poor"), "near_poor": _("near-poor")}
    relations, sexes = dict(Member.relation.field.choices), dict(Member.sex.field.choices)
    for row in Member.objects.filter(household__in=entries.values("household_id"),
                                     left_on=None).order_by(
            "household__commune__code", "household__code", "position").values_list(
            "household_id", "household__commune__name", "household__hamlet__name",
            "household__code", "full_name", "relation", "birth_date", "sex", "ethnicity"):
        hid, commune, hamlet, code, name, relation, birth, sex, ethnicity = row
        classification, group, deprived = status[hid]
        table.rows.append([commune, hamlet or "", code, str(labels[classification]), group,
                           deprived, name, str(relations.get(relation, relation)), birth.year,
                           str(sexes.get(sex, sex)), ethnicity])
    return table


def workbook(unit: AdministrativeUnit, year: int, tables: list[Table]) -> bytes:
    out = io.BytesIO()
    book = new_workbook(out, in_memory=True)
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
    "remain_poor": gettext_lazy("still poor"),
    "remain_near_poor": gettext_lazy("still near-poor"),
    "remain_above": gettext_lazy("not poor"),
}


def _label(header: str) -> str:
    return str(MOVE_LABELS.get(header, header))
