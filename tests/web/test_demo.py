"""The demo data: synthetic households, three closed annual reviews, movements, demo users."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import RequestFactory

from giamngheo.household import DEVICES
from giamngheo.web.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from giamngheo.web.households.models import Household
from giamngheo.web.households.validators import check_id_number
from giamngheo.web.reviews.models import Request, Review, ReviewEntry
from giamngheo.web.reviews.statuses import closed_periodic_reviews, movements
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db


def test_demo_builds_a_plausible_commune_history(small_demo):
    counts = small_demo  # what building it on an empty database returned
    assert 350 <= counts["households"] <= 450
    # 2022-2024 by the 18 old communes, 2025 by the 6 new ones, 3 monthly, 6 open for 2026
    assert counts["reviews"] == 18 * 3 + 6 + 3 + 6
    open_reviews = Review.objects.exclude(step="closed")
    assert {(r.step, r.standard_id, r.period_year) for r in open_reviews} == {
        ("survey", "vn-2027-2030", 2027)}
    old_ta_lai = Unit.objects.get(level="commune", code="26131")
    reviews = closed_periodic_reviews(old_ta_lai)
    assert [r.period_year for r in reviews] == [2023, 2024, 2025]
    moved = movements(reviews[0], reviews[1])
    assert "remain_poor" in moved.values() or "escaped_poverty" in moved.values()
    # the reorganisation moved every household to a commune in force today
    today = dt.date(2026, 12, 1)
    assert not Household.objects.exclude(
        commune__in=Unit.objects.filter(level="commune").valid_on(today)).exists()
    # ... each in a hamlet of its commune in force today (Phú Lâm's named after the old ones)
    assert not Household.objects.exclude(
        hamlet__in=Unit.objects.filter(level="hamlet").valid_on(today)).exists()
    assert not Household.objects.exclude(hamlet__parent=F("commune")).exists()
    assert Unit.objects.filter(level="hamlet", parent__code="26158", name="Phú Bình 3",
                               valid_from=dt.date(2025, 7, 1)).exists()
    ta_lai = Unit.objects.get(level="commune", code="26134", valid_from=dt.date(2025, 7, 1))
    member = Household.objects.filter(commune=ta_lai).first().members.exclude(id_number="")[0]
    check_id_number(member.id_number, member.birth_date, member.sex)
    assert all("giả lập" in h.notes for h in Household.objects.all()[:20])
    for username, *_ in DEMO_USERS:
        login = RequestFactory().post("/accounts/login/")  # the login throttle needs one
        assert authenticate(login, username=username, password=DEMO_PASSWORD) is not None
    assert build_demo(households=400) == counts  # a second run adds nothing
    assert Unit.objects.filter(level="hamlet", parent=old_ta_lai).count() == 5
    assert dt.date(2024, 10, 15) == reviews[-1].reference_date
    latest = closed_periodic_reviews(ta_lai)[-1]
    assert latest.commune == ta_lai and latest.period_year == 2026
    # only decisions move a household: the demo takes off the ones it could not complete
    assert not latest.undecided_entries().exists()
    recognised = latest.entries.filter(classification__in=("poor", "near_poor"),
                                       withdrawn_because="")
    assert latest.certificates.count() == recognised.count() > 0
    monthly = Review.objects.filter(commune=ta_lai, kind="regular", step="closed")
    assert monthly.count() == 3
    # each step is dated in the story (from the reference date to the decision and its
    # posting, in the order of the steps), never on the day the demo was built
    from django.utils import timezone

    for review in Review.objects.prefetch_related("step_records"):
        days = [timezone.localdate(r.done_at) for r in review.step_records.all()]
        assert days == sorted(days) and days[0] == review.reference_date
        assert days[-1] <= review.reference_date + dt.timedelta(days=60)
    poor = set(Household.objects.filter(commune=ta_lai, current_status="poor")
               .values_list("pk", flat=True))
    decided_poor = set(latest.entries.filter(classification="poor").values_list(
        "household_id", flat=True))
    changed = set(monthly.values_list("entries__household_id", flat=True))
    assert poor - changed == decided_poor - changed
    assert Request.objects.filter(review=None, household__commune=ta_lai).count() == 12
    # the waste question of vn-2027-2030: answered by most households, not yet by some of
    # the open 2026 review, which lists them for the surveyors
    from giamngheo.web.reviews.questions import missing_answers
    answered = Household.objects.exclude(waste_disposal="").count()
    assert answered > 0.8 * Household.objects.count()
    open_2026 = Review.objects.get(commune=ta_lai, period_year=2027, kind="periodic")
    [waste] = missing_answers(open_2026)
    assert waste.field.path == "dwelling.waste_disposal"
    assert 0 < waste.households.count() < open_2026.entries.count() // 4
    assert Household.objects.filter(search_text__contains=" tp 26131 ").count() == \
        Household.objects.filter(relocations__from_commune=old_ta_lai).count()


def test_demo_fills_the_plan_and_its_dashboard(small_demo):
    from giamngheo.web.program.models import Funding, LivelihoodModel, Task
    from giamngheo.web.reports.dashboard import dashboard
    from giamngheo.web.support.models import Support

    district = Unit.objects.get(level="district", code="734", valid_from=None)
    board = dashboard(district, 2024)
    assert board.years == [2022, 2023, 2024]  # the years the annual reviews were held
    water = next(p for p in board.progress if p.target.id == "hygienic_water")
    assert water.actual is not None and len(water.trend) == 3
    assert any(f.overspent for f in Funding.objects.all())  # the warning has a case
    model = LivelihoodModel.objects.get()
    assert model.participations.count() > 0 and "giả lập" in model.name
    assert Support.objects.filter(kind="livelihood_model").count() == \
        model.participations.count()
    assert Task.objects.filter(unit=district).count() == 11
    assert build_demo(households=400)["households"] > 0 and Task.objects.count() == 11


def test_demo_households_are_valid_and_plausible_at_every_review(small_demo):
    """No household is rejected at any of the demo's reviews nor today; about 1% are
    incomplete (an unfinished survey to show); ages fit relations; devices are sets."""
    entries = ReviewEntry.objects.all()
    assert not entries.filter(classification="rejected").exists()
    incomplete = entries.filter(classification="incomplete").count()
    assert 0.002 * entries.count() <= incomplete <= 0.03 * entries.count()
    today = dt.date.today()
    for household in Household.objects.prefetch_related("members"):
        assert "errors" not in household.classify(today), household.code
        members = list(household.members.all())
        head = next(m for m in members if m.relation == "head")
        for member in members:
            younger_by = (member.birth_date - head.birth_date).days / 365.25
            if member.relation in ("child", "grandchild"):
                assert younger_by >= (15 if member.relation == "child" else 30), member
            elif member.relation == "parent":
                assert younger_by <= -15, member
            elif member.relation == "spouse":
                assert abs(younger_by) <= 10, member
        if household.devices:
            assert household.devices == [d for d in DEVICES if d in household.devices]
