"""A reorganisation of the units applied to the registry (issue 14, items 7-10): households
move to the successor commune and hamlet with a history entry, twice changes nothing, a dry
run keeps nothing, closed reviews stay, a review of an ended commune is refused, and a 2024
table re-mapped onto today's commune adds up."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from giamngheo.figures import headcount
from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.households.models import Household, Relocation
from giamngheo.web.households.reorganisation import apply_change_set
from giamngheo.web.reports.tables import result_tables
from giamngheo.web.reviews.figures import figures_by_year
from giamngheo.web.reviews.models import Request, Review
from giamngheo.web.reviews.statuses import statuses
from giamngheo.web.units.loading import BUNDLED, load_units
from giamngheo.web.units.models import AdministrativeUnit as Unit
from tests.web.factories import make_household, run_review
from tests.web.test_household_counts import assert_counts_kept

pytestmark = pytest.mark.django_db
CHANGES = json.loads(BUNDLED.read_text(encoding="utf-8"))
TODAY = dt.date(2026, 12, 1)


def commune(code: str, day: dt.date) -> Unit:
    return Unit.objects.filter(level="commune", code=code).valid_on(day).get()


def hamlet(parent: Unit, name: str) -> Unit:
    return Unit.objects.create(code=f"{parent.code}-{name[-1]}", name=name, kind="ap",
                               level="hamlet", parent=parent)


@pytest.fixture
def registry():
    """Households of 2024 in old Tà Lài, Phú Lập and Phú Sơn (which merged twice), a closed
    2024 review in each of the first two, an open request, an officer of old Tà Lài."""
    load_units(CHANGES)
    day = dt.date(2024, 10, 15)
    officer = User.objects.create_user("canbo")
    made = {}
    for code, income in (("26131", 900_000), ("26134", 2_500_000), ("26137", 3_000_000)):
        old = commune(code, day)
        Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=old)
        place = hamlet(old, "Ấp 2")
        made[code] = [make_household(old, place, f"H-{code}-{n}", income + n * 10_000,
                                     deprived=n % 2 == 0) for n in range(4)]
        if code != "26137":
            run_review(old, place, officer, 2024, made[code])
    Request.objects.create(household=made["26131"][0], form="04", asks="escape",
                           filed_on=dt.date(2025, 3, 1), filed_by="Chủ hộ",
                           received_by=officer)
    return made


def test_a_reorganisation_moves_households_and_twice_changes_nothing(registry):
    ta_lai_2024 = commune("26131", dt.date(2024, 10, 15))
    closed = Review.objects.get(commune=ta_lai_2024)
    decided = statuses(closed)
    dry = apply_change_set(CHANGES, dry_run=True, today=TODAY)
    assert dry.households == 4 + 4 + 4 + 4  # Phú Sơn's households move twice
    assert not Relocation.objects.exists()  # a dry run keeps nothing
    assert Household.objects.filter(commune=ta_lai_2024).count() == 4

    plan = apply_change_set(CHANGES, today=TODAY)
    assert plan.households == dry.households
    ta_lai = commune("26134", TODAY)
    moved = Household.objects.filter(code__startswith="H-26131")
    assert {h.commune for h in moved} == {ta_lai}
    assert {h.hamlet.name for h in moved} == {"Ấp 2"}  # the same hamlet of the new Tà Lài
    assert {h.hamlet.name for h in Household.objects.filter(code__startswith="H-26134")} == {
        "Phú Lập 2"}
    phu_lam = commune("26158", TODAY)
    assert set(Household.objects.filter(code__startswith="H-26137")
               .values_list("commune", flat=True)) == {phu_lam.pk}
    household = moved.first()
    assert "1662/NQ-UBTVQH15" in household.history.first().history_change_reason
    assert household.requests.filter(review=None).count() == 1  # the open request follows
    flow = next(f for f in plan.flows if f.source == ta_lai_2024)
    assert (flow.households, flow.open_requests, flow.target) == (4, 1, ta_lai)
    # closed reviews stay with the commune that made them and still decide their households
    closed.refresh_from_db()
    assert closed.commune == ta_lai_2024 and statuses(closed) == decided
    assert {a.unit.code for a, _successor in plan.assignments} == {"26131", "26134", "26137"}
    assert Household.objects.filter(commune=ta_lai_2024).count() == 0  # the kept count too
    assert_counts_kept()

    history = Household.history.count()
    again = apply_change_set(CHANGES, today=TODAY)
    assert again.households == 0 and again.units_created == 0
    assert Household.history.count() == history
    assert Relocation.objects.count() == plan.households


def test_a_review_is_refused_for_an_ended_commune(registry):
    old = commune("26131", dt.date(2024, 10, 15))
    officer = User.objects.get(username="canbo")
    review = Review(commune=old, kind="periodic", period_year=2027,
                    reference_date=dt.date(2026, 10, 15), standard_id="vn-2022-2025",
                    opened_by=officer)
    with pytest.raises(ValidationError) as refused:
        review.full_clean()
    assert "Tà Lài" in str(refused.value.message_dict["commune"])
    Review(commune=commune("26134", TODAY), kind="periodic", period_year=2027,
           reference_date=dt.date(2026, 10, 15), standard_id="vn-2022-2025",
           opened_by=officer).full_clean()


def test_a_2024_table_remapped_onto_todays_commune_adds_up(registry):
    apply_change_set(CHANGES, today=TODAY)
    ta_lai = commune("26134", TODAY)
    olds = [commune(code, dt.date(2024, 10, 15)) for code in ("26131", "26134", "26140")]
    assert {u.pk for u in olds} <= {u.pk for u in ta_lai.territory()}
    by_year = figures_by_year(ta_lai)  # today's Tà Lài reads its predecessors' 2025 lists
    separately = [figures_by_year(u).get(2025) for u in olds]
    total = headcount(by_year[2025])
    parts = [headcount(f) for f in separately if f]
    assert total.households == sum(p.households for p in parts) == 8
    assert total.poor == sum(p.poor for p in parts) > 0
    rows = result_tables(ta_lai, 2025, on_units_of=TODAY)[0].rows
    assert rows[0][0] == ta_lai.name and rows[0][1] == rows[-1][1] == 8  # one row and total
    province = Unit.objects.get(level="province")
    by_then = result_tables(province, 2025)[0].rows  # that year's units: a row each
    assert [r[0] for r in by_then[:-1]] == ["Xã Tà Lài", "Xã Phú Lập"]


def test_nothing_is_lost_where_the_lists_name_no_successor_hamlet(registry):
    """Phú Lâm publishes no hamlets: the households of Phú Sơn's Ấp 2 (which went through
    Phú Sơn of 1/11/2024 on the way) still end in a hamlet named after theirs, the dry run
    lists the hamlets it will create, and the old hamlets end with their communes."""
    phu_son_2024 = commune("26137", dt.date(2024, 10, 15))
    phu_trung = commune("26146", dt.date(2024, 10, 15))
    make_household(phu_trung, hamlet(phu_trung, "Ấp 2"), "H-26146-0", 1_000_000,
                   deprived=False)
    dry = apply_change_set(CHANGES, dry_run=True, today=TODAY)
    created = {(h.hamlet.parent.code, h.hamlet.parent.valid_from, h.hamlet.name,
                h.continues.name, h.old_commune.code) for h in dry.hamlets_created}
    phu_son, phu_lam = dt.date(2024, 11, 1), dt.date(2025, 7, 1)
    assert created == {
        ("26146", phu_son, "Ấp 2", "Ấp 2", "26137"),  # Phú Sơn kept its name
        ("26146", phu_son, "Phú Trung 2", "Ấp 2", "26146"),  # Phú Trung's took its name
        ("26158", phu_lam, "Phú Sơn 2", "Ấp 2", "26146"),  # then both went to Phú Lâm, apart
        ("26158", phu_lam, "Phú Trung 2", "Phú Trung 2", "26146")}
    assert not Unit.objects.filter(level="hamlet", parent__code__in=("26146", "26158"),
                                   parent__valid_from__in=(phu_son, phu_lam)).exists()

    plan = apply_change_set(CHANGES, today=TODAY)
    assert len(plan.hamlets_created) == 4 and plan.hamlets_ended == 4
    assert not Household.objects.filter(hamlet=None).exists()  # every household keeps one
    phu_lam_today = commune("26158", TODAY)
    moved = Household.objects.filter(commune=phu_lam_today)
    assert {h.hamlet.name for h in moved if h.code.startswith("H-26137")} == {"Phú Sơn 2"}
    assert {h.hamlet.name for h in moved if h.code.startswith("H-26146")} == {"Phú Trung 2"}
    today_hamlets = Unit.objects.filter(level="hamlet").valid_on(TODAY)
    assert {h.parent_id for h in today_hamlets} <= set(
        Unit.objects.filter(level="commune").valid_on(TODAY).values_list("pk", flat=True))
    assert sorted(h.code for h in today_hamlets.filter(parent=phu_lam_today)) == [
        "26158-01", "26158-02"]
    trail = Relocation.objects.filter(household__code="H-26137-0").order_by("effective")
    assert [(r.from_hamlet.name, r.to_hamlet.name) for r in trail] == [
        ("Ấp 2", "Ấp 2"), ("Ấp 2", "Phú Sơn 2")]
    again = apply_change_set(CHANGES, today=TODAY)
    assert (again.households, again.hamlets_created, again.hamlets_ended) == (0, [], 0)
    assert phu_son_2024.valid_until == dt.date(2024, 10, 31)


def test_the_administrators_dry_run_lists_the_hamlets_it_will_create(registry, client):
    admin = User.objects.create_user("quantri")
    Assignment.objects.create(user=admin, role=Role.ADMINISTRATOR,
                              unit=Unit.objects.get(level="province"))
    client.force_login(admin)
    page = client.post("/households/reorganise/", {"dry_run": "1"}).content.decode()
    assert "2 ấp lập mới" in page  # Phú Sơn's Ấp 2 in Phú Sơn of 2024, then in Phú Lâm
    assert "Phú Sơn 2 (26158-01)" in page
    assert not Relocation.objects.exists()
    client.post("/households/reorganise/", {"apply": "1"})
    assert not Household.objects.filter(hamlet=None).exists()


def test_todays_officer_reads_the_closed_reviews_of_the_communes_it_was_formed_from(
        registry, client):
    """One access rule: an officer of today's Tà Lài reads (never acts on) the closed
    reviews, decisions and certificates of old Tà Lài and Phú Lập, not those of Phú Sơn, and
    an officer of old Tà Lài does not read today's Tà Lài through it."""
    from django.urls import reverse

    from giamngheo.web.accounts.models import visible_units, working_units

    apply_change_set(CHANGES, today=TODAY)
    ta_lai = commune("26134", TODAY)
    officer = User.objects.create_user("canbo.talai")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=ta_lai)
    old_ta_lai, phu_lap, phu_son = (commune(code, dt.date(2024, 10, 15))
                                    for code in ("26131", "26134", "26137"))
    assert {old_ta_lai.pk, phu_lap.pk} <= visible_units(officer)
    assert phu_son.pk not in visible_units(officer)
    assert working_units(officer) == {ta_lai.pk, *ta_lai.children.values_list("pk", flat=True)}
    closed = Review.objects.get(commune=old_ta_lai)
    closed.issue_certificates(User.objects.get(username="canbo"), dt.date(2024, 12, 12))
    assert closed.certificates.exists()
    client.force_login(officer)

    listing = client.get(reverse("reviews:list")).content.decode()
    assert f'href="/reviews/{closed.pk}/"' in listing
    assert f'href="/reviews/{Review.objects.get(commune=phu_lap).pk}/"' in listing
    page = client.get(reverse("reviews:detail", args=[closed.pk])).content.decode()
    assert "H-26131-0" in page and "12/QĐ-UBND-2024" in page  # households and decision
    assert "Mở lại đợt rà soát" not in page  # read only: no action is offered
    lists = client.get(reverse("reviews:lists", args=[closed.pk])).content.decode()
    assert "Chủ hộ H-26131-" in lists
    sheet = client.get(reverse("reviews:certificates", args=[closed.pk]))
    assert sheet.status_code == 200 and "Chủ hộ H-26131-" in sheet.content.decode()
    assert client.get(reverse("reviews:lists_xlsx", args=[closed.pk])).status_code == 200
    # ... and acts on none of it
    refused = client.post(reverse("reviews:act", args=[closed.pk, "reopen"]),
                          {"reason": "thử", "step": closed.step})
    assert refused.status_code == 403
    closed.refresh_from_db()
    assert closed.closed
    creating = client.post(reverse("reviews:list"), {
        "commune": old_ta_lai.pk, "kind": "periodic", "period_year": 2027,
        "reference_date": "2026-10-15", "standard_id": "vn-2022-2025"})
    assert creating.status_code in (200, 403) and Review.objects.count() == 2

    other = User.objects.create_user("canbo.tanphu")
    Assignment.objects.create(user=other, role=Role.COMMUNE_OFFICER,
                              unit=commune("26116", TODAY))
    client.force_login(other)
    assert client.get(reverse("reviews:detail", args=[closed.pk])).status_code == 404
    assert client.get(reverse("reviews:certificates", args=[closed.pk])).status_code == 404
    # history runs backwards only: old Tà Lài's officer does not read today's Tà Lài
    assert ta_lai.pk not in visible_units(User.objects.get(username="canbo"))


