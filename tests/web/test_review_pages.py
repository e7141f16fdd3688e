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


def test_the_meeting_form_offers_the_communes_hamlets_of_the_day_by_name(client, todays_place):
    """Today's Tà Lài: its hamlets in force on the meeting's day, by name, none empty; a
    hamlet not yet formed on the day typed is refused."""
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    from .factories import run_review

    commune, hamlet = todays_place
    officer = User.objects.create_user("officer", password="pw")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    today = dt.date.today()
    ended = Unit.objects.create(code="26134-90", name="Ấp Cũ", kind="ap", level="hamlet",
                                parent=commune, valid_from=dt.date(2025, 7, 1),
                                valid_until=today - dt.timedelta(days=60))
    new = Unit.objects.create(code="26134-91", name="Ấp Mới", kind="ap", level="hamlet",
                              parent=commune, valid_from=today - dt.timedelta(days=10))
    year = today.year - 1 if today.month < 11 else today.year  # its meetings before today
    listed = [make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)]
    review = run_review(commune, hamlet, officer, year, listed, until=Step.MEETING)
    client.force_login(officer)
    page = client.get(reverse("reviews:detail", args=[review.pk]))
    field = page.context["meeting_form"]["hamlet"]
    names = [label for _value, label in field.field.choices]
    in_force = list(commune.children.filter(level="hamlet").valid_on(today)
                    .values_list("name", flat=True))
    assert names == in_force and "Ấp 4" in names and "Ấp Mới" in names
    assert ended.name not in names and "---------" not in page.content.decode()
    assert not any("26134" in name for name in names)  # names, not codes or dates
    # a meeting before Ấp Mới was formed cannot be held in it
    meetings = review.meetings.count()
    day = (new.valid_from - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = act(client, review, "meeting", hamlet=new.pk, held_on=day,
                   chaired_by="Trưởng ấp", attendees=30, agreed=20)
    form = response.context["meeting_form"]
    assert form.errors.get("hamlet") and review.meetings.count() == meetings
    assert "Ấp Mới" not in [label for _v, label in form["hamlet"].field.choices]


def test_a_reviews_households_come_page_by_page_under_filters(client, todays_place,
                                                              monkeypatch):
    """Server-rendered pages of the review's households; a hamlet, a code or name, those
    without a decision, those lacking an answer to ask narrow them; the pages keep the
    filters; the households lacking an answer stay reachable from the questions' card."""
    from giamngheo.web.households.models import Household
    from giamngheo.web.reviews import views
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    from .factories import run_review

    monkeypatch.setattr(views, "ENTRIES_PER_PAGE", 2)
    monkeypatch.setattr(views, "MISSING_SHOWN", 1)
    commune, hamlet = todays_place
    other = Unit.objects.create(code="26134-92", name="Ấp Hai", kind="ap", level="hamlet",
                                parent=commune, valid_from=dt.date(2025, 7, 1))
    officer = User.objects.create_user("officer", password="pw")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    households = [make_household(commune, hamlet if n < 3 else other, f"TL-{n}", 1_200_000,
                                 deprived=n < 2) for n in range(5)]
    Household.objects.filter(code__in=["TL-0", "TL-1", "TL-3"]).update(
        waste_disposal="collected")  # TL-2 and TL-4 still lack the answer
    Household.objects.filter(code="TL-4").update(has_dwelling=None, water_source="",
                                                 income_monthly_per_capita=None)
    review = run_review(commune, hamlet, officer, 2026, households, until=Step.SURVEY,
                        standard="vn-2027-2030")
    client.force_login(officer)
    url = reverse("reviews:detail", args=[review.pk])

    def shown(**params):
        response = client.get(url, params)
        return [e.household.code for e in response.context["entries"]], \
            response.content.decode()

    def every(**params) -> list[str]:
        pages = client.get(url, params).context["entries"].paginator.num_pages
        return [c for n in range(1, pages + 1) for c in shown(page=n, **params)[0]]

    pages = [shown(page=n) for n in (1, 2, 3)]
    assert [len(codes) for codes, _html in pages] == [2, 2, 1]
    assert sorted(c for codes, _html in pages for c in codes) == [f"TL-{n}" for n in range(5)]
    assert '?page=2#households">Trang sau' in pages[0][1]
    assert '?page=2#households">« Trang trước' in pages[2][1]
    codes, html = shown(hamlet=hamlet.pk)
    assert codes == ["TL-0", "TL-1"] and shown(hamlet=hamlet.pk, page=2)[0] == ["TL-2"]
    assert f"?hamlet={hamlet.pk}&amp;page=2#households" in html  # the filter kept
    assert shown(q="TL-3")[0] == ["TL-3"]
    undecided = {e.household.code for e in review.undecided_entries()}
    assert undecided and set(every(show="undecided")) == undecided
    assert set(every(show="decided")) == {f"TL-{n}" for n in range(5)} - undecided
    # the questions' card names the first and leads to all of them, page by page
    assert '<a href="?show=missing#households">' in pages[0][1]
    assert sorted(every(show="missing")) == ["TL-2", "TL-4"]
    assert shown(show="bogus", hamlet="x")[0] == shown()[0]  # unknown filters: ignored
