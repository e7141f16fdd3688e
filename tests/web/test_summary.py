"""The commune summary: households, persons, poor and near-poor by hamlet, with rates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household, Member, tally
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


def test_tally_counts_by_hamlet_and_in_total():
    lines = tally([("Ấp 1", "poor", True, 2, 7), ("Ấp 1", "average", True, 3, 9),
                   ("Ấp 1", "average", False, 5, 15), ("Ấp 2", "near_poor", False, 1, 4),
                   ("Ấp 2", "", False, 3, 3)])
    first, second, total = lines
    assert (first["households"], first["persons"], first["poor"], first["average_farm"]) == (
        10, 31, 2, 3)
    assert first["poor_rate"] == 20.0 and second["near_poor_rate"] == 25.0
    assert (total["hamlet"], total["households"], total["not_reviewed"]) == ("", 14, 3)


def test_the_summary_page_of_a_commune(client, place):
    commune, hamlet = place
    other = Unit.objects.create(code="26131-05", name="Ấp 5", kind="ap", level="hamlet",
                                parent=commune)
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    Member.objects.create(household=poor, position=2, full_name="Vợ", relation="spouse",
                          birth_date=dt.date(1982, 1, 1), sex="female")
    near = make_household(commune, other, "TL-2", 1_400_000, deprived=False)
    moved = make_household(commune, other, "TL-3", 1_000_000, deprived=True)
    run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, [poor, near, moved])
    Household.objects.filter(pk=moved.pk).update(status="moved", left_on=dt.date(2025, 2, 1))
    lines = Household.objects.filter(commune=commune).summary_by_hamlet()
    assert [(x["hamlet"], x["households"], x["persons"], x["poor"], x["near_poor"])
            for x in lines] == [("Ấp 4", 1, 2, 1, 0), ("Ấp 5", 1, 1, 0, 1), ("", 2, 3, 1, 1)]
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:summary", args=[commune.pk])).content.decode()
    assert "Tổng cộng" in page and "Ấp 5" in page and "50,00" in page
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    assert client.get(reverse("households:summary", args=[dak_lua.pk])).status_code == 404
    assert client.get(reverse("households:list"), {"commune": "x"}).status_code == 200