def test_the_former_township_is_urban_in_2024_and_rural_from_1_july_2025():
    """Item 9: a household of the former Thị trấn Tân Phú with 1,800,000 đồng a month is
    income-poor on the urban line (2,000,000) in the 2024 review and not on the rural line
    (1,500,000) in the 2025 review of the Xã Tân Phú that took it in on 1 July 2025; the
    closed 2024 review keeps the record it classified."""
    load_units(CHANGES)
    officer = User.objects.create_user("canbo.tanphu")
    township = commune("26116", dt.date(2024, 10, 15))
    assert township.kind == "thi_tran" and township.area_type == "urban"
    quarter = Unit.objects.create(code="26116-k3", name="Tân Phú 3", kind="khu_pho",
                                  level="hamlet", parent=township)
    household = make_household(township, quarter, "TT-1", 1_800_000, deprived=True)
    assert household.area == "rural"  # not what decides: the review asks its unit
    review_2024 = run_review(township, quarter, officer, 2024, [household])

    apply_change_set(CHANGES, today=TODAY)
    household.refresh_from_db()
    xa_tan_phu = commune("26116", TODAY)
    assert (household.commune, household.area) == (xa_tan_phu, "rural")
    assert household.hamlet.name == "Tân Phú 3" and household.hamlet.parent == xa_tan_phu
    review_2025 = run_review(xa_tan_phu, household.hamlet, officer, 2025, [household])

    then, now = (r.entries.get(household=household) for r in (review_2024, review_2025))
    assert (then.record["area"], then.result["area"]) == ("urban", "urban")
    assert then.result["income_poor"] is True and then.classification == "poor"
    assert any("2.000.000" in reason for reason in then.result["reasons"])
    assert (now.record["area"], now.result["area"]) == ("rural", "rural")
    assert now.result["income_poor"] is False and now.classification not in (
        "poor", "near_poor")
    assert statuses(review_2024)[household.pk] == "poor"  # the closed review is unchanged


