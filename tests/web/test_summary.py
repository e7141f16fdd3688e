"""The commune summary: the households of a year's lists by hamlet, with the rates every page
gives (undecided households in the denominator, shown apart), and what changed since."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household, Member
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


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
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024,
                        [poor, near, moved])
    # registered after the reference date and not listed: in the lists' count, undecided
    late = make_household(commune, other, "TL-4", 5_000_000, deprived=False)
    Household.objects.filter(pk=late.pk).update(registered_on=dt.date(2024, 11, 20))
    # the figures are those of the lists' date: a household moving away later stays counted
    Household.objects.filter(pk=moved.pk).update(status="moved", left_on=dt.date(2025, 2, 1))
    review.reopen(users[Role.COMMUNE_OFFICER], "đếm lại")
    review.advance(users[Role.COMMUNE_OFFICER])
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:summary", args=[commune.pk]))
    lines = page.context["summary"]
    assert [(x.name, x.households, x.persons, x.poor, x.near_poor, x.undecided)
            for x in lines] == [("Ấp 4", 1, 2, 1, 0, 0), ("Ấp 5", 3, 3, 1, 1, 1),
                                ("", 4, 5, 2, 1, 1)]
    html = page.content.decode()
    assert "Tổng cộng" in html and "50,00" in html  # 2 poor of 4 households
    assert page.context["since"]["left"] == 1
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    assert client.get(reverse("households:summary", args=[dak_lua.pk])).status_code == 404
    assert client.get(reverse("households:list"), {"commune": "x"}).status_code == 200
