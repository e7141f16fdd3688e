"""The Decision 24/2021 review: steps in order, meetings by the 50% rule, bulk classification
by the engine, closed reviews, movements between reviews and the newly escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from giamngheo.web.reviews.models import Review, ReviewError, Step, VillageMeeting
from giamngheo.web.reviews.statuses import movements, newly_escaped, statuses

from .factories import make_household, run_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return User.objects.create_user("can-bo-ta-lai", password="x")


def test_the_steps_in_order_with_who_and_when(place, officer):
    commune, hamlet = place
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = Review.objects.create(commune=commune, kind="periodic", period_year=2025,
                                   reference_date=dt.date(2024, 10, 15),
                                   standard_id=Review.default_standard(dt.date(2024, 10, 15)),
                                   opened_by=officer)
    with pytest.raises(ReviewError, match="ít nhất một hộ|at least one household"):
        review.advance(officer)
    review.list_households([poor], "current_list")
    review.advance(officer)
    with pytest.raises(ReviewError):
        review.advance(officer)  # not classified yet
    assert review.classify() == {"poor": 1}
    review.advance(officer)
    VillageMeeting.objects.create(review=review, hamlet=hamlet, held_on=dt.date(2024, 11, 1),
                                  chaired_by="Trưởng ấp", attendees=10, agreed=4)
    with pytest.raises(ReviewError):
        review.advance(officer)  # fewer than half agreed: back to a new meeting
    VillageMeeting.objects.create(review=review, hamlet=hamlet, held_on=dt.date(2024, 11, 8),
                                  chaired_by="Trưởng ấp", attendees=10, agreed=5)
    review.advance(officer)
    assert review.step == Step.POSTING
    steps = list(review.step_records.values_list("step", "done_by__username"))
    assert steps == [("listing", "can-bo-ta-lai"), ("survey", "can-bo-ta-lai"),
                     ("meeting", "can-bo-ta-lai")]


def test_a_step_cannot_be_done_twice_from_a_stale_page(place, officer):
    commune, hamlet = place
    review = Review.objects.create(commune=commune, kind="regular", period_year=2024,
                                   reference_date=dt.date(2024, 3, 15),
                                   standard_id="vn-2022-2025", opened_by=officer)
    review.list_households([make_household(commune, hamlet, "TL-9", 1_200_000, False)],
                           "form_04")
    stale = Review.objects.get(pk=review.pk)
    review.advance(officer)
    with pytest.raises(ReviewError):
        stale.advance(officer)
    assert review.step_records.count() == 1


def test_a_closed_review_is_read_only_until_the_chair_reopens_it(place, officer):
    commune, hamlet = place
    household = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [household])
    assert review.closed and statuses(review)[household.pk] == "poor"
    with pytest.raises(ReviewError):
        review.list_households([household], "added")
    with pytest.raises(ReviewError):
        review.reopen(officer, "  ")
    review.reopen(officer, "khiếu nại của hộ TL-2 sau quyết định")
    assert review.step == Step.DECISION
    assert review.history.first().history_change_reason == \
        "khiếu nại của hộ TL-2 sau quyết định"


def test_movements_between_closed_reviews_and_the_newly_escaped(place, officer):
    commune, hamlet = place
    stays = make_household(commune, hamlet, "TL-3", 1_000_000, deprived=True)
    escapes = make_household(commune, hamlet, "TL-4", 1_000_000, deprived=True)
    falls = make_household(commune, hamlet, "TL-5", 5_000_000, deprived=False)
    first = run_review(commune, hamlet, officer, 2023, [stays, escapes])
    escapes.income_monthly_per_capita = 4_000_000
    escapes.save()
    falls.income_monthly_per_capita = 1_100_000
    falls.save()
    second = run_review(commune, hamlet, officer, 2024, [stays, escapes, falls])
    moved = movements(first, second)
    assert moved[stays.pk] == "remain_poor"
    assert moved[escapes.pk] == "escaped_poverty"
    assert moved[falls.pk] == "new_near_poor"
    escaped = newly_escaped(second, dt.date(2025, 6, 10))
    assert [(h.code, months) for h, months in escaped] == [("TL-4", 18)]


def test_classifying_a_review_costs_the_same_few_queries_for_any_size(
        place, officer, django_assert_max_num_queries):
    commune, hamlet = place
    households = [make_household(commune, hamlet, f"TL-Q{n}", 1_000_000 + n, n % 2 == 0)
                  for n in range(40)]
    review = Review.objects.create(commune=commune, kind="regular", period_year=2024,
                                   reference_date=dt.date(2024, 6, 15),
                                   standard_id="vn-2022-2025", opened_by=officer)
    review.list_households(households, "added")
    review.advance(officer)
    with django_assert_max_num_queries(12):
        counts = review.classify()
    assert sum(counts.values()) == 40
