"""Fixtures shared by the web tests."""

from __future__ import annotations

import pytest

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles


@pytest.fixture
def area(place):
    """Tà Lài with two annual reviews (one poor household escapes, one becomes near-poor)
    and Đak Lua with one, under the Tân Phú district."""
    commune, hamlet = place
    district = commune.parent
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    hamlet_2 = Unit.objects.create(code="26119-01", name="Ấp 1", kind="ap", level="hamlet",
                                   parent=dak_lua)
    officer = users_with_roles(district, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    stays = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    escapes = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    near = make_household(commune, hamlet, "TL-3", 3_000_000, deprived=False)
    other = make_household(dak_lua, hamlet_2, "DL-1", 1_000_000, deprived=True)
    Household.objects.filter(pk=stays.pk).update(poverty_causes=["no_land", "no_capital"])
    stays.members.update(ethnicity="Mạ")
    run_review(commune, hamlet, officer, 2023, [stays, escapes, near])
    Household.objects.filter(pk=escapes.pk).update(income_monthly_per_capita=4_000_000,
                                                   water_source="piped", uses_internet=True)
    Household.objects.filter(pk=near.pk).update(income_monthly_per_capita=1_400_000)
    run_review(commune, hamlet, officer, 2024, [stays, escapes, near])
    run_review(dak_lua, hamlet_2, officer, 2024, [other])
    return district, commune, officer




@pytest.fixture
def work_off():
    """Runs the queued import jobs here, as the worker's child process runs each one
    (``jobs.claim``, then ``jobs.run``), so that the test's transaction sees them. The real
    worker, in its own processes, is tested in test_uploads.py."""
    from giamngheo.web.exchange import jobs

    def run() -> int:
        done = 0
        while (job := jobs.claim("test")) is not None:
            jobs.run(job.pk)
            done += 1
        return done
    return run
