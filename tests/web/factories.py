"""Synthetic households and reviews for the web tests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse

from giamngheo.web.accounts.models import Assignment
from giamngheo.web.households.models import Household, Member
from giamngheo.web.reviews.models import Decision, Posting, Review, Step, VillageMeeting


def make_household(commune, hamlet, code: str, income: int, deprived: bool) -> Household:
    """A synthetic household: deprived ones lack insurance, internet and hygienic water."""
    household = Household.objects.create(
        code=code, commune=commune, hamlet=hamlet, area="rural", has_dwelling=True,
        walls="durable", frame="durable", roof="durable", floor_area_m2=60,
        water_source="surface_water" if deprived else "piped", latrine="septic",
        uses_internet=not deprived, devices=["smartphone"], income_monthly_per_capita=income,
        registered_on=dt.date(2020, 1, 1))
    Member.objects.create(household=household, position=1, full_name=f"Chủ hộ {code}",
                          relation="head", birth_date=dt.date(1980, 1, 1), sex="male",
                          employment="self_employed", health_insurance=not deprived,
                          education="upper_secondary", in_education=False, disability="none",
                          unable_to_work=False)
    return household


def run_review(commune, hamlet, user, year: int, households, until: Step = Step.CLOSED,
               kind: str = "periodic", standard: str = "vn-2022-2025") -> Review:
    """A review of ``households`` taken through its steps until it reaches ``until``, whose
    records (meeting, posting, decision) are made but which is not finished. An
    annual review held in ``year`` fixes the lists of ``year + 1``; a regular one is held on
    15 March of ``year``. Every listed household must have a decision for the review to
    close."""
    reference = dt.date(year, 10, 15) if kind == "periodic" else dt.date(year, 3, 15)
    review = Review.objects.create(
        commune=commune, kind=kind, period_year=year + 1 if kind == "periodic" else year,
        reference_date=reference, standard_id=standard, opened_by=user)
    review.list_households(households, "added")
    # an annual review: meetings, a week's posting, the decision after it; a monthly one:
    # the decision, then its posting (rules/procedure.yaml)
    meeting, posted, decided = (
        [dt.date(year, 11, 1), dt.date(year, 11, 5), dt.date(year, 12, 10)]
        if kind == "periodic" else [None, reference + dt.timedelta(days=6),
                                    reference + dt.timedelta(days=5)])
    steps = {
        Step.SURVEY: review.classify,
        Step.MEETING: lambda: [VillageMeeting.objects.create(
            review=review, hamlet=place, held_on=meeting, chaired_by="Trưởng ấp",
            attendees=40, agreed=30) for place in {hamlet, *(h.hamlet for h in households)}],
        Step.POSTING: lambda: Posting.objects.create(
            review=review, start=posted, end=posted + dt.timedelta(days=6)),
        Step.DECISION: lambda: Decision.objects.create(
            review=review, number=f"12/QĐ-UBND-{year}", signed_on=decided,
            signed_by="Chủ tịch UBND xã"),
    }
    while review.step != until:
        review.advance(user)
        if review.step in steps:
            steps[review.step]()
    return review


def users_with_roles(unit, *roles: str) -> dict[str, User]:
    """One user per role, assigned to ``unit``, named after the role."""
    users = {}
    for role in roles:
        users[role] = User.objects.create_user(role, password="pw")
        Assignment.objects.create(user=users[role], role=role, unit=unit)
    return users


def act(client, review, action, **data):
    """POST a review action as the page does, naming the step it was shown for."""
    review.refresh_from_db()
    return client.post(reverse("reviews:act", args=[review.pk, action]),
                       {"step": review.step, **data}, follow=True)
