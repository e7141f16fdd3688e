"""The lists a closed review fixes (poor A/B, near-poor, newly escaped, average farm
households, and apart: the households without a decision and those taken off because they
left), with the summary by hamlet of ``giamngheo.figures`` (the same figures as every other
page), and their XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from ...figures import Headcount, headcounts_by_hamlet
from ...transitions import UNDECIDED
from ...xlsx import new_workbook
from ..households.models import Household, Member
from .figures import figures_by_commune
from .models import DEPARTURES, Review
from .statuses import newly_escaped, statuses


@dataclass
class HouseholdList:
    key: str  # the sheet's name too: Vietnamese, at most 31 characters
    title: str
    rows: list[tuple[Household, str]]  # household, extra column (group, months left...)
    note_header: str = ""


def lists_of(review: Review, on: dt.date) -> list[HouseholdList]:
    entries = review.entries.select_related("household__hamlet").prefetch_related(
        "household__members").order_by("household__code")
    by_class: dict[tuple[str, str], list] = {}
    taken_off, undecided = [], []
    for e in entries:
        if e.withdrawn_because in DEPARTURES:
            taken_off.append((e.household, f"{e.get_withdrawn_because_display()}, "
                                            f"{e.withdrawn_on:%d/%m/%Y}"))
        elif e.withdrawn_because:
            undecided.append((e.household, f"{e.get_withdrawn_because_display()}: "
                                           f"{e.withdrawn_note}"))
        else:
            by_class.setdefault((e.classification, e.poor_group), []).append(e.household)
    if review.kind == Review.Kind.PERIODIC:
        listed = {e.household_id for e in entries}
        later = [pk for pk, s in statuses(review).items() if s == UNDECIDED and pk not in listed]
        undecided += [(h, _("registered after the reference date, not listed")) for h in
                      Household.objects.filter(pk__in=later).select_related("hamlet")
                      .prefetch_related("members").order_by("code")]
    average_farm = [h for (c, _g), hs in by_class.items() if c == "average" for h in hs
                    if h.farm_household]
    return [
        HouseholdList("Hộ nghèo nhóm A", _("Poor households, group A"),
                      [(h, "A") for h in by_class.get(("poor", "A"), [])]),
        HouseholdList("Hộ nghèo nhóm B", _("Poor households, group B"),
                      [(h, "B") for h in by_class.get(("poor", "B"), [])]),
        HouseholdList("Hộ cận nghèo", _("Near-poor households"),
                      [(h, "") for h in by_class.get(("near_poor", ""), [])]),
        HouseholdList("Hộ mới thoát nghèo", _("Households that escaped poverty in this review"),
                      [(h, str(months)) for h, months in newly_escaped(review, on)],
                      _("months of continued benefits left")),
        HouseholdList("Hộ NLNDN mức sống TB", _("Farm households of average living standard"),
                      [(h, "") for h in average_farm]),
        HouseholdList("Hộ chưa có kết quả", _("Households without a decision (shown apart)"),
                      undecided, _("why")),
        HouseholdList("Hộ đưa ra khỏi rà soát", _("Households taken off the review (left the "
                                                    "commune)"), taken_off, _("why")),
    ]


def summary_of(review: Review) -> list[Headcount] | list[dict]:
    """An annual review: the headcount of its lists by hamlet, then the commune's (the
    stored figures every page reads). A monthly review: what it decided, by hamlet."""
    if review.kind == Review.Kind.PERIODIC:
        figures = figures_by_commune([review.commune], review.period_year).get(review.commune_id)
        return headcounts_by_hamlet(figures)
    rows = review.entries.filter(withdrawn_because="").values_list(
        "household__hamlet__name", "classification").annotate(n=Count("pk"))
    lines: dict[str, dict] = {}
    for hamlet, classification, n in rows:
        for name in (hamlet or "—", ""):
            line = lines.setdefault(name, {"name": name})
            line[classification] = line.get(classification, 0) + n
    return [lines[k] for k in sorted(k for k in lines if k)] + ([lines[""]] if lines else [])


def workbook(review: Review, lists: list[HouseholdList], summary,
             id_number: Callable[[Member, Household], str]) -> bytes:
    """A summary sheet, then one sheet per list; Vietnamese sheet names and headers; the
    reporting unit, the decision and a place for the signer; ID numbers as text, whole or
    masked as ``id_number(member, household)`` gives them (``accounts.privacy``)."""
    out = io.BytesIO()
    book = new_workbook(out, in_memory=True)
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 13})
    decision = getattr(review, "decision", None)
    heading = [_("Reporting unit: People's Committee of %(unit)s") % {
        "unit": review.commune.name}, str(review),
        _("Decision No. %(number)s of %(day)s") % {
            "number": decision.number, "day": f"{decision.signed_on:%d/%m/%Y}"}
        if decision else ""]
    if review.kind == Review.Kind.PERIODIC:
        sheet = book.add_worksheet("Tổng hợp theo ấp")
        for n, line in enumerate(heading):
            sheet.write(n, 0, line, title if n == 0 else None)
        headers = [_("hamlet"), _("households"), _("persons"), _("Poor"), _("% poor"),
                   _("Near-poor"), _("% near-poor"),
                   _("Farm households of average living standard"),
                   _("without a decision (shown apart)")]
        sheet.write_row(4, 0, headers, bold)
        percent = book.add_format({"num_format": "0.00"})
        for n, line in enumerate(summary, start=5):
            sheet.write_row(n, 0, [line.name or _("Total"), line.households, line.persons,
                                   line.poor])
            sheet.write_number(n, 4, round(line.poor_rate or 0, 2), percent)
            sheet.write_number(n, 5, line.near_poor)
            sheet.write_number(n, 6, round(line.near_poor_rate or 0, 2), percent)
            sheet.write_row(n, 7, [line.average_farm, line.undecided])
        _signature(sheet, 5 + len(summary) + 1)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, len(headers), 13)
    for item in lists:
        sheet = book.add_worksheet(item.key[:31])
        sheet.write(0, 0, f"{item.title} — {review}", title)
        sheet.write(1, 0, heading[0])
        sheet.write(2, 0, heading[2])
        headers = [_("household code"), _("Head of household"), _("ID number (CCCD)"),
                   _("hamlet"), _("members"), item.note_header or _("Note")]
        sheet.write_row(4, 0, headers, bold)
        for i, (h, extra) in enumerate(item.rows, start=5):
            head = h.head
            sheet.write_row(i, 0, [h.code, head.full_name if head else "",
                                   id_number(head, h) if head else "",
                                   h.hamlet.name if h.hamlet else ""])
            sheet.write_number(i, 4, len([m for m in h.members.all() if m.left_on is None]))
            if extra.isdigit():
                sheet.write_number(i, 5, int(extra))
            else:
                sheet.write_string(i, 5, extra)
        _signature(sheet, 5 + len(item.rows) + 1)
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 3, 16)
        sheet.set_column(5, 5, 30)
    book.close()
    return out.getvalue()


def _signature(sheet, row: int) -> None:
    sheet.write(row, 0, _("Prepared by (signature, full name)"))
    sheet.write(row, 4, _("ON BEHALF OF THE PEOPLE'S COMMITTEE"))
    sheet.write(row + 1, 4, _("CHAIR (signature, full name, seal)"))
