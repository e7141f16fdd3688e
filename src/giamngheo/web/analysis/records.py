"""The records an analysis reads, from the registry: a closed review's households as
surveyed, and an area's current poor households as the review that listed them surveyed them
(so that the plan works on exactly the households, and the data, of the official list)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import OuterRef, Subquery

from ..households.models import Household, Member
from ..reviews.models import Review, ReviewEntry, Step
from ..units.models import AdministrativeUnit


def review_records(review: Review) -> list[dict[str, Any]]:
    """The records of a review's households as surveyed, in household order."""
    return [record for record in review.entries.exclude(record=None)
            .order_by("household__code").values_list("record", flat=True)]


def area_households(unit: AdministrativeUnit):
    return Household.objects.filter(commune__in=unit.communes(),
                                    status=Household.Status.ACTIVE)


def poor_records(unit: AdministrativeUnit) -> tuple[list[dict], dict[str, dict], str | None]:
    """The area's poor households (their status from the latest closed review): the record
    that review surveyed (``commune_code`` set to the commune's id, a unit being its code and
    its period), the registry ids to write planned support to, and the standard most of the
    records were decided under."""
    latest = ReviewEntry.objects.filter(household=OuterRef("pk"), review__step=Step.CLOSED) \
        .order_by("-review__reference_date", "-review_id").values("pk")[:1]
    households = dict(area_households(unit).filter(current_status="poor")
                      .annotate(entry=Subquery(latest)).values_list("entry", "pk"))
    entries = ReviewEntry.objects.filter(pk__in=[e for e in households if e is not None],
                                         classification="poor").exclude(record=None) \
        .values_list("pk", "record", "review__standard_id", "household__commune_id") \
        .order_by("household__code")
    present: dict[int, list[tuple[int, str]]] = {}
    for owner, pk, birth in Member.objects.filter(household__in=households.values(),
                                                  left_on=None).order_by(
            "household_id", "position", "pk").values_list("household_id", "pk", "birth_date"):
        present.setdefault(owner, []).append((pk, birth.isoformat()))
    records, links, standards = [], {}, Counter()
    for entry, record, standard, commune in entries:
        household = households[entry]
        members = present.get(household, [])
        # the record's member n is the n-th present member, if still the same person
        matched = {m["id"]: members[i][0] for i, m in enumerate(record["members"])
                   if i < len(members) and members[i][1] == m["birth_date"]}
        links[record["id"]] = {"household": household, "commune": commune,
                               "members": matched}
        records.append({**record, "commune_code": str(commune)})
        standards[standard] += 1
    return records, links, standards.most_common(1)[0][0] if standards else None
