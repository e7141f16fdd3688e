"""The review's closing and date rules (docs/rules.md §7, docs/review-procedure.md, issue 13):
only decisions move a household; the steps of each kind of review in their dated order;
every recorded date agrees with the others and with today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamngheo import procedure
from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import (
    Complaint,
    Decision,
    Request,
    Review,
    ReviewError,
    Step,
    VillageMeeting,
)
from giamngheo.web.reviews.statuses import movements, newly_escaped, statuses

from .factories import act, make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def people(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR)
    return commune, hamlet, users[Role.COMMUNE_OFFICER], users[Role.COMMUNE_CHAIR]


def incomplete(commune, hamlet, code: str, income: int = 1_000_000) -> Household:
    """A household whose missing answers could change its result: incomplete."""
    household = make_household(commune, hamlet, code, income, deprived=True)
    Household.objects.filter(pk=household.pk).update(has_dwelling=None, uses_internet=None,
                                                     water_source="", latrine="")
    household.members.update(health_insurance=None, employment="")
    household.refresh_from_db()
    return household


# --- only decisions move a household ---------------------------------------------------


def test_a_review_does_not_close_with_an_undecided_household(people):
    commune, hamlet, officer, chair = people
    decided = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    missing = incomplete(commune, hamlet, "TL-2")
    review = run_review(commune, hamlet, officer, 2024, [decided, missing],
                        until=Step.DECISION)
    assert review.entries.get(household=missing).classification == "incomplete"
    with pytest.raises(ReviewError, match="TL-2"):
        review.advance(chair)
    assert review.step == Step.DECISION
    # completing the data and classifying it again gives it a decision
    Household.objects.filter(pk=missing.pk).update(has_dwelling=True, uses_internet=False,
                                                   water_source="piped", latrine="septic")
    missing.members.update(health_insurance=True, employment="self_employed")
    counts = review.classify_undecided(officer)
    assert counts == {"poor": 1} or counts == {"near_poor": 1}
    review.advance(chair)
    assert review.closed


def test_an_undecided_household_is_taken_off_with_a_reason_and_shown_apart(people):
    commune, hamlet, officer, chair = people
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    missing = incomplete(commune, hamlet, "TL-2")
    review = run_review(commune, hamlet, officer, 2024, [poor, missing], until=Step.DECISION)
    entry = review.entries.get(household=missing)
    with pytest.raises(ValidationError):  # "could not be surveyed" needs the why
        review.withdraw(entry, "not_surveyed", dt.date(2024, 11, 30), "", officer)
    review.withdraw(entry, "not_surveyed", dt.date(2024, 11, 30), "Cả hộ đi làm xa", officer)
    review.advance(chair)
    decided = statuses(review)
    assert decided == {poor.pk: "poor", missing.pk: "undecided"}
    figures = review.figures.figures
    assert figures["households"] == {"poor": 1, "undecided": 1}  # never dropped
    missing.refresh_from_db()
    assert missing.current_status == "" and missing.status == "active"


def test_a_household_that_left_is_taken_off_and_the_registry_says_so(people):
    commune, hamlet, officer, chair = people
    stays = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    moves = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [stays, moves], until=Step.DECISION)
    Household.objects.filter(pk=moves.pk).update(status="moved", left_on=dt.date(2024, 11, 20))
    with pytest.raises(ReviewError, match="TL-2"):
        review.advance(chair)
    Household.objects.filter(pk=moves.pk).update(status="active", left_on=None)
    entry = review.entries.get(household=moves)
    review.withdraw(entry, "moved", dt.date(2024, 11, 20), "", officer)
    moves.refresh_from_db()
    assert (moves.status, moves.left_on) == ("moved", dt.date(2024, 11, 20))
    review.restore(entry, officer)  # a mistake is corrected
    moves.refresh_from_db()
    assert (moves.status, moves.left_on) == ("active", None)
    review.withdraw(review.entries.get(household=moves), "moved", dt.date(2024, 11, 20), "",
                    officer)
    review.advance(chair)
    assert set(statuses(review)) == {stays.pk}  # not living there on the lists' date


def test_an_annual_review_lists_the_current_poor_and_near_poor(people):
    commune, hamlet, officer, _chair = people
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    other = make_household(commune, hamlet, "TL-2", 5_000_000, deprived=False)
    run_review(commune, hamlet, officer, 2023, [poor, other])
    review = Review.objects.create(commune=commune, kind="periodic", period_year=2025,
                                   reference_date=dt.date(2024, 10, 15),
                                   standard_id="vn-2022-2025", opened_by=officer)
    review.list_households([other], "added")
    with pytest.raises(ReviewError, match="TL-1"):
        review.advance(officer)
    review.list_households([poor], "current_list")
    review.advance(officer)


def test_missing_data_never_makes_a_poor_household_escaped_nor_a_new_poor(people):
    commune, hamlet, officer, chair = people
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    later_poor = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    first = run_review(commune, hamlet, officer, 2023, [poor, later_poor],
                       until=Step.DECISION)
    first.withdraw(first.entries.get(household=later_poor), "not_surveyed",
                   dt.date(2023, 11, 30), "Vắng nhà", officer)
    first.advance(chair)
    second = run_review(commune, hamlet, officer, 2024, [poor, later_poor],
                        until=Step.DECISION)
    second.withdraw(second.entries.get(household=poor), "not_surveyed",
                    dt.date(2024, 11, 30), "Vắng nhà", officer)
    second.advance(chair)
    moved = movements(first, second)
    assert moved[poor.pk] == "poor_undecided"  # not "escaped"
    assert moved[later_poor.pk] == "undecided_to_poor"  # not "newly poor"
    assert newly_escaped(second, dt.date(2025, 1, 1)) == []
    figures = second.figures.figures
    assert "escaped_poverty" not in figures["movements"]
    assert figures["movements"]["poor_undecided"] == 1


# --- the steps of each kind of review, dated ---------------------------------------------


def test_the_steps_of_each_kind_are_dated_parameters():
    assert procedure.steps("periodic", dt.date(2024, 10, 15)) == (
        "listing", "survey", "meeting", "posting", "consultation", "decision")
    assert procedure.steps("regular", dt.date(2025, 3, 15)) == (
        "listing", "survey", "decision", "posting")
    assert procedure.consultation_level(dt.date(2025, 6, 30)) == "district"
    assert procedure.consultation_level(dt.date(2025, 7, 1)) == "province"
    assert procedure.working_days(dt.date(2024, 11, 15), dt.date(2024, 11, 19)) == 3  # Fri-Tue
    assert procedure.working_days(dt.date(2024, 11, 16), dt.date(2024, 11, 17)) == 0
    assert procedure.posting_working_days("periodic") == 3


def test_a_monthly_review_decides_then_posts_without_a_village_meeting(people):
    commune, hamlet, officer, chair = people
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2025, [household], kind="regular",
                        until=Step.POSTING)
    assert [s.value for s in review.steps] == ["listing", "survey", "decision", "posting",
                                              "closed"]
    assert not review.meetings.exists()
    assert review.posting.start >= review.decision.signed_on
    posting = review.posting
    posting.start = review.decision.signed_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="quyết định|decision"):
        posting.full_clean()


# --- dates agree with each other and with today ------------------------------------------


def test_nothing_is_dated_after_today(people):
    commune, _hamlet, officer, _chair = people
    tomorrow = TODAY + dt.timedelta(days=1)
    review = Review(commune=commune, kind="regular", period_year=tomorrow.year,
                    reference_date=tomorrow.replace(day=max(tomorrow.day, 15))
                    if tomorrow.day >= 15 else (tomorrow + dt.timedelta(days=31)).replace(
                        day=15),
                    standard_id="vn-2022-2025", opened_by=officer)
    review.period_year = review.reference_date.year
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "reference_date" in error.value.message_dict
    household = make_household(commune, _hamlet, "TL-9", 1_000_000, deprived=True)
    request = Request(household=household, form="04", asks="recognition", filed_on=tomorrow,
                      filed_by="Chủ hộ", received_by=officer)
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "filed_on" in error.value.message_dict
    open_review = run_review(commune, _hamlet, officer, 2024, [household], until=Step.DECISION)
    with pytest.raises(ValidationError):  # nobody left the commune tomorrow
        open_review.withdraw(open_review.entries.get(), "moved", tomorrow, "", officer)
    from giamngheo.web.program.models import Activity, Funding

    activity = Activity.objects.create(content="1", unit=commune, name="Hội nghị", project="6",
                                       held_on=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as error:
        Funding(activity=activity, source="commune", on=tomorrow, allocated=1).full_clean()
    assert "on" in error.value.message_dict


@pytest.fixture
def at_meetings(people):
    commune, hamlet, officer, chair = people
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [household], until=Step.MEETING)
    return review, hamlet, officer, chair


def meeting(review, hamlet, day):
    return VillageMeeting(review=review, hamlet=hamlet, held_on=day, chaired_by="Trưởng ấp",
                          attendees=40, agreed=30)


def test_a_meeting_is_held_between_the_reference_date_and_today(at_meetings):
    review, hamlet, _officer, _chair = at_meetings
    for day in (dt.date(2024, 10, 14), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            meeting(review, hamlet, day).full_clean()
        assert "held_on" in error.value.message_dict
    meeting(review, hamlet, dt.date(2024, 10, 15)).full_clean()


def test_a_mistaken_meeting_is_corrected_and_kept_in_its_history(client, at_meetings):
    review, hamlet, officer, _chair = at_meetings
    recorded = review.meetings.get()
    client.force_login(officer)
    page = act(client, review, "meeting", **{
        "meeting": recorded.pk, f"m{recorded.pk}-hamlet": hamlet.pk,
        f"m{recorded.pk}-held_on": "2024-11-02", f"m{recorded.pk}-chaired_by": "Trưởng ấp 4",
        f"m{recorded.pk}-attendees": 50, f"m{recorded.pk}-agreed": 20,
        "reason": "ghi nhầm số người dự họp"})
    assert page.status_code == 200
    recorded.refresh_from_db()
    assert (recorded.attendees, recorded.agreed, recorded.passed) == (50, 20, False)
    assert recorded.history.first().history_change_reason == "ghi nhầm số người dự họp"
    with pytest.raises(ReviewError):  # the failed meeting no longer lets the step finish
        review.advance(officer)


@pytest.fixture
def at_posting(people):
    commune, hamlet, officer, chair = people
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [household], until=Step.POSTING)
    return review, household, officer, chair


def test_the_posting_follows_the_meetings_lasts_its_working_days_and_has_ended(at_posting):
    review, _household, officer, _chair = at_posting
    posting = review.posting
    for start, end, field in ((dt.date(2024, 10, 30), dt.date(2024, 11, 8), "start"),
                              (dt.date(2024, 11, 15), dt.date(2024, 11, 18), "end"),
                              (TODAY + dt.timedelta(days=2), TODAY + dt.timedelta(days=9),
                               "start")):
        posting.start, posting.end = start, end
        with pytest.raises(ValidationError) as error:
            posting.full_clean()
        assert field in error.value.message_dict, (start, end)
    posting.start, posting.end = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=7)
    posting.save()  # running now: the step finishes once it is over
    with pytest.raises(ReviewError, match="niêm yết|posting"):
        review.advance(officer)
    posting.start, posting.end = dt.date(2024, 11, 15), dt.date(2024, 11, 19)
    posting.full_clean()
    posting.save()
    review.advance(officer)


def test_complaints_come_inside_the_posting_and_are_rechecked_after_them(at_posting):
    review, household, officer, _chair = at_posting
    posting = review.posting  # 5 to 11 November 2024
    for day in (posting.start - dt.timedelta(days=1), posting.end + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            review.file_complaint(household, day, "Hàng xóm", "Hộ có xe máy mới")
    complaint = review.file_complaint(household, posting.start, "Hàng xóm", "Hộ có xe máy")
    with pytest.raises(ValidationError):
        review.recheck(complaint, officer, "Đúng như khai", posting.start - dt.timedelta(days=1))
    assert Complaint.objects.get().rechecked_on is None
    review.recheck(complaint, officer, "Đúng như khai", posting.end)


def test_the_decision_comes_after_the_meetings_and_the_posting_and_not_after_today(people):
    commune, hamlet, officer, chair = people
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    review = run_review(commune, hamlet, officer, 2024, [household], until=Step.DECISION)
    decision = review.decision  # 10/12/2024, after the posting of 5-11/11
    for day in (review.posting.end, dt.date(2024, 11, 1), TODAY + dt.timedelta(days=1)):
        decision.signed_on = day
        with pytest.raises(ValidationError) as error:
            decision.full_clean()
        assert "signed_on" in error.value.message_dict, day
    Decision.objects.filter(pk=decision.pk).update(signed_on=dt.date(2024, 11, 8))
    review.refresh_from_db()
    with pytest.raises(ReviewError):  # a wrong date recorded earlier still stops the closing
        review.advance(chair)


def test_a_monthly_review_takes_the_requests_filed_by_its_date_and_marks_late_ones(people):
    commune, hamlet, officer, _chair = people
    early = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    late = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    added = make_household(commune, hamlet, "TL-3", 1_000_000, deprived=True)
    for household, day in ((early, dt.date(2025, 1, 20)), (late, dt.date(2025, 3, 16)),
                           (added, dt.date(2025, 3, 1))):
        Request.objects.create(household=household, form="04", asks="recognition",
                               filed_on=day, filed_by="Chủ hộ", received_by=officer)
    review = Review.objects.create(commune=commune, kind="regular", period_year=2025,
                                   reference_date=dt.date(2025, 3, 15),
                                   standard_id="vn-2022-2025", opened_by=officer)
    # filed on 16 March: for the April review; TL-3 is added by its code
    assert review.pending_requests().count() == 2
    review.list_one(added)
    assert Request.objects.get(household=added).review == review  # linked, not lost
    review.list_requests()
    first = Request.objects.get(household=early)
    assert first.answer_due == dt.date(2025, 3, 2)  # the review of 15/02, within 15 days
    assert first.late(dt.date(2025, 3, 15))  # pulled in after its deadline: marked
    assert not Request.objects.get(household=added).late(dt.date(2025, 3, 15))
    assert Request.objects.get(household=late).review is None


def test_a_household_entered_during_a_review_gets_its_decided_status(people):
    commune, hamlet, officer, chair = people
    known = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    typed = make_household(commune, hamlet, "TL-2", 1_000_000, deprived=True)
    Household.objects.filter(pk=typed.pk).update(registered_on=dt.date(2024, 11, 3))
    typed.refresh_from_db()
    run_review(commune, hamlet, officer, 2024, [known, typed])
    typed.refresh_from_db()
    # surveyed as of the reference date: registered then (its history says why)
    assert typed.registered_on == dt.date(2024, 10, 15)
    assert "thời điểm rà soát" in typed.history.first().history_change_reason
    assert (typed.current_status, typed.status_year) == ("poor", 2025)


def test_a_read_only_role_sees_tasks_without_an_owner(client, place):
    from giamngheo.web.program.models import Task

    commune, _hamlet = place
    district = commune.parent
    finance = users_with_roles(district, Role.FINANCE_OFFICER)[Role.FINANCE_OFFICER]
    Task.objects.create(unit=district, agency="Phòng LĐ-TB&XH", task="Báo cáo 6 tháng",
                        due_on=dt.date(2024, 6, 1))
    client.force_login(finance)
    page = client.get(reverse("program:tasks"), {"unit": district.pk, "year": 2024})
    assert page.status_code == 200 and "Báo cáo 6 tháng" in page.content.decode()