def test_the_dashboard_of_todays_commune_shows_the_communes_of_each_year(registry):
    """Today's Tà Lài's dashboard of 2024 lists the communes whose lists it reads (old Tà Lài
    and Phú Lập), and that of 2025 its own lists beside the start of the year re-mapped from
    them: the rate at the start is the report's, never blank."""
    from giamngheo.web.reports.dashboard import dashboard
    from giamngheo.web.reports.document import report_data

    apply_change_set(CHANGES, today=TODAY)
    ta_lai = commune("26134", TODAY)
    officer = User.objects.get(username="canbo")
    run_review(ta_lai, ta_lai.children.get(name="Ấp 2"), officer, 2025,
               list(Household.objects.filter(commune=ta_lai)))
    of_2024 = dashboard(ta_lai, 2024).communes.rows
    assert [r[0] for r in of_2024] == ["Xã Tà Lài", "Xã Phú Lập"]
    assert sum(r[1] for r in of_2024) == headcount(figures_by_year(ta_lai)[2025]).households
    of_2025 = dashboard(ta_lai, 2025).communes.rows
    start = headcount(figures_by_year(ta_lai)[2025])
    assert [r[:3] for r in of_2025] == [
        ["Xã Tà Lài", 8, round(100 * start.poor / start.households, 2)]]
    assert report_data(ta_lai, 2025, half=False).start.poor_rate == pytest.approx(
        of_2025[0][2], abs=0.01)


