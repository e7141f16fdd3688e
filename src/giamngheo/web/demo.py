"""The Tân Phú demo: SYNTHETIC households (no real person) in the 2024 communes, closed periodic
reviews for 2022, 2023 and 2024, and one demo user per role.

Households come from ``giamngheo.synthetic`` (realistic sizes and livelihoods), with lower
incomes in Tà Lài and Đak Lua, Mạ and S'tiêng families in Tà Lài, names and ID numbers that
look Vietnamese and are consistent (ID digits agree with sex and year of birth).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .. import household as contract
from ..messages import text
from ..synthetic import synthetic_tables
from ..tables import tables_to_records
from .accounts.models import Assignment, Role
from .households.models import Household, Member, PovertyCause, in_order, search_key
from .households.reorganisation import apply_change_set
from .program.models import (
    Activity,
    AssignedTarget,
    EnteredValue,
    Funding,
    LivelihoodModel,
    Participation,
    Task,
    tasks_from_plan,
)
from .reviews.models import (
    Decision,
    Posting,
    Request,
    Review,
    ReviewEntry,
    Step,
    StepRecord,
    VillageMeeting,
)
from .support.models import Support
from .units.loading import BUNDLED, load_units_file
from .units.models import AdministrativeUnit as Unit

DEMO_PASSWORD = "giamngheo-demo"
DEMO_HOUSEHOLDS = 5000  # the demo's size unless asked otherwise
DEMO_TODAY = dt.date(2026, 12, 1)  # the day the demo tells the story up to
DEMO_USERS = [  # user name, full name, role, unit code, level, the unit in force on
    ("admin", "Quản trị hệ thống", Role.ADMINISTRATOR, "75", "province", None),
    ("tinh.dongnai", "Trần Thị Bích (Sở NN&MT)", Role.AREA_OFFICER, "75", "province", None),
    ("canbo.talai", "Nguyễn Văn Hùng (công chức VH-XH xã Tà Lài)", Role.COMMUNE_OFFICER,
     "26134", "commune", "2025-07-01"),
    ("chutich.talai", "Lê Minh Tâm (Chủ tịch UBND xã Tà Lài)", Role.COMMUNE_CHAIR, "26134",
     "commune", "2025-07-01"),
    ("rasoat.talai", "K' Điểu (rà soát viên xã Tà Lài)", Role.SURVEYOR, "26134", "commune",
     "2025-07-01"),
    ("mttq.talai", "Phạm Thị Lan (MTTQ xã Tà Lài)", Role.MONITOR, "26134", "commune",
     "2025-07-01"),
    ("canbo.tanphu", "Đỗ Thị Hạnh (công chức VH-XH xã Tân Phú)", Role.COMMUNE_OFFICER, "26116",
     "commune", "2025-07-01"),
    ("chutich.tanphu", "Vũ Quốc Khoa (Chủ tịch UBND xã Tân Phú)", Role.COMMUNE_CHAIR, "26116",
     "commune", "2025-07-01"),
    # the former district's users, kept read-only for its history (to 30/06/2025)
    ("huyen.tanphu", "Bùi Thanh Sơn (Phòng LĐ-TB&XH huyện Tân Phú, đến 30/6/2025)",
     Role.MONITOR, "734", "district", None),
    ("taichinh.tanphu", "Hoàng Đức Long (Phòng TC-KH huyện Tân Phú, đến 30/6/2025)",
     Role.FINANCE_OFFICER, "734", "district", None),
]
POORER = {"26131": 0.55, "26119": 0.6}  # Tà Lài and Đak Lua: lower incomes
# answers left unrecorded, so that about 1% of the households are incomplete at each review:
# the workflow of an unfinished survey has something to show
MISSING_SHARE = 0.07
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang",
         "Tuấn", "Vy", "Yến", "Khoa", "Nhung", "Đạt"]
MA_GIVEN = ["Điểu", "Bình", "Lâm", "Hoa", "Bền", "Tâm", "Nhi", "Sang", "Thuận", "Mơ"]


def _name(rng: random.Random, sex: str, ethnicity: str) -> str:
    if ethnicity in ("Mạ", "S'tiêng", "Chơ Ro"):
        given = rng.choice(MA_GIVEN)
        if rng.random() < .7:  # Mạ personal names start with K' (men) or Ka (women)
            return f"K' {given}" if sex == "male" else f"Ka {given}"
        return f"Điểu {'Thị ' if sex == 'female' else ''}{given}"
    middle = "Văn" if sex == "male" else "Thị"
    if rng.random() < .4:
        middle = rng.choice(["Minh", "Thanh", "Bảo", *(["Đức", "Hữu", "Quốc"] if sex == "male"
                                                      else ["Ngọc", "Thu", "Kim"])])
    return f"{rng.choice(SURNAMES)} {middle} {rng.choice(GIVEN)}"


def _id_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    century = (birth.year // 100 - 19) * 2 + (0 if sex == "male" else 1)
    return f"075{century}{birth.year % 100:02d}{rng.randrange(10**6):06d}"


def _hamlets(commune: Unit) -> list[Unit]:
    """The commune's hamlets. A 2024 commune gets synthetic ones named so that the 1 July
    2025 reorganisation finds their successors where the hamlets of the new commune tell it
    (Phú Lập's Ấp 3 became Phú Lập 3 of Xã Tà Lài; Tà Lài's Ấp 1-5 kept their names), else
    Ấp 1..6; a commune of 2025 without listed hamlets gets Ấp 1..6 too."""
    hamlets = list(commune.children.filter(level="hamlet").order_by("code"))
    if hamlets:
        return hamlets
    names = [f"Ấp {n}" for n in range(1, 7)]
    successor = commune.successor_on(dt.date(2025, 7, 1)) if commune.valid_until else None
    if successor is not None:
        later = [h.name for h in successor.children.filter(level="hamlet")]
        numbered = [name.removeprefix(commune.place_name + " ") for name in later]
        numbered = [n for n in numbered if n.isdigit()]
        if commune.place_name == successor.place_name:
            names = [name for name in later if name.startswith("Ấp ")] or names
        elif numbered:
            names = [f"Ấp {n}" for n in numbered]
    return [Unit.objects.create(code=f"{commune.code}-{n:02d}", name=name, kind="ap",
                                level="hamlet", parent=commune, valid_from=commune.valid_from)
            for n, name in enumerate(names, start=1)]


def _households(count: int, rng: random.Random, communes: list[Unit]) -> None:
    weights = [c.population or 5000 for c in communes]
    shares = [round(count * w / sum(weights)) for w in weights]
    households, members = [], []
    for commune, share in zip(communes, shares, strict=True):
        hamlets = _hamlets(commune)
        table_h, table_m = synthetic_tables(share, seed=int(commune.code),
                                            reference_date=dt.date(2024, 10, 15),
                                            communes=(commune.code,),
                                            missing_share=MISSING_SHARE)
        for number, record in enumerate(tables_to_records(table_h, table_m), start=1):
            household = _household(record, commune, hamlets, number, rng)
            people = [_member(m, household, rng, commune.code) for m in record["members"]]
            household.search_text = search_key(household.code, [m.full_name for m in people])
            households.append(household)
            members += people
    bulk_create_with_history(households, Household, batch_size=500)
    saved = {h.code: h for h in Household.objects.all()}
    for member in members:
        member.household = saved[member.household.code]
    bulk_create_with_history(members, Member, batch_size=1000)


# the dwelling answers the registry holds (a record may hold more)
_REGISTRY_FIELDS = {f.name for f in Household._meta.get_fields()}


def _household(record: dict, commune: Unit, hamlets: list[Unit], number: int,
               rng: random.Random) -> Household:
    dwelling = record.get("dwelling")
    income = record["income"]
    per_month = income.get("monthly_per_capita") or (
        income["annual_total"] // 12 // len(record["members"]) if "annual_total" in income
        else None)
    if per_month is not None:
        per_month = int(per_month * POORER.get(commune.code, 1.0))
    return Household(
        code=f"TP-{commune.code}-{number:04d}", commune=commune, hamlet=rng.choice(hamlets),
        area=commune.area_type, address=f"Tổ {rng.randint(1, 12)}",
        farm_household=rng.random() < .6,
        has_dwelling=None if "dwelling" not in record else dwelling is not None,
        **{k: v for k, v in (dwelling or {}).items() if k in _REGISTRY_FIELDS},
        uses_internet=record.get("information", {}).get("uses_internet"),
        devices=record.get("information", {}).get("devices"),
        income_monthly_per_capita=per_month,
        income_b1_score=income.get("b1_score"),
        registered_on=dt.date(2020, 1, 1), notes="Dữ liệu giả lập (synthetic)")


REVIEW_YEARS = (2022, 2023, 2024)  # the closed annual reviews of the 2024 communes
SYNTHETIC = "(giả lập)"
MONTHLY_2026 = (3, 6, 9)  # the monthly reviews of 2026 in Tà Lài
STANDARD_2026 = "vn-2027-2030"  # the 2026 annual review (standards.md)


def _member(m: dict, household: Household, rng: random.Random, commune_code: str) -> Member:
    ethnicity = m.get("ethnicity", "Kinh")
    if commune_code == "26131" and rng.random() < .6:
        ethnicity = rng.choice(["Mạ", "S'tiêng"])
    birth = dt.date.fromisoformat(m["birth_date"])
    fields = {k: v for k, v in m.items() if k not in ("id", "birth_date", "ethnicity")}
    first_review = dt.date(REVIEW_YEARS[0], 10, 15)
    if contract.age_in_months(birth, first_review) < 12 * contract.NUTRITION_AGE_LIMIT:
        for flag in ("stunted", "underweight"):  # asked at every review they were a child in
            if fields.get(flag) is None:
                fields[flag] = rng.random() < .05
    return Member(household=household, position=int(m["id"]),
                  full_name=_name(rng, m["sex"], ethnicity), ethnicity=ethnicity,
                  id_number=_id_number(rng, birth, m["sex"]) if birth.year <= 2010 else "",
                  birth_date=birth, **fields)


def _on(record: StepRecord, day: dt.date) -> None:
    """A step of the story done on its day (in the afternoon), not when the demo was built."""
    StepRecord.objects.filter(pk=record.pk).update(
        done_at=timezone.make_aware(dt.datetime.combine(day, dt.time(16))))


def _run_review(commune: Unit, year: int, user: User, rng: random.Random,
                until: str = Step.CLOSED, standard_id: str | None = None) -> Review:
    review = Review.objects.create(
        commune=commune, kind=Review.Kind.PERIODIC, period_year=year + 1,
        reference_date=dt.date(year, 10, 15),
        standard_id=standard_id or Review.default_standard(dt.date(year, 10, 15)),
        opened_by=user)
    review.list_households(Household.objects.filter(commune=commune, left_on=None),
                           ReviewEntry.Listed.REGISTRY)
    _on(review.advance(user, "Danh sách toàn bộ hộ trên địa bàn"), review.reference_date)
    if until == Step.SURVEY:
        return review
    review.classify()
    _causes(review, rng)
    _on(review.advance(user), dt.date(year, 10, 31))
    for entry in review.undecided_entries().select_related("household"):
        # only decisions move a household: one the surveyors could not complete is taken off
        # the review with the reason, and counted apart
        review.withdraw(entry, "not_surveyed", dt.date(year, 10, 31),
                        "Thiếu thông tin, hẹn khảo sát bổ sung kỳ sau (giả lập)", user)
    for hamlet in _hamlets(commune):
        attendees = rng.randint(35, 80)
        VillageMeeting.objects.create(review=review, hamlet=hamlet,
                                      held_on=dt.date(year, 11, rng.randint(1, 10)),
                                      chaired_by=f"Trưởng {hamlet.name}", attendees=attendees,
                                      agreed=attendees - rng.randint(0, attendees // 3),
                                      minutes="Biên bản họp dân (giả lập)")
    _on(review.advance(user), dt.date(year, 11, 10))
    Posting.objects.create(review=review, start=dt.date(year, 11, 15),
                           end=dt.date(year, 11, 19))
    _on(review.advance(user), dt.date(year, 11, 20))
    _on(review.advance(user, f"Đã báo cáo {review.consulted}"), dt.date(year, 11, 28))
    Decision.objects.create(review=review, number=f"{rng.randint(100, 400)}/QĐ-UBND",
                            signed_on=dt.date(year, 12, 10), signed_by="Chủ tịch UBND xã")
    _on(review.advance(user), dt.date(year, 12, 10))
    return review


def _causes(review: Review, rng: random.Random) -> None:
    """The causes of poverty the surveyors note for a poor household that has none yet."""
    households = list(Household.objects.filter(
        pk__in=review.entries.filter(classification="poor").values("household_id"),
        poverty_causes=[]))
    for household in households:
        # a set of causes, kept in the list's order as the form keeps it
        household.poverty_causes = in_order(rng.sample(PovertyCause.values,
                                                       rng.choice([1, 1, 2, 3])),
                                            PovertyCause.values)
    bulk_update_with_history(households, Household, ["poverty_causes"], batch_size=500)


def _grow_incomes(rng: random.Random) -> None:
    """Incomes change between the annual reviews: most grow, some fall."""
    households = list(Household.objects.exclude(income_monthly_per_capita=None))
    for h in households:
        h.income_monthly_per_capita = int(h.income_monthly_per_capita
                                          * rng.choice([1.02, 1.06, 1.1, 1.15, 1.25, 0.85]))
    bulk_update_with_history(households, Household, ["income_monthly_per_capita"],
                             batch_size=1000)


def _requests(commune: Unit, officer: User, rng: random.Random) -> None:
    """Requests waiting in Tà Lài: form No. 04 filed in November 2026 for the December
    monthly review, No. 01 for the annual review under way."""
    households = list(Household.objects.filter(commune=commune, left_on=None)
                      .order_by("code")[:400])
    for household in rng.sample(households, 12):
        form = rng.choice(["01", "04"])
        Request.objects.create(
            household=household, form=form,
            asks=rng.choice(["recognition", "escape"]),
            filed_on=dt.date(2026, 11, rng.randint(1, 28)) if form == "04"
            else dt.date(2026, 10, rng.randint(16, 31)),
            filed_by=f"Chủ hộ {household.code} (giả lập)", received_by=officer)


def _monthly_review(commune: Unit, month: int, officer: User, rng: random.Random) -> Review:
    """A regular (monthly) review of 2026 answering three requests of form No. 04: listed,
    classified, decided by the chair, then posted (rules/procedure.yaml)."""
    reference = dt.date(2026, month, 15)
    households = list(Household.objects.filter(commune=commune, left_on=None).order_by("code"))
    for household in rng.sample(households, 3):
        Request.objects.create(
            household=household, form="04", asks=rng.choice(["recognition", "escape"]),
            filed_on=reference - dt.timedelta(days=rng.randint(3, 12)),
            filed_by=f"Chủ hộ {household.code} {SYNTHETIC}", received_by=officer)
    review = Review.objects.create(commune=commune, kind=Review.Kind.REGULAR, period_year=2026,
                                   reference_date=reference,
                                   standard_id=Review.default_standard(reference),
                                   opened_by=officer)
    review.list_requests()
    _on(review.advance(officer), reference)
    review.classify()
    for entry in review.undecided_entries():
        review.withdraw(entry, "not_surveyed", reference + dt.timedelta(days=3),
                        f"Thiếu thông tin, hẹn khảo sát bổ sung {SYNTHETIC}", officer)
    _on(review.advance(officer), reference + dt.timedelta(days=3))
    Decision.objects.create(review=review, number=f"{rng.randint(10, 99)}/QĐ-UBND",
                            signed_on=reference + dt.timedelta(days=5),
                            signed_by="Chủ tịch UBND xã")
    _on(review.advance(officer), reference + dt.timedelta(days=5))
    Posting.objects.create(review=review, start=reference + dt.timedelta(days=6),
                           end=reference + dt.timedelta(days=12))
    _on(review.advance(officer), reference + dt.timedelta(days=13))
    return review


def _program(ta_lai: Unit, communes: list[Unit], officer: User, rng: random.Random) -> None:
    """The plan's machinery on SYNTHETIC figures: targets assigned to the communes, the
    district's tasks, an activity per content with its funding (one overspent), a livelihood
    model in Tà Lài and support given to its poor households."""
    district = ta_lai.parent
    area_officer = User.objects.get(username="tinh.dongnai")
    for commune in communes:
        for target, value in (("poor_group_a_reduction", 35), ("hygienic_water", 95)):
            AssignedTarget.objects.create(target=target, unit=commune, year=2024, value=value,
                                          decision=f"15/QĐ-UBND ngày 20/3/2024 {SYNTHETIC}",
                                          recorded_by=area_officer)
    EnteredValue.objects.create(target="officers_trained", unit=district, as_of=dt.date(
        2024, 5, 30), achieved=40, of=45, note=f"Danh sách tập huấn {SYNTHETIC}",
        recorded_by=officer)
    EnteredValue.objects.create(target="officers_trained", unit=district, as_of=dt.date(
        2024, 11, 30), achieved=45, of=45, note=f"Danh sách tập huấn {SYNTHETIC}",
        recorded_by=officer)
    tasks_from_plan(district)
    Task.objects.filter(unit=district, due_on__lte=dt.date(2024, 6, 1)).update(
        status=Task.Status.DONE, done_on=dt.date(2024, 5, 28))
    for n, (content, name, project) in enumerate([
            ("1", "Hội nghị tuyên truyền giảm nghèo đa chiều", "6"),
            ("2", "Hỗ trợ giống, vật tư mô hình chăn nuôi", "2"),
            ("3", "Lớp đào tạo nghề may công nghiệp", "4"),
            ("4.1", "Tập huấn nghiệp vụ cán bộ giảm nghèo", "7"),
            ("4.2", "Rà soát hộ nghèo, hộ cận nghèo năm 2024", "7")], start=1):
        activity = Activity.objects.create(
            content=content, unit=district if n in (1, 4) else ta_lai, project=project,
            name=f"{name} {SYNTHETIC}", held_on=dt.date(2024, 2 + 2 * n, 10),
            events=rng.randint(1, 4), participants=rng.randint(20, 120),
            officers_trained=45 if content == "4.1" else 0)
        allocated = rng.randint(20, 200) * 1_000_000
        Funding.objects.create(activity=activity, source="provincial", allocated=allocated,
                               disbursed=allocated * (11 if n == 2 else 8) // 10,
                               settled=allocated * 6 // 10, on=activity.held_on)
        Funding.objects.create(activity=activity, source="district" if activity.unit ==
                               district else "commune", allocated=10_000_000,
                               disbursed=10_000_000, settled=10_000_000, on=activity.held_on)
    poor = list(Household.objects.filter(commune=ta_lai, current_status="poor")[:12])
    model = LivelihoodModel.objects.create(
        commune=ta_lai, name=f"Mô hình nuôi bò sinh sản {SYNTHETIC}",
        started_on=dt.date(2024, 3, 1), description="Mỗi hộ nhận 1 con bò cái sinh sản.")
    Funding.objects.create(livelihood_model=model, source="provincial", allocated=240_000_000,
                           disbursed=240_000_000, settled=200_000_000, on=model.started_on)
    Funding.objects.create(livelihood_model=model, source="beneficiaries",
                           allocated=24_000_000, disbursed=24_000_000, settled=24_000_000,
                           on=model.started_on)
    for household in poor:
        Participation.objects.create(model=model, household=household,
                                     joined_on=dt.date(2024, 3, 1))
        Support.objects.create(household=household, kind="livelihood_model",
                               livelihood_model=model, given_on=dt.date(2024, 3, 15),
                               amount=20_000_000, source="provincial", recorded_by=officer)
        head = household.members.order_by("position").first()
        if head and not head.health_insurance:
            Support.objects.create(household=household, member=head,
                                   kind="health_insurance_card", given_on=dt.date(2024, 1, 5),
                                   amount=1_105_650, source="provincial", recorded_by=officer)


def _users() -> User:
    for username, full_name, role, code, level, since in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": full_name, "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR})
        user.set_password(DEMO_PASSWORD)
        user.save()
        unit = Unit.objects.get(level=level, code=code,
                                valid_from=dt.date.fromisoformat(since) if since else None)
        Assignment.objects.get_or_create(user=user, role=role, unit=unit)
    return User.objects.get(username="canbo.talai")


def _today(officer: User, chair: User, rng: random.Random, say) -> None:
    """From the 2024 communes to 1 December 2026: the reorganisation of 1 July 2025 applied
    to the registry, the 2025 annual review by the new communes (lists of 2026, closed, with
    certificates), monthly reviews in Tà Lài in 2026 and the 2026 annual review of each
    commune open under vn-2027-2030 at the survey step."""
    admin = User.objects.get(username="admin")
    apply_change_set(json.loads(BUNDLED.read_text(encoding="utf-8")), user=admin)
    communes = list(Unit.objects.filter(level="commune").valid_on(DEMO_TODAY).order_by("code"))
    _grow_incomes(rng)
    say(text("demo.review_year", year=2025, communes=len(communes)))
    for commune in communes:
        review = _run_review(commune, 2025, officer, rng)
        review.issue_certificates(chair, dt.date(2025, 12, 12))
    ta_lai = Unit.objects.get(level="commune", code="26134", valid_from=dt.date(2025, 7, 1))
    for month in MONTHLY_2026:
        _monthly_review(ta_lai, month, officer, rng)
    _grow_incomes(rng)
    for commune in communes:
        _run_review(commune, 2026, officer, rng, until=Step.SURVEY, standard_id=STANDARD_2026)
    _requests(ta_lai, officer, rng)


@transaction.atomic
def build_demo(households: int = DEMO_HOUSEHOLDS, seed: int = 2024,
               say: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Load units, synthetic households, three closed annual reviews, the demo users and the
    plan's targets, activities, model, tasks and support (all synthetic)."""
    rng = random.Random(seed)
    load_units_file()
    officer = _users()
    chair = User.objects.get(username="chutich.talai")
    if not Household.objects.exists():
        communes = [c for c in Unit.objects.filter(level="commune", valid_from=None)
                    if c.is_valid_on(dt.date(2024, 10, 15))]
        say(text("demo.households", count=households, communes=len(communes)))
        _households(households, rng, communes)
        for year in REVIEW_YEARS:
            say(text("demo.review_year", year=year, communes=len(communes)))
            if year > REVIEW_YEARS[0]:
                _grow_incomes(rng)
            for commune in communes:
                review = _run_review(commune, year, officer, rng)
                if year == 2024:
                    review.issue_certificates(chair, dt.date(2024, 12, 12))
        old_ta_lai = Unit.objects.get(level="commune", code="26131", valid_from=None)
        say(text("demo.program"))
        _program(old_ta_lai, communes, officer, rng)
        _today(officer, chair, rng, say)
    return {"households": Household.objects.count(), "members": Member.objects.count(),
            "reviews": Review.objects.count()}
