"""Which optional questions of the record are asked, and of whom.

A field declared ``only_when_used`` (``dwelling.waste_disposal``: the 2027-2030 standard's
waste indicator) is asked only where a standard reads it: the standards in force for the
commune, or the one chosen for one of its open reviews. A review lists the households that
still lack such an answer its standard needs, for the surveyors (its questionnaire asks it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ... import record
from ...record import Field
from ...rules.parameters import Standard, default_registry
from ..households.models import Household, current_lang
from .models import Review, Step

OPTIONAL = tuple(f for f in record.HOUSEHOLD_FIELDS if f.only_when_used)


def standards_in_use(communes, on: dt.date) -> list[Standard]:
    """The standards in force on ``on`` for ``communes`` (national and provincial) and those
    chosen for their open reviews."""
    registry = default_registry()
    found = [s for s in [registry.national_for(on)] if s is not None]
    for province in {c.province_code for c in communes}:
        found += registry.provincial_for(on, province)
    chosen = Review.objects.filter(commune__in=communes).exclude(step=Step.CLOSED) \
        .values_list("standard_id", flat=True).distinct()
    found += [registry.get(standard_id) for standard_id in chosen]
    return list({s.id: s for s in found}.values())


def asked_fields(communes, on: dt.date) -> set[str]:
    """Paths of the optional fields to ask in ``communes`` on ``on``."""
    read = {path for s in standards_in_use(communes, on) for path in s.fields_read()}
    return {f.path for f in OPTIONAL if f.path in read}


def _lacking(field: Field) -> Q:
    """Households that lack ``field``'s answer though they have (or may have) a dwelling."""
    assert field.group == "dwelling"
    return Q(**{field.name: ""}) & ~Q(has_dwelling=False)


@dataclass(frozen=True)
class MissingAnswer:
    field: Field
    households: QuerySet  # the listed households lacking it

    @property
    def topic(self) -> str:
        """What the question is about, in a sentence: "xử lý rác thải sinh hoạt"."""
        label = self.field.label[current_lang()]
        return label[:1].lower() + label[1:]

    @property
    def question(self) -> str:
        return self.field.asks(current_lang())


def missing_answers(review: Review) -> list[MissingAnswer]:
    """For each optional field the review's standard reads, the listed households (not
    taken off) that lack its answer."""
    reads = set(default_registry().get(review.standard_id).fields_read())
    listed = Household.objects.filter(
        pk__in=review.entries.filter(withdrawn_because="").values("household_id"))
    out = []
    for field in OPTIONAL:
        if field.path in reads:
            lacking = listed.filter(_lacking(field)).select_related("hamlet") \
                .prefetch_related("members") \
                .order_by("hamlet__name", "code")
            if lacking.exists():
                out.append(MissingAnswer(field, lacking))
    return out