def test_the_api_reads_a_reused_code_as_the_unit_of_the_lists_year(registry, client):
    """GSO codes are reused after mergers: 26134 was Phú Lập until 30/06/2025 and is today's
    Tà Lài, formed from it. A provincial officer asking the lists of 2025 of 26134 gets Phú
    Lập's, as the district did, never Phú Lập counted twice (itself, and again inside today's
    Tà Lài re-mapped)."""
    from giamngheo.web.api.models import ApiToken

    apply_change_set(CHANGES, today=TODAY)
    province = Unit.objects.get(level="province")
    reader = User.objects.create_user("tinh")
    Assignment.objects.create(user=reader, role=Role.AREA_OFFICER, unit=province)
    key = ApiToken.issue(reader, "test")[1]
    answer = client.get("/api/indicators", {"unit": "26134", "year": 2025},
                        HTTP_AUTHORIZATION=f"Bearer {key}").json()
    phu_lap = headcount(figures_by_year(commune("26134", dt.date(2025, 1, 1)))[2025])
    assert answer["households"] == phu_lap.households == 4


def test_the_former_districts_monitor_gets_no_link_to_a_household_it_may_not_open(
        registry, client):
    """The old district's monitor reads the closed reviews of its old communes, whose
    households are now in today's communes, outside the district's history: each is named by
    its code as text, never a link to a 404; today's Tà Lài officer, who may open them, gets
    the links (one access rule, ``accounts.privacy``)."""
    from django.urls import reverse

    apply_change_set(CHANGES, today=TODAY)
    old_ta_lai = commune("26131", dt.date(2024, 10, 15))
    closed = Review.objects.get(commune=old_ta_lai)
    monitor = User.objects.create_user("huyen.tanphu")
    Assignment.objects.create(user=monitor, role=Role.MONITOR, unit=old_ta_lai.parent)
    officer = User.objects.create_user("canbo.talai")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER,
                              unit=commune("26134", TODAY))
    codes = [h.code for h in registry["26131"]]
    assert not Household.objects.filter(code__in=codes, commune=old_ta_lai).exists()
    pages = [reverse("reviews:detail", args=[closed.pk]),
             reverse("reviews:lists", args=[closed.pk])]
    for user, linked in ((monitor, False), (officer, True)):
        client.force_login(user)
        for page in pages:
            shown = client.get(page).content.decode()
            for code in codes:
                assert code in shown, (user, page, code)
                assert (f'href="/households/{code}/"' in shown) is linked, (user, page, code)
        for code in codes:
            opened = client.get(reverse("households:detail", args=[code])).status_code
            assert opened == (200 if linked else 404)


