"""The synthetic registry generator of the speed benchmarks: whole communes, members, a
closed review whose classifications agree with the engine, searchable names."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from giamngheo.web.households.models import Household, Member, search_key
from giamngheo.web.households.validators import check_id_number
from giamngheo.web.reviews.models import Review
from giamngheo.web.scale import REFERENCE_DATE

pytestmark = pytest.mark.django_db


def test_generate_households_builds_whole_communes_with_a_closed_review():
    out = io.StringIO()
    call_command("generate_households", 300, per_commune=100, stdout=out)
    assert "3 xã giả lập" in out.getvalue()
    assert Household.objects.count() == 300
    reviews = Review.objects.filter(step="closed")
    assert reviews.count() == 3
    for review in reviews:
        households = Household.objects.filter(commune=review.commune)
        assert households.count() == review.entries.count() == 100
        assert households.values("hamlet__parent").distinct().count() == 1
        statuses = dict(households.values_list("pk", "current_status"))
        assert statuses == dict(review.entries.values_list("household_id", "classification"))
    assert Member.objects.count() >= 300
    for household in Household.objects.prefetch_related("members").order_by("?")[:25]:
        entry = household.review_entries.get()
        result = household.classify(REFERENCE_DATE, standard_id="vn-2022-2025")
        assert result.get("classification", "rejected") == entry.classification
        head = household.head
        assert household.search_text == search_key(
            household.code, [m.full_name for m in household.members.all()])
        if head.id_number:
            check_id_number(head.id_number, head.birth_date, head.sex)
    call_command("generate_households", 100, per_commune=100, seed=7, stdout=io.StringIO())
    assert Household.objects.count() == 400  # a second run adds communes, ids continue
