"""The household's page reads its requests, complaints, certificates, support and livelihood
models only when it has some (asked with the household): it lists what reading each of them
always listed, in the same order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.web.households.history import HISTORICAL_HOUSEHOLDS, HISTORICAL_MEMBERS
from giamngheo.web.households.models import Household, Member
from giamngheo.web.households.views import _has_any, _has_any_written
from giamngheo.web.reviews.models import Complaint, Request, ReviewEntry

pytestmark = pytest.mark.django_db


LISTS = ("reviews_request", "reviews_complaint", "reviews_certificate", "support_support",
         "program_participation")


def every_kind(household: Household) -> dict[str, list]:
    """What the page listed before: each of them read, whether there was any or not."""
    return {
        "requests": list(household.requests.select_related("review__commune")),
        "complaints": list(Complaint.objects.filter(entry__household=household)),
        "certificates": list(household.certificates.select_related("review__decision")),
        "support": list(household.support.all()),
        "participations": list(household.participations.all()),
    }


def test_the_page_lists_what_reading_everything_listed(client, small_demo):
    officer = User.objects.get(username="tinh.dongnai")  # sees every commune
    client.force_login(officer)
    entry = ReviewEntry.objects.filter(household__certificates__isnull=False,
                                       household__support__isnull=False,
                                       household__participations__isnull=False) \
        .select_related("household").first()
    rich = entry.household
    for day, asks in ((dt.date(2025, 3, 3), "escape"), (dt.date(2025, 4, 1), "recognition")):
        Request.objects.create(household=rich, form="04", asks=asks, filed_on=day,
                               filed_by="Chủ hộ", received_by=officer)
    for day in (dt.date(2024, 12, 2), dt.date(2024, 12, 1)):
        Complaint.objects.create(review=entry.review, entry=entry, filed_on=day,
                                 filed_by="Hàng xóm", content=f"Khiếu nại {day}")
    bare = Household.objects.filter(requests=None, review_entries__complaints=None,
                                     certificates=None, support=None,
                                     participations=None).first()
    pages = {}
    for household in (rich, bare):
        url = reverse("households:detail", args=[household.code])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        # the review entries read once, their fields as the timeline needs them (none
        # deferred, which would read each entry again)
        assert sum(q["sql"].startswith('SELECT "reviews_reviewentry".')
                   for q in queries.captured_queries) == 1
        # the statements that read one of the five lists (not the household's EXISTS)
        pages[household.code] = {table for table in LISTS for q in queries.captured_queries
                                 if q["sql"].startswith(f'SELECT "{table}".')}
        lists = {name: list(page.context[name]) for name in every_kind(household)}
        assert lists == every_kind(household)
        assert all(lists.values()) is (household == rich)
        assert (not any(lists.values())) is (household == bare)
        if household == rich:
            text = page.content.decode()
            assert text.index("Khiếu nại 2024-12-01") < text.index("Khiếu nại 2024-12-02")
            support = lists["support"][0]
            assert f"— {support.get_kind_display()}" in text
    # the five lists are not read for the household that has none of them
    assert pages == {rich.code: set(LISTS), bare.code: set()}


def test_the_written_lists_are_the_sql_django_writes_for_them(small_demo):
    """The page's query with ``has_<list>`` written once is the very statement (text and
    parameters) Django writes with the five subqueries built for it, and reads the same."""
    rich = Household.objects.filter(certificates__isnull=False).first()

    def query(annotations):
        return Household.objects.filter(code__in=[rich.code, "NOPE-1"]) \
            .select_related("commune__parent", "hamlet").annotate(**annotations).order_by("pk")

    built, written = query(_has_any()), query(_has_any_written("default"))
    assert written.query.sql_with_params() == built.query.sql_with_params()
    assert "EXISTS" in str(written.query)
    assert [{n: getattr(h, n) for n in _has_any()} for h in written] == \
        [{n: getattr(h, n) for n in _has_any()} for h in built]
    assert written[0].has_certificates is True


def test_the_history_reads_the_rows_simple_history_reads(small_demo):
    household = Household.objects.first()
    household.address = "Tổ 9, ấp 2"
    household.save()  # a correction: a second version
    Member.objects.filter(household=household).first().save()  # a member's version too
    assert list(HISTORICAL_HOUSEHOLDS.filter(id=household.pk)) == \
        list(household.history.all()) != [] and household.history.count() >= 2
    assert list(HISTORICAL_MEMBERS.filter(household_id=household.pk)) == \
        list(Member.history.filter(household_id=household.pk)) != []
