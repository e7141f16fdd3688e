"""A household's status is written from the closed reviews: the annual review decides every
household registered by its date, a later regular review the households it listed, and a
reopened review gives the status back to the review before it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


def status(household) -> tuple[str, int | None]:
    household.refresh_from_db()
    return household.current_status, household.status_year


def test_status_from_annual_then_regular_reviews_and_back_on_reopening(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
    officer = users[Role.COMMUNE_OFFICER]
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    unlisted = make_household(commune, hamlet, "TL-2", 3_000_000, deprived=False)
    newcomer = make_household(commune, hamlet, "TL-3", 1_000_000, deprived=True)
    Household.objects.filter(pk=newcomer.pk).update(registered_on=dt.date(2025, 1, 5))
    assert status(poor) == ("", None)
    run_review(commune, hamlet, officer, 2024, [poor])
    assert status(poor) == ("poor", 2025)
    assert status(unlisted) == ("not_poor", 2025)
    assert status(newcomer) == ("", None)  # arrived after the annual review
    monthly = run_review(commune, hamlet, officer, 2025, [newcomer], kind="regular")
    assert status(newcomer) == ("poor", 2025)
    assert status(poor) == ("poor", 2025)  # not listed: the monthly review leaves it
    monthly.reopen(users[Role.COMMUNE_CHAIR], "Biên bản họp dân thiếu chữ ký")
    assert status(newcomer) == ("", None)
    assert status(poor) == ("poor", 2025)


def test_the_list_filters_on_the_status(client, place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    make_household(commune, hamlet, "TL-2", 3_000_000, deprived=False)
    run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, [poor])
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:list"), {"status": "poor"}).content.decode()
    assert "TL-1" in page and "TL-2" not in page
    page = client.get(reverse("households:list"), {"status": "not_poor"}).content.decode()
    assert "TL-2" in page and "TL-1" not in page


def test_the_list_filters_on_an_indicator_of_the_latest_review(client, place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    deprived = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    make_household(commune, hamlet, "TL-2", 3_000_000, deprived=False)
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024,
                        Household.objects.all())
    entry = review.entries.get(household=deprived)
    assert " water " in entry.deprivations and " health_insurance " in entry.deprivations
    deprived.refresh_from_db()
    assert deprived.current_deprivations == entry.deprivations
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:list"), {"indicator": "water"}).content.decode()
    assert "TL-1" in page and "TL-2" not in page
    page = client.get(reverse("households:list"), {"indicator": "housing_area"}).content.decode()
    assert "TL-1" not in page and "TL-2" not in page
    page = client.get(reverse("households:list"), {"indicator": "bogus"}).content.decode()
    assert "TL-1" in page and "TL-2" in page


def test_the_household_page_shows_each_reviews_decision(client, place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    unlisted = make_household(commune, hamlet, "TL-2", 3_000_000, deprived=False)
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, [poor])
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:detail", args=[unlisted.code])).content.decode()
    assert f'/reviews/{review.pk}/">' in page and 'badge not_poor' in page
    page = client.get(reverse("households:detail", args=[poor.code])).content.decode()
    assert 'badge poor">Hộ nghèo</span> (A)' in page or 'badge poor">Hộ nghèo</span> (B)' in page
