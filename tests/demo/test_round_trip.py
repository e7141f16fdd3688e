"""Round trip is identity over the whole demo: every household of `giamngheo demo` (its
default size, 5,000 households), opened in the edit form by its commune's officer and saved
as the browser posts it, changes nothing: no stored value of the household or of any member,
no history record, no new version; and each commune exported to a workbook reads back as an
import that leaves every household unchanged. (Once, on SQLite: the tests of the form itself
run on PostgreSQL too.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.demo import DEMO_HOUSEHOLDS, build_demo
from giamngheo.web.exchange.export import write_households
from giamngheo.web.exchange.importer import plan_import
from giamngheo.web.households.models import Household, Member
from tests.web.submitted import submitted

pytestmark = pytest.mark.django_db


def snapshot():
    """Every stored value of every household and member, and the history's size."""
    return (list(Household.objects.order_by("pk").values_list()),
            list(Member.objects.order_by("pk").values_list()),
            Household.history.count(), Member.history.count())


def test_every_demo_household_saved_untouched_or_exported_and_imported_is_unchanged(tmp_path):
    build_demo(households=DEMO_HOUSEHOLDS)
    before = snapshot()
    client = Client()
    officers: dict[int, User] = {}
    saved = 0
    for household in Household.objects.order_by("commune_id", "code").select_related("commune"):
        if household.commune_id not in officers:
            officer = User.objects.create_user(f"canbo-{household.commune.code}-"
                                               f"{household.commune_id}")
            Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER,
                                      unit=household.commune)
            client.force_login(officer)
            officers[household.commune_id] = officer
        url = reverse("households:edit", args=[household.code])
        response = client.post(url, submitted(client.get(url).content.decode()))
        assert response.status_code == 302, (household.code, response.content.decode())
        saved += 1
    assert saved == len(before[0]) == DEMO_HOUSEHOLDS
    assert snapshot() == before
    for commune_id, officer in officers.items():
        path = tmp_path / f"{commune_id}.xlsx"
        count = write_households(Household.objects.filter(commune_id=commune_id), path,
                                 shows_id_numbers=lambda *_unit: True)
        plan = plan_import(path, officer)
        assert plan.problems == [] and plan.counts["unchanged"] == count, plan.problems[:3]
