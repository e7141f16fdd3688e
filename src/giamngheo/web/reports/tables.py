"""The review's result tables for an area and the lists of a year (docs/review-procedure.md,
Circular 07/2021 Appendix VII family; our numbering, not the official forms'): each commune's
closed annual review for that year's lists, one row per commune and a total that adds them
up, every rate from ``giamngheo.figures.headcount``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...figures import POOR_OR_NEAR, count, headcount, indicators_of, provincial_rates
from ...transitions import NEAR_POOR_TABLE, POOR_TABLE, UNDECIDED
from ..households.models import Member, PovertyCause, current_lang
from ..reviews.figures import (
    added,
    figures_by_commune,
    remapped,
    reviews_of,
    territory_communes,
)
from ..reviews.models import ReviewEntry
from ..reviews.statuses import MOVEMENT_LABELS, statuses
from ..sheets import Table
from ..support.models import Support, kind_choices
from ..units.models import AdministrativeUnit

FORM_NOTE = gettext_lazy(
    "The tables follow the content of Circular 07/2021/TT-BLĐTBXH (Appendix VII) and "
    "docs/review-procedure.md; their numbers are ours, not the official forms'.")


class NoClosedReview(Exception):
    """No commune of the area has a closed annual review for the year."""


def rate(part: float, whole: float) -> float:
    """A rate in % rounded to 2 decimals (0 when there is nothing to divide by)."""
    return round(100 * part / whole, 2) if whole else 0.0


def result_tables(unit: AdministrativeUnit, year: int, with_lists: bool = False,
                  on_units_of: dt.date | None = None) -> list[Table]:
    """The tables for the lists of ``year`` in ``unit``, added up from the figures stored per
    commune, and (``with_lists``: personal data) the detailed lists; NoClosedReview when
    nothing to say. A row per commune of that year, or (``on_units_of`` a date, today) per
    commune in force on that date, each adding up the communes it was formed from."""
    in_force = unit.communes()
    communes = territory_communes(unit, in_force)
    by_commune = figures_by_commune(communes, year)
    if not by_commune:
        raise NoClosedReview(_("No commune of %(unit)s has a closed annual review for the "
                               "lists of %(year)s.") % {"unit": unit.name, "year": year})
    if on_units_of is not None:
        rows = remapped([c for c in communes if c.is_valid_on(on_units_of)], by_commune)
    else:
        rows = [(c, by_commune[c.pk]) for c in communes if c.pk in by_commune]
    area = added(rows)
    tables = [summary_table(rows), *movement_tables(rows), *_status_tables(area),
              _support_received(unit, year, communes, in_force), _ethnicity(area),
              _causes(area)]
    if with_lists:
        tables.append(_detailed_lists(communes, year, area))
    for number, table in enumerate(tables, start=1):
        table.form = _("Table %(n)02d") % {"n": number}
    return tables


def summary_table(rows) -> Table:
    """A row per commune and the total: households of the lists (the undecided included and
    shown apart), persons, poor and near-poor with their rates on both standards."""
    provincial = any(f.get("provincial") for _c, f in rows)
    table = Table("summary", _("Poor and near-poor households by unit"), [
        _("commune"), _("households"), _("persons"), _("poor"), _("% poor"), _("near-poor"),
        _("% near-poor"), _("Farm households of average living standard"),
        _("poor of group A"), _("poor of group B"), _("without a decision (shown apart)"),
        *([_("% poor (provincial standard)"), _("% near-poor (provincial standard)")]
          if provincial else [])], sheet="Tổng hợp theo đơn vị")
    for name, figures in [*((c.name, f) for c, f in rows),
                          (_("Total"), added(rows))]:
        line = headcount(figures)
        row = [name, line.households, line.persons, line.poor, rate(line.poor, line.households),
               line.near_poor, rate(line.near_poor, line.households), line.average_farm,
               int(count(figures, "poor_group", "A")), int(count(figures, "poor_group", "B")),
               line.undecided]
        if provincial:
            rates = provincial_rates(figures)
            row += [round(rates[s], 2) if rates and rates[s] is not None else ""
                    for s in POOR_OR_NEAR]
        table.rows.append(row)
    table.notes = [_("Rates: households of the status ÷ every household registered and living "
                     "in the area on the date of the lists (the chair's decision)."),
                   str(FORM_NOTE)]
    return table


def movement_tables(rows) -> list[Table]:
    tables = []
    for key, title, sheet, (status, decreases, increases) in (
            ("poor_movements", _("Movements of poor households"), "Biến động hộ nghèo",
             POOR_TABLE),
            ("near_poor_movements", _("Movements of near-poor households"),
             "Biến động hộ cận nghèo", NEAR_POOR_TABLE)):
        table = Table(key, title, [_("commune"), _("at the start"),
                                   *[_("decrease: %(what)s") % {"what": MOVEMENT_LABELS[m]}
                                     for m in decreases],
                                   *[_("increase: %(what)s") % {"what": MOVEMENT_LABELS[m]}
                                     for m in increases], _("at the end")], sheet=sheet)
        compared = []
        for commune, f in rows:
            if "before" not in f:
                table.rows.append([commune.name, _("no earlier review"),
                                   *[""] * (len(decreases) + len(increases)),
                                   int(count(f, "households", status))])
                continue
            row = [commune.name, int(count(f, "before", status)),
                   *[int(count(f, "movements", m)) for m in decreases + increases],
                   int(count(f, "households", status))]
            table.rows.append(row)
            compared.append(row)
        if compared:
            table.add_total(compared, _("Total (units with an earlier review)"))
        table.notes = [_("At the start: the lists of the annual review before; at the end: "
                         "these lists. At the end = at the start - decreases + increases. A "
                         "household without a decision in either review is counted in its "
                         "own column, never as a movement.")]
        tables.append(table)
    return tables


def _status_table(key: str, title: str, sheet: str, first: str, columns: tuple[str, str],
                  labels: dict, numerator, denominator) -> Table:
    """A row per label: a count among the poor and among the near-poor, with its %."""
    table = Table(key, title, [first, columns[0],
                               # xgettext:no-python-format
                               _("% of them"), columns[1],
                               # xgettext:no-python-format
                               _("% of them")], sheet=sheet)
    for code, label in labels.items():
        row = [str(label)]
        for status in POOR_OR_NEAR:
            n = int(numerator(status, code))
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

    households_columns = (_("poor households"), _("near-poor households"))
    indicators = indicators_of(area, current_lang())  # the standard's, never a fixed list
    return [
        _status_table("deprivations", _("Deprivations among poor and near-poor households"),
                      "Thiếu hụt dịch vụ xã hội", _("indicator"), households_columns,
                      indicators,
                      lambda s, code: count(area, "deprived", s, code), households),
        _status_table("target_groups", _("Poor and near-poor households by target group"),
                      "Theo nhóm đối tượng", _("target group"), households_columns,
                      TARGET_GROUPS, lambda s, code: count(area, "target_groups", code, s),
                      households),
        _status_table("children", _("Children (under 16) of poor and near-poor households "
                                    "by deprivation of their household"),
                      "Trẻ em thiếu hụt", _("children"),
                      (_("children of poor households"), _("children of near-poor households")),
                      {"all": _("All children under 16"), **indicators},
                      lambda s, code: count(area, "children", s, code),
                      lambda s: count(area, "children", s, "all")),
    ]


def _ethnicity(area: dict) -> Table:
    table = Table("ethnicity", _("Poor and near-poor households by ethnicity of the head"),
                  [_("ethnic group"), _("poor households"), _("near-poor households")],
                  sheet="Theo dân tộc")
    table.rows = [[name, int(count(c, "poor")), int(count(c, "near_poor"))]
                  for name, c in sorted(area.get("ethnicity", {}).items())]
    table.add_total()
    return table


def _causes(area: dict) -> Table:
    """A poor household may name several causes: the rows add up to more than the poor."""
    table = Table("causes", _("Poor households by cause of poverty"),
                  [_("cause"), _("poor households")], sheet="Nguyên nhân nghèo")
    table.rows = [[str(label), int(count(area, "causes", code))]
                  for code, label in PovertyCause.choices]
    table.rows.append([_("no cause recorded"), int(count(area, "causes_unrecorded"))])
    table.rows.append([_("poor households"), int(count(area, "households", "poor"))])
    table.notes = [_("A household may have several causes.")]
    return table


def _support_received(unit: AdministrativeUnit, year: int,
                      territory: list[AdministrativeUnit] | None = None,
                      communes: list[AdministrativeUnit] | None = None) -> Table:
    """Households supported in the year of the lists, by kind of support, by their status
    in those lists (not today's); ``territory`` and ``communes``: the unit's
    ``territory_communes`` and ``communes()`` when already found."""
    table = Table("support_received", _("Support received in the year by kind"),
                  [_("kind of support"), _("poor households"), _("near-poor households"),
                   _("other households"), _("amount (đồng)")], sheet="Hỗ trợ đã nhận",
                  money=True)
    given = list(Support.objects.given().filter(
        household__commune__in=unit.communes() if communes is None else communes,
        given_on__year=year).values(
        "kind", "household").annotate(money=Sum("amount")).values_list(
        "kind", "household", "money"))
    supported = {household for _kind, household, _money in given}
    status: dict[int, str] = {}
    for review in reviews_of(unit, year, territory) if supported else ():
        status.update(statuses(review, supported))
    found: dict[str, dict[str, int]] = {}
    households: dict[str, dict[str, set]] = {}
    for kind, household, amount in given:
        group = status.get(household, UNDECIDED)
        group = group if group in POOR_OR_NEAR else "other"
        households.setdefault(kind, {}).setdefault(group, set()).add(household)
        row = found.setdefault(kind, {})
        row["amount"] = row.get("amount", 0) + (amount or 0)
    for kind, label in kind_choices():
        seen = households.get(kind, {})
        table.rows.append([label, *[len(seen.get(g, ())) for g in ("poor", "near_poor",
                                                                    "other")],
                           found.get(kind, {}).get("amount", 0)])
    table.add_total()
    table.notes = [_("A household is counted once per kind of support; the total counts "
                     "household-supports.")]
    return table


# beyond this many poor and near-poor households the lists are asked for commune by commune
DETAILED_LIST_LIMIT = 20_000


def _detailed_lists(communes, year: int, area: dict) -> Table:
    table = Table("detailed_lists", _("Poor and near-poor households with their members"),
                  [_("commune"), _("hamlet"), _("household code"), _("classification"),
                   _("group"), _("deprivations"), _("member"), _("relation to the head"),
                   _("year of birth"), _("sex"), _("ethnicity")], sheet="Danh sách chi tiết")
    listed = sum(count(area, "households", s) for s in POOR_OR_NEAR)
    if listed > DETAILED_LIST_LIMIT:
        table.rows.append([_("%(n)s households: too many for one workbook; download the "
                             "tables of each commune or district.") % {"n": listed}])
        return table
    entries = ReviewEntry.objects.filter(
        review__commune__in=communes, review__period_year=year, review__step="closed",
        review__kind="periodic", classification__in=POOR_OR_NEAR, withdrawn_because="")
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
