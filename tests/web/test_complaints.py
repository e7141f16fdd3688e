"""Complaints during the public posting and their re-checks (phúc tra)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Complaint, Step

from .factories import act, make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 11, 6)


@pytest.fixture
def setting(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER)
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    unlisted = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, [poor],
                        until=Step.POSTING)
    return review, poor, unlisted, users[Role.COMMUNE_OFFICER]


def test_complaints_are_received_during_the_posting_only(place):
    commune, hamlet = place
    officer = users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [household], until=Step.MEETING)
    with pytest.raises(ValidationError):
        review.file_complaint(household, DAY, "Hàng xóm", "Hộ này có xe ô tô")
    assert not Complaint.objects.exists()


def test_a_recheck_classifies_the_household_again_and_keeps_both_results(setting):
    review, poor, _unlisted, officer = setting
    complaint = review.file_complaint(poor, DAY, "Ông Tư", "Hộ đã có BHYT và internet")
    assert complaint.classification_before == "poor"
    with pytest.raises(ValidationError, match="phúc tra|Re-check"):
        review.advance(officer)  # the posting cannot end with a complaint open
    Household.objects.filter(pk=poor.pk).update(water_source="piped", uses_internet=True,
                                                income_monthly_per_capita=1_400_000)
    poor.members.update(health_insurance=True)
    review.recheck(complaint, officer, "Đúng: hộ đã có thẻ BHYT", DAY)
    complaint.refresh_from_db()
    assert (complaint.classification_after, complaint.rechecked_by) == ("near_poor", officer)
    assert review.entries.get(household=poor).classification == "near_poor"
    with pytest.raises(ValidationError):
        review.recheck(complaint, officer, "lần hai", DAY)
    review.advance(officer)
    assert review.step == Step.CONSULTATION


def test_a_complaint_about_an_unlisted_household_adds_it_to_the_review(setting):
    review, _poor, unlisted, officer = setting
    complaint = review.file_complaint(unlisted, DAY, "Trưởng ấp", "Hộ này khó khăn")
    entry = complaint.entry
    assert (entry.household, entry.listed_because, entry.classification) == (
        unlisted, "complaint", "")
    review.recheck(complaint, officer, "Hộ thiếu hụt BHYT, nước sạch", DAY)
    entry.refresh_from_db()
    assert entry.classification == "poor" and entry.result["reasons"]


def test_the_officer_files_and_rechecks_a_complaint_on_the_review_page(client, setting):
    review, poor, _unlisted, officer = setting
    client.force_login(officer)
    page = act(client, review, "complaint", household="TL-1", filed_on="2024-11-06",
               filed_by="Ông Tư", content="").content.decode()
    assert "Trường này là bắt buộc." in page and 'value="Ông Tư"' in page
    act(client, review, "complaint", household="TL-1", filed_on="2024-11-06",
        filed_by="Ông Tư", content="Hộ đã có BHYT")
    complaint = Complaint.objects.get()
    page = act(client, review, "advance").content.decode()
    assert "Cần phúc tra mọi khiếu nại trước." in page
    page = act(client, review, "recheck", complaint=complaint.pk, rechecked_on="2024-11-07",
               finding="Khiếu nại không đúng").content.decode()
    assert "Đã phúc tra" in page
    complaint.refresh_from_db()
    assert complaint.classification_after == "poor" and complaint.finding
    page = client.get(reverse("households:detail", args=["TL-1"])).content.decode()
    assert "Hộ đã có BHYT" in page and "Khiếu nại không đúng" in page
