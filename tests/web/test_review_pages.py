"""An officer and a chair run a review through its pages; others are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.reviews.models import Review, Step

from .factories import act, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(place):
    commune, hamlet = place
    for n, income in enumerate((1_000_000, 1_400_000, 2_000_000)):
        make_household(commune, hamlet, f"TL-{n}", income, deprived=n == 0)
    users = {}
    for name, role in (("officer", Role.COMMUNE_OFFICER), ("chair", Role.COMMUNE_CHAIR),
                       ("monitor", Role.MONITOR)):
        users[name] = User.objects.create_user(name, password="pw")
        Assignment.objects.create(user=users[name], role=role, unit=commune)
    return commune, hamlet, users


def test_a_review_from_opening_to_closing(client, setting):
    commune, hamlet, users = setting
    client.force_login(users["officer"])
    response = client.post(reverse("reviews:list"), {
        "commune": commune.pk, "kind": "periodic", "period_year": 2025,
        "reference_date": "2024-10-15", "standard_id": "vn-2022-2025"})
    review = Review.objects.get()
    assert response.status_code == 302 and review.opened_by == users["officer"]
    act(client, review, "list_all")
    assert review.entries.count() == 3
    act(client, review, "advance")
    act(client, review, "classify")
    assert dict(review.entries.values_list("household__code", "classification")) == {
        "TL-0": "poor", "TL-1": "near_poor", "TL-2": "average"}
    act(client, review, "advance")
    page = act(client, review, "meeting", hamlet=hamlet.pk, held_on="2024-11-02",
               chaired_by="Trưởng ấp 1", attendees=30, agreed=31).content.decode()
    assert "Số người thống nhất nhiều hơn số người dự họp." in page
    assert 'value="Trưởng ấp 1"' in page  # what the officer typed is kept
    page = act(client, review, "advance").content.decode()
    assert "Mỗi ấp cần một cuộc họp dân" in page
    act(client, review, "meeting", hamlet=hamlet.pk, held_on="2024-11-02",
        chaired_by="Trưởng ấp 1", attendees=30, agreed=20)
    act(client, review, "advance")
    act(client, review, "posting", start="2024-11-05", end="2024-11-08",
        places="Nhà văn hóa ấp 1")
    act(client, review, "advance")
    act(client, review, "advance", note="Huyện thống nhất")
    review.refresh_from_db()
    assert review.step == Step.DECISION
    assert act(client, review, "decision", number="1/QĐ", signed_on="2024-12-10",
               signed_by="x").status_code == 403
    client.force_login(users["chair"])
    act(client, review, "decision", number="125/QĐ-UBND", signed_on="2024-12-10",
        signed_by="Lê Minh Tâm")
    act(client, review, "advance")
    review.refresh_from_db()
    assert review.closed and review.decision.number == "125/QĐ-UBND"
    assert [r.step for r in review.step_records.all()] == [s for s in Step][:-1]


def test_others_are_refused_and_stale_pages_change_nothing(client, setting):
    commune, hamlet, users = setting
    review = Review.objects.create(commune=commune, kind="regular", period_year=2024,
                                   reference_date=dt.date(2024, 5, 15),
                                   standard_id="vn-2022-2025", opened_by=users["officer"])
    client.force_login(users["monitor"])
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    assert client.post(reverse("reviews:act", args=[review.pk, "list_all"]),
                       {"step": "listing"}).status_code == 403
    client.force_login(users["officer"])
    response = client.post(reverse("reviews:act", args=[review.pk, "advance"]),
                           {"step": "survey"}, follow=True)
    assert "Người khác vừa chuyển đợt rà soát" in response.content.decode()
    review.refresh_from_db()
    assert review.step == Step.LISTING and not review.step_records.exists()


def test_the_annual_review_runs_from_september_to_mid_december(client, setting):
    commune, hamlet, users = setting
    client.force_login(users["officer"])
    response = client.post(reverse("reviews:list"), {
        "commune": commune.pk, "kind": "periodic", "period_year": 2025,
        "reference_date": "2024-12-20", "standard_id": "vn-2022-2025"})
    assert response.status_code == 200 and not Review.objects.exists()
    assert "01/09/2024" in response.content.decode()


def test_the_officer_adds_one_household_by_its_code(client, setting):
    commune, hamlet, users = setting
    client.force_login(users["officer"])
    review = Review.objects.create(commune=commune, kind="periodic", period_year=2025,
                                   reference_date=dt.date(2024, 10, 15),
                                   standard_id="vn-2022-2025", opened_by=users["officer"])
    page = act(client, review, "list_one", household="KHONG-CO").content.decode()
    assert "Không có hộ mang mã này trong địa bàn của bạn." in page
    act(client, review, "list_one", household="TL-1")
    assert list(review.entries.values_list("household__code", "listed_because")) == [
        ("TL-1", "added")]


def test_each_household_reads_why_it_was_listed(client, setting):
    """Step 1 lists every household from the registry; one entered afterwards is added by its
    code: each reads its own reason, never "added by the commune" for the whole registry."""
    commune, hamlet, users = setting
    client.force_login(users["officer"])
    review = Review.objects.create(commune=commune, kind="periodic", period_year=2025,
                                   reference_date=dt.date(2024, 10, 15),
                                   standard_id="vn-2022-2025", opened_by=users["officer"])
    act(client, review, "list_all")
    make_household(commune, hamlet, "TL-9", 1_000_000, deprived=False)
    act(client, review, "list_one", household="TL-9")
    assert dict(review.entries.values_list("household__code", "listed_because")) == {
        "TL-0": "registry", "TL-1": "registry", "TL-2": "registry", "TL-9": "added"}
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert page.count("Lập từ sổ hộ (toàn bộ hộ của xã)") == 3
    assert page.count("Xã bổ sung") == 1


def test_review_dates_are_typed_and_shown_as_dd_mm_yyyy(client, setting):
    """No browser date picker (Chromium shows it in the browser's language: 12/10/2024 for
    10 December): the chair sees the decision's date as 10/12/2024 and 11/12/2024 typed is
    11 December, as everywhere else."""
    from .factories import run_review

    commune, hamlet, users = setting
    from giamngheo.web.households.models import Household

    review = run_review(commune, hamlet, users["officer"], 2024,
                        list(Household.objects.all()), until=Step.DECISION)
    client.force_login(users["chair"])
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert 'type="date"' not in page
    assert 'name="signed_on" value="10/12/2024"' in page
    act(client, review, "decision", number="126/QĐ-UBND", signed_on="11/12/2024",
        signed_by="Lê Minh Tâm", reason="ngày ký")
    review.decision.refresh_from_db()
    assert review.decision.signed_on == dt.date(2024, 12, 11)
