"""The households of each commune by status kept by the database (``HouseholdCount``, issue
17): after every kind of change the kept counts are COUNT(*)'s, and a count of the list's
scope and filters is read from them, the same number as before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.bulk import insert_objects, reserve_ids, update_objects
from giamngheo.web.households.models import Household, HouseholdCount
from giamngheo.web.units.models import AdministrativeUnit as Unit
from tests.web.factories import make_household, users_with_roles

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[int, str], int]:
    """(commune, status) → households, counted row by row (an annotated query: no kept
    count answers it)."""
    return {(c, s): n for c, s, n in Household.objects.order_by()
            .values_list("commune_id", "current_status").annotate(n=Count("pk"))}


def kept() -> dict[tuple[int, str], int]:
    return {(c, s): n for c, s, n in HouseholdCount.objects
            .values_list("commune_id", "current_status", "households") if n}


def assert_counts_kept() -> None:
    assert kept() == counted()


@pytest.fixture
def two_communes(place):
    """Tà Lài (with Ấp 4) and Đak Lua (with its Ấp 1), three households in Tà Lài."""
    commune, hamlet = place
    other = Unit.objects.get(level="commune", code="26119", valid_from=None)
    other_hamlet = Unit.objects.create(code="26119-01", name="Ấp 1", kind="ap",
                                       level="hamlet", parent=other)
    made = [make_household(commune, hamlet, f"TL-{n}", 1_000_000, deprived=True)
            for n in range(3)]
    return commune, hamlet, other, other_hamlet, made


def new_household(commune, code: str) -> Household:
    return Household(code=code, commune=commune, area="rural", search_text=f" {code.lower()}")


def test_the_counts_follow_every_kind_of_change(two_communes):
    commune, hamlet, other, other_hamlet, made = two_communes
    assert counted() == {(commune.pk, ""): 3}
    assert_counts_kept()

    Household.objects.bulk_create([new_household(other, f"DL-{n}") for n in range(4)])
    assert counted()[(other.pk, "")] == 4
    assert_counts_kept()

    moved = made[0]  # moved with its hamlet by the form's save
    moved.commune, moved.hamlet = other, other_hamlet
    moved.save()
    assert counted()[(other.pk, "")] == 5
    assert_counts_kept()

    Household.objects.filter(code__in=["DL-0", "DL-1"]).update(commune=commune)
    assert counted() == {(commune.pk, ""): 4, (other.pk, ""): 3}
    assert_counts_kept()

    Household.objects.filter(commune=commune).update(current_status="poor")
    Household.objects.filter(code="DL-2").update(current_status="near_poor")
    Household.objects.filter(code="DL-3").update(address="Tổ 1")  # neither: no change
    assert counted() == {(commune.pk, "poor"): 4, (other.pk, ""): 2,
                         (other.pk, "near_poor"): 1}
    assert_counts_kept()

    Household.objects.get(code="DL-2").delete()
    Household.objects.filter(code__in=["DL-0", "DL-1"]).delete()
    assert counted() == {(commune.pk, "poor"): 2, (other.pk, ""): 2}
    assert_counts_kept()

    # the import's raw path: rows written with COPY (PostgreSQL) or one executemany
    ids = reserve_ids(Household, 3)
    imported = [new_household(commune, f"IM-{n}") for n in range(3)]
    for pk, household in zip(ids, imported, strict=True):
        household.pk = pk
    insert_objects(Household, imported, reason="import")
    assert counted()[(commune.pk, "")] == 3
    assert_counts_kept()
    for household in imported[:2]:
        household.commune = other
    update_objects(Household, imported[:2], ["commune"], reason="import")
    assert counted() == {(commune.pk, "poor"): 2, (commune.pk, ""): 1, (other.pk, ""): 4}
    assert_counts_kept()


def test_the_counts_are_filled_from_the_households_there_are(two_communes):
    """What the migration fills the table with (its own statement, run again here on an
    emptied table) is COUNT(*)'s."""
    from importlib import import_module

    migration = import_module("giamngheo.web.households.migrations.0011_household_counts")
    HouseholdCount.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert kept() == counted() == {(two_communes[0].pk, ""): 3}