def test_the_entries_listed_from_the_registry_are_told_apart_where_it_can_be_decided(
        registry):
    """The data migration of "listed from the registry" (reviews 0006): a review that lists
    every household its commune had on its reference date, moved since by the reorganisation
    or not, was listed from the registry; one whose "added" household came beside the current
    lists stays "added" (nothing tells it apart)."""
    import importlib

    from django.apps import apps

    from giamngheo.web.reviews.models import ReviewEntry

    migration = importlib.import_module(
        "giamngheo.web.reviews.migrations.0006_listed_from_the_registry")
    apply_change_set(CHANGES, today=TODAY)  # old Tà Lài's households are in today's Tà Lài
    old_ta_lai, phu_lap = (commune(code, dt.date(2024, 10, 15)) for code in ("26131", "26134"))
    whole = Review.objects.get(commune=old_ta_lai)  # its 4 households, listed as "added"
    partial = Review.objects.get(commune=phu_lap)
    partial.entries.exclude(household__code="H-26134-0").update(listed_because="current_list")
    partial.entries.filter(household__code="H-26134-3").delete()  # one left out
    migration.listed_from_the_registry(apps, None)
    assert set(whole.entries.values_list("listed_because", flat=True)) == {
        ReviewEntry.Listed.REGISTRY}
    assert dict(partial.entries.values_list("household__code", "listed_because")) == {
        "H-26134-0": "added", "H-26134-1": "current_list", "H-26134-2": "current_list"}


def test_the_history_tells_apart_units_of_the_same_name(registry):
    """Old Tà Lài and today's, and their Ấp 2, share a name: the household's history shows
    what tells them apart, never "Xã Tà Lài → Xã Tà Lài"."""
    from giamngheo.web.households.history import household_history

    apply_change_set(CHANGES, today=TODAY)
    household = Household.objects.get(code="H-26131-0")
    moved = next(e for e in household_history(household, show_id=True) if e.changes)
    changes = {label: (old, new) for label, old, new in moved.changes}
    assert changes["Xã"] == ("Xã Tà Lài (đến 30/06/2025)", "Xã Tà Lài")
    assert changes["Ấp"] == ("Ấp 2 (đến 30/06/2025)", "Ấp 2")
    assert moved.reason.endswith("ngày 01/07/2025: Xã Tà Lài (26131 → 26134)")
    # two units in force of the same name differ by their codes, else by their periods
    from giamngheo.web.households.history import shown_change

    field = Household._meta.get_field("hamlet")
    today_ta_lai = commune("26134", TODAY)
    one = hamlet(today_ta_lai, "Ấp 9")
    # (created one by one: a code is unique for each start date, an unknown start included)
    two = Unit.objects.create(code="26134-09", name="Ấp 9", kind="ap", level="hamlet",
                              parent=today_ta_lai)
    three = Unit.objects.create(code="26134-9", name="Ấp 9", kind="ap", level="hamlet",
                                parent=today_ta_lai, valid_from=dt.date(2026, 1, 1))
    assert shown_change(field, one.pk, two.pk, {}, True) == ("Ấp 9 (26134-9)",
                                                            "Ấp 9 (26134-09)")
    assert shown_change(field, one.pk, three.pk, {}, True) == (
        "Ấp 9 (26134-9, …–…)", "Ấp 9 (26134-9, 01/01/2026–…)")
