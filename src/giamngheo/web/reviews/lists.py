"""The lists a closed review fixes (poor A/B, near-poor, newly escaped, average farm
households) with counts and rates by hamlet, and their XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from ...xlsx import new_workbook
from ..households.models import Household, Member, tally
from .models import Review, newly_escaped


@dataclass
class HouseholdList:
    key: str
    title: str
    rows: list[tuple[Household, str]]  # household, extra column (group, months left...)


def lists_of(review: Review, on: dt.date) -> list[HouseholdList]:
    entries = review.entries.select_related("household__hamlet").prefetch_related(
        "household__members").order_by("household__code")
    by_class: dict[str, list] = {}
    for e in entries:
        by_class.setdefault((e.classification, e.poor_group), []).append(e.household)
    average_farm = [h for (c, _g), hs in by_class.items() if c == "average" for h in hs
                    if h.farm_household]
    return [
        HouseholdList("poor_a", _("Poor households, group A"),
                      [(h, "A") for h in by_class.get(("poor", "A"), [])]),
        HouseholdList("poor_b", _("Poor households, group B"),
                      [(h, "B") for h in by_class.get(("poor", "B"), [])]),
        HouseholdList("near_poor", _("Near-poor households"),
                      [(h, "") for h in by_class.get(("near_poor", ""), [])]),
        HouseholdList("newly_escaped", _("Newly escaped households (months of benefits left)"),
                      [(h, str(months)) for h, months in newly_escaped(review, on)]),
        HouseholdList("average_farm", _("Farm households of average living standard"),
                      [(h, "") for h in average_farm]),
    ]


def summary_by_hamlet(review: Review) -> list[dict]:
    """The summary (``tally``) of the households the review listed, by their classification."""
    return tally(review.entries.values_list(
        "household__hamlet__name", "classification", "household__farm_household")
        .annotate(households=Count("pk", distinct=True),
                  persons=Count("household__members", distinct=True)))


def workbook(review: Review, lists: list[HouseholdList],
             id_number: Callable[[Member, Household], str]) -> bytes:
    """One sheet per list; Vietnamese headers; ID numbers as text, whole or masked as
    ``id_number(member, household)`` gives them (``accounts.privacy``)."""
    out = io.BytesIO()
    book = new_workbook(out, in_memory=True)
    bold = book.add_format({"bold": True, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 13})
    for item in lists:
        sheet = book.add_worksheet(item.key)
        sheet.write(0, 0, f"{item.title} — {review}", title)
        headers = [_("household code"), _("Head of household"), _("ID number (CCCD)"),
                   _("hamlet"), _("members"), _("Note")]
        sheet.write_row(2, 0, headers, bold)
        for i, (h, extra) in enumerate(item.rows, start=3):
            head = h.head
            sheet.write_row(i, 0, [h.code, head.full_name if head else "",
                                   id_number(head, h) if head else "",
                                   h.hamlet.name if h.hamlet else "",
                                   len(h.members.all()), extra])
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 3, 16)
    book.close()
    return out.getvalue()