def test_households_deleted_or_moved_after_their_counts_were_emptied_make_no_count(two_communes):
    """A subtraction never makes a row: when the counts were emptied before the households
    (Django's flush of a test database on SQLite deletes its tables in any order), a row of
    minus n would name communes the flush deletes too, and the flush would fail."""
    commune, hamlet, other, other_hamlet, made = two_communes
    HouseholdCount.objects.all().delete()
    Household.objects.filter(pk=made[0].pk).update(current_status="poor")
    assert kept() == {(commune.pk, "poor"): 1}  # the addition is counted, the old row is gone
    Household.objects.filter(pk__in=[h.pk for h in made[1:]]).delete()
    Household.objects.filter(pk=made[0].pk).delete()
    assert kept() == {}
    assert not HouseholdCount.objects.filter(households__lt=0).exists()


def counts(households) -> tuple[int, bool]:
    """(the queryset's count, whether it was read from the kept counts)."""
    with CaptureQueriesContext(connection) as queries:
        n = households.count()
    return n, any(HouseholdCount._meta.db_table in q["sql"] for q in queries)


def test_a_count_reads_the_kept_counts_only_when_they_answer_it(two_communes):
    commune, hamlet, other, other_hamlet, made = two_communes
    Household.objects.bulk_create([new_household(other, f"DL-{n}") for n in range(4)])
    Household.objects.filter(code__in=["TL-0", "DL-0"]).update(current_status="poor")
    both = {commune.pk, other.pk}
    households = Household.objects.all()
    answered = {  # the list's scope and filters
        "everyone": households,
        "scope": households.filter(Q(commune__in=both)),
        "scope, commune": households.filter(commune__in=both).filter(commune_id=str(other.pk)),
        "scope, status": households.filter(commune__in=both).filter(current_status="poor"),
        "commune": other.households.all(),
        "commune and status": households.filter(commune=commune, current_status="poor"),
        "a list's query": households.filter(commune__in=both).select_related("commune")
        .order_by("code").only("code", "commune").prefetch_related("members"),
    }
    counted_by_rows = {
        "scope or a hamlet": households.filter(Q(commune__in=[commune.pk])
                                               | Q(hamlet__in=[other_hamlet.pk])),
        "indicator": households.filter(commune__in=both,
                                       current_deprivations__contains=" water "),
        "not a status": households.filter(commune__in=both).exclude(current_status="poor"),
        "a commune's field": households.filter(commune__parent=commune.parent_id),
        "a hamlet": households.filter(hamlet=hamlet),
        "a code": households.filter(commune=commune, code="TL-1"),
        "a slice": households.filter(commune=commune)[:2],
        "distinct": households.filter(commune__in=both).distinct(),
        "a subquery": households.filter(commune__in=Unit.objects.filter(pk=commune.pk)),
    }
    for name, query in answered.items():
        assert counts(query) == (len(list(query)), True), name
    for name, query in counted_by_rows.items():
        assert counts(query) == (len(list(query)), False), name
    assert counts(households.none()) == (0, False)
    assert households.filter(commune__in=[]).count() == 0


@pytest.mark.parametrize("role", [Role.AREA_OFFICER, Role.COMMUNE_OFFICER])
def test_the_list_shows_the_same_total_and_pages(client, two_communes, role):
    """A province's (here a district's) and a commune's officer: the total and the pages of
    the list, without and with filters, are those of the households listed."""
    from giamngheo.web.households import views

    commune, hamlet, other, other_hamlet, made = two_communes
    Household.objects.bulk_create([new_household(other, f"DL-{n:03}")
                                   for n in range(2 * views.PAGE_SIZE + 3)])
    Household.objects.filter(code__startswith="DL-0").update(current_status="poor")
    Household.objects.filter(code="TL-1").update(current_status="poor",
                                                 current_deprivations=" water ")
    unit = commune.parent if role == Role.AREA_OFFICER else commune
    client.force_login(users_with_roles(unit, role)[role])
    scope = Household.objects.filter(commune__parent=commune.parent_id) \
        if role == Role.AREA_OFFICER else Household.objects.filter(commune=commune)
    for filters, listed in (
            ({}, scope),
            ({"commune": commune.pk}, scope.filter(commune=commune)),
            ({"status": "poor"}, scope.filter(current_status="poor")),
            ({"commune": other.pk, "status": "poor"},
             scope.filter(commune=other, current_status="poor")),
            ({"indicator": "water"}, scope.filter(current_deprivations__contains=" water "))):
        total = len(list(listed))
        page = client.get(reverse("households:list"), filters).context["page"]
        assert page.paginator.count == total, filters
        assert page.paginator.num_pages == max(1, -(-total // views.PAGE_SIZE)), filters
    assert client.get(reverse("households:list")).context["page"].paginator.count == \
        (3 + 2 * views.PAGE_SIZE + 3 if role == Role.AREA_OFFICER else 3)

