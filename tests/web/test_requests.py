"""Requests on forms No. 01 and No. 04: recorded, listed by the review that answers them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.reviews.models import Request, Review, Step

from .factories import act, make_household, users_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.MONITOR)
    households = [make_household(commune, hamlet, f"TL-{n}", 1_000_000, deprived=True)
                  for n in range(3)]
    return commune, hamlet, users, households


def file(household, form: str, user, asks="recognition", day=dt.date(2024, 9, 20)):
    return Request.objects.create(household=household, form=form, asks=asks, filed_on=day,
                                  filed_by="Chủ hộ", received_by=user)


def open_review(commune, user, kind: str) -> Review:
    reference = dt.date(2024, 10, 15) if kind == "periodic" else dt.date(2025, 3, 16)
    return Review.objects.create(commune=commune, kind=kind,
                                 period_year=2025, reference_date=reference,
                                 standard_id="vn-2022-2025", opened_by=user)


def test_the_annual_review_lists_form_01_and_the_monthly_review_form_04(setting):
    commune, _hamlet, users, (first, second, third) = setting
    officer = users[Role.COMMUNE_OFFICER]
    annual_request = file(first, "01", officer)
    monthly_request = file(second, "04", officer, asks="escape", day=dt.date(2025, 3, 2))
    annual = open_review(commune, officer, "periodic")
    assert annual.list_requests() == 1
    assert annual.list_requests() == 0  # answered requests are not listed twice
    entry = annual.entries.get()
    assert (entry.household, entry.listed_because) == (first, "form_01")
    annual_request.refresh_from_db()
    assert annual_request.review == annual
    monthly = open_review(commune, officer, "regular")
    assert monthly.list_requests() == 1
    assert list(monthly.entries.values_list("household__code", "listed_because")) == [
        ("TL-1", "form_04")]
    monthly_request.refresh_from_db()
    assert monthly_request.review == monthly
    # taken by the regular review of 15 March, answered within 15 days of its start
    assert monthly_request.answer_due == dt.date(2025, 3, 30)
    assert annual_request.answer_due is None
    assert third.requests.count() == 0


def test_requests_are_listed_in_step_1_only(setting):
    commune, _hamlet, users, households = setting
    officer = users[Role.COMMUNE_OFFICER]
    review = open_review(commune, officer, "periodic")
    review.list_households(households[:1], "added")
    review.advance(officer)
    file(households[1], "01", officer)
    with pytest.raises(ValidationError):
        review.list_requests()
    assert Request.objects.get().review is None


def test_average_living_standard_requests_use_form_01(setting):
    _commune, _hamlet, users, households = setting
    request = Request(household=households[0], form="04", asks="average_farm",
                      filed_on=dt.date(2025, 3, 1), filed_by="Chủ hộ",
                      received_by=users[Role.COMMUNE_OFFICER])
    with pytest.raises(ValidationError, match="Mẫu số 01|form No. 01"):
        request.full_clean()


def test_a_regular_review_starts_on_the_15th_and_serves_its_own_year(setting):
    commune, _hamlet, users, _households = setting
    review = Review(commune=commune, kind="regular", period_year=2025,
                    reference_date=dt.date(2025, 3, 10), standard_id="vn-2022-2025",
                    opened_by=users[Role.COMMUNE_OFFICER])
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "reference_date" in error.value.message_dict
    review.reference_date, review.period_year = dt.date(2025, 3, 15), 2026
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "period_year" in error.value.message_dict


def test_an_officer_records_a_request_on_the_page(client, setting):
    commune, _hamlet, users, households = setting
    client.force_login(users[Role.COMMUNE_OFFICER])
    url = reverse("reviews:requests")
    page = client.post(url, {"household": "KHONG-CO", "form": "01", "asks": "recognition",
                             "filed_on": "2024-09-20", "filed_by": "Bà Hoa"}).content.decode()
    assert "Không có hộ mang mã này trong địa bàn của bạn." in page
    assert 'value="Bà Hoa"' in page and not Request.objects.exists()
    response = client.post(url, {"household": "TL-2", "form": "04", "asks": "recognition",
                                 "filed_on": "2025-03-02", "filed_by": "Bà Hoa"})
    assert response.status_code == 302
    request = Request.objects.get()
    assert (request.household, request.received_by) == (households[2],
                                                        users[Role.COMMUNE_OFFICER])
    page = client.get(url).content.decode()
    assert "TL-2" in page and "30/03/2025" in page  # the review of 15/03, within 15 days
    page = client.get(reverse("households:detail", args=["TL-2"])).content.decode()
    assert "Mẫu số 04" in page or "form No. 04" in page


def test_a_monitor_reads_requests_but_cannot_record_one(client, setting):
    _commune, _hamlet, users, households = setting
    file(households[0], "01", users[Role.COMMUNE_OFFICER])
    client.force_login(users[Role.MONITOR])
    assert "TL-0" in client.get(reverse("reviews:requests")).content.decode()
    response = client.post(reverse("reviews:requests"), {
        "household": "TL-1", "form": "01", "asks": "recognition", "filed_on": "2024-09-20",
        "filed_by": "Bà Hoa"})
    assert response.status_code == 403 and Request.objects.count() == 1


def test_the_listing_step_offers_the_waiting_requests(client, setting):
    commune, _hamlet, users, households = setting
    officer = users[Role.COMMUNE_OFFICER]
    file(households[0], "01", officer)
    review = open_review(commune, officer, "periodic")
    client.force_login(officer)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "(1 " in page and "Mẫu số 01" in page
    act(client, review, "list_requests")
    assert review.entries.get().listed_because == "form_01"
    assert review.step == Step.LISTING
