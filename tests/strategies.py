"""Hypothesis strategies: random valid household records that hit every boundary of
docs/rules.md §3-4 (ages around each limit, incomes around each line, floor areas around
8 m² per person, every enumeration value, absent fields)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from giamngheo import household as hh

LIMIT_AGES = [0, 2, 3, 5, 6, 10, 11, 14, 15, 16, 17, 18, 29, 30, 31, 55, 56, 57, 59, 60, 61,
              62, 63, 75, 120]
REFERENCE_DATES = [dt.date(2022, 8, 9), dt.date(2022, 8, 10), dt.date(2024, 10, 15),
                   dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                   dt.date(2027, 1, 1), dt.date(2024, 2, 29), dt.date(2028, 6, 30),
                   dt.date(2025, 8, 31), dt.date(2025, 9, 1), dt.date(2023, 2, 28),
                   dt.date(2027, 9, 30), dt.date(2029, 12, 31)]
INCOMES = [0, 1_000_000, 1_499_999, 1_500_000, 1_500_001, 1_999_999, 2_000_000, 2_000_001,
           2_200_000, 2_200_001, 2_250_000, 2_250_001, 2_500_000, 2_800_000, 3_000_000,
           3_000_001, 3_750_000, 3_750_001, 5_000_000]
SCORES = [0, 100, 139.5, 140, 140.01, 150, 174.99, 175, 175.5, 250]


def shift(reference: dt.date, years: int, months: int, days: int) -> dt.date:
    """``reference`` moved back by years and months (day clamped), then by ``days``."""
    total = reference.year * 12 + reference.month - 1 - years * 12 - months
    year, month = divmod(total, 12)
    month += 1
    day = reference.day
    while True:
        try:
            base = dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    return base + dt.timedelta(days=days)


def month_ends(year: int) -> list[dt.date]:
    leap = max(year - year % 4, 1904)  # a leap year near ``year`` (1900 was not one)
    return [dt.date(leap, 2, 29), dt.date(year, 1, 31), dt.date(year, 2, 28),
            dt.date(year, 3, 31), dt.date(year, 12, 31), dt.date(year, 9, 1),
            dt.date(year, 8, 31)]


def optional(strategy):
    return st.one_of(st.just(None), strategy)


def field(mode: str, strategy, good):
    """A field's strategy by the household's mode: "sparse" may omit it, "complete" always
    fills it, "good" mostly gives the non-deprived value (so that near-poor and not-poor
    households with few deprivations are common too)."""
    if mode == "sparse":
        return optional(strategy)
    if mode == "complete":
        return strategy
    return st.one_of(st.just(good), st.just(good), st.just(good), strategy)


@st.composite
def members(draw, reference: dt.date, mode: str = "sparse"):
    count = draw(st.integers(1, 7))
    out = []
    for i in range(count):
        years = draw(st.one_of(st.sampled_from(LIMIT_AGES), st.integers(0, 100)))
        months = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 9, 11]))
        days = draw(st.sampled_from([-1, 0, 0, 1]))
        birth = shift(reference, years, months, days)
        if draw(st.integers(0, 9)) == 0:  # the end of a month, 29 February
            birth = draw(st.sampled_from(month_ends(birth.year)))
        if birth > reference:
            birth = reference
        if hh.age_in_months(birth, reference) // 12 > hh.MAX_AGE:
            birth = shift(reference, hh.MAX_AGE, 0, 0)
        age = hh.age_in_months(birth, reference) // 12
        member = {"id": str(i + 1), "relation": "head" if i == 0 else
                  draw(st.sampled_from(hh.RELATIONS[1:])),
                  "birth_date": birth.isoformat(), "sex": draw(st.sampled_from(hh.SEXES))}
        in_school = 3 <= age < 23
        fields = {
            "employment": field(mode, st.sampled_from(hh.EMPLOYMENT), "self_employed"),
            "health_insurance": field(mode, st.booleans(), True),
            "education": field(mode, st.sampled_from(hh.EDUCATION), "upper_secondary"),
            "in_education": field(mode, st.booleans(), in_school),
            "disability": field(mode, st.sampled_from(hh.DISABILITY), "none"),
            "unable_to_work": field(mode, st.booleans(), False),
            "social_allowance": optional(st.booleans()) if age < 60 else
            field(mode, st.booleans(), False),
            "workplace_trained": optional(st.booleans()),
            "ethnicity": optional(st.sampled_from(["Kinh", "Mạ", "S'tiêng", "Hoa"])),
        }
        if age < hh.NUTRITION_AGE_LIMIT:
            fields["stunted"] = field(mode, st.booleans(), False)
            fields["underweight"] = field(mode, st.booleans(), False)
        for key, strategy in fields.items():
            value = draw(strategy)
            if value is not None:
                member[key] = value
        if member.get("in_education") is True:
            right_level = ("preschool" if age < 6 else "primary" if age < 11 else
                           "lower_secondary" if age < 15 else "upper_secondary")
            level = draw(field(mode, st.sampled_from(hh.SCHOOL_LEVELS), right_level))
            if level is not None:
                member["school_level"] = level
        out.append(member)
    return out


@st.composite
def dwellings(draw, size: int, mode: str = "sparse"):
    dwelling = {}
    for part in hh.STRUCTURES:
        value = draw(field(mode, st.sampled_from(hh.DURABILITY), "durable"))
        if value is not None:
            dwelling[part] = value
    area = draw(field(mode, st.one_of(
        st.sampled_from([0, 8 * size - 1, 8 * size, 8 * size + 1, 8 * size - 0.5, 7.99 * size]),
        st.integers(0, 200), st.floats(0, 300, allow_nan=False).map(lambda x: round(x, 2))),
        40 * size))
    if area is not None:
        dwelling["floor_area_m2"] = area
    water = draw(field(mode, st.sampled_from(hh.WATER_SOURCES), "piped"))
    if water is not None:
        dwelling["water_source"] = water
    latrine = draw(field(mode, st.sampled_from(hh.LATRINES), "septic"))
    if latrine is not None:
        dwelling["latrine"] = latrine
    waste = draw(field(mode, st.sampled_from(hh.WASTE_DISPOSALS), "collected"))
    if waste is not None:
        dwelling["waste_disposal"] = waste
    return dwelling


@st.composite
def households(draw, index: int = 0):
    reference = draw(st.one_of(st.sampled_from(REFERENCE_DATES),
                               st.dates(dt.date(2022, 1, 1), dt.date(2030, 12, 31))))
    mode = draw(st.sampled_from(["sparse", "complete", "good", "good"]))
    people = draw(members(reference, mode))
    record = {"id": f"H{index}", "reference_date": reference.isoformat(),
              "area": draw(st.sampled_from(hh.AREAS)), "members": people}
    province = draw(st.sampled_from(["75", "75", "01", None]))
    if province is not None:
        record["province_code"] = province
        record["commune_code"] = draw(st.sampled_from(["26131", "26119", "00001"]))
    kind = draw(st.sampled_from(["monthly_per_capita", "monthly_per_capita", "annual_total",
                                 "b1_score"]))
    if kind == "monthly_per_capita":
        record["income"] = {kind: draw(st.one_of(st.sampled_from(INCOMES),
                                                 st.integers(0, 10_000_000)))}
    elif kind == "annual_total":
        per_month = draw(st.sampled_from(INCOMES))
        record["income"] = {kind: per_month * 12 * len(people) + draw(st.integers(-13, 13))
                            if per_month else draw(st.integers(0, 100))}
    else:
        record["income"] = {kind: draw(st.sampled_from(SCORES))}
    shapes = ["object"] * 6 + ([] if mode == "good" else ["null", "absent"])
    shape = draw(st.sampled_from(shapes))
    if shape == "object":
        record["dwelling"] = draw(dwellings(len(people), mode))
    elif shape == "null":
        record["dwelling"] = None
    if mode != "sparse" or draw(st.booleans()):
        info = {}
        internet = draw(field(mode, st.booleans(), True))
        if internet is not None:
            info["uses_internet"] = internet
        devices = draw(field(mode, st.lists(st.sampled_from(hh.DEVICES), max_size=3),
                             ["smartphone"]))
        if devices is not None:
            info["devices"] = devices
        record["information"] = info
    return record


@st.composite
def household_lists(draw, max_size: int = 6):
    count = draw(st.integers(1, max_size))
    return [draw(households(i)) for i in range(count)]
