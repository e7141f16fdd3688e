"""The REST API (django-ninja): households and members, the classification of a posted record
(docs/record-format.md), review results and indicators for an area and year. A bearer token
stands for its user: the same roles and area scoping as the web pages, ID numbers masked for the
roles that do not need them. Schema at /api/openapi.json, interactive docs at /api/docs.
"""


import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from pydantic import model_validator

from ... import household as contract
from ... import record
from ...engine.classify import classify_record
from ...figures import add, count, headcount, indicators_of
from ...plans import label
from ..accounts.models import (
    HOUSEHOLD_EDITORS,
    May,
    editable_communes,
    has_role_for,
    log_view,
    visible_units,
)
from ..accounts.privacy import (
    disclosure,
    id_number_sent_back,
    is_id_number_query,
    logged_query,
)
from ..households.models import Household, Member, current_lang
from ..households.views import scoped_households, search
from ..program.progress import target_progress
from ..reviews.figures import area_figures
from ..reviews.views import scoped_reviews
from ..units.models import AdministrativeUnit
from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class Pages(PageNumberPagination):
    """Pages of a list; a page after the last is a 400 saying how many there are (a page
    number too large for the database is one of them)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = self._get_page_size(pagination.page_size)
        count = self._items_count(queryset)
        pages = max(1, -(-count // size))
        if pagination.page > pages:
            raise HttpError(400, _("There is no page %(page)s: the list has %(pages)s.") % {
                "page": pagination.page, "pages": pages})
        offset = (pagination.page - 1) * size
        return {self.items_attribute: queryset[offset:offset + size], "count": count}


api = NinjaAPI(title="GiảmNghèo API", version="1", urls_namespace="api", auth=TokenAuth(),
               description=__doc__)

STATUSES = ("poor", "near_poor", "average", "not_poor", "incomplete")


def _storable(value: Any) -> None:
    """Text the database cannot store (NUL characters, lone UTF-16 surrogates from JSON
    escapes) is refused here, as bad input."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list):
        for item in value:
            _storable(item)


class Input(Schema):
    @model_validator(mode="after")
    def refuse_unstorable_text(self):
        _storable(self.model_dump())
        return self


def declared(path: str, **column: Any) -> Any:
    """The type of a record field as the API takes it, from its declaration (``record.py``):
    its vocabulary's codes ("" for not recorded unless required), a list of codes, yes / no /
    null for an answer (an exception flag: false when absent), a whole number or a number
    within its declared bounds, a date. ``column``: what the registry's column adds (a text's
    ``max_length``, a stored number's ``le``, a ``description``). ``dwelling`` is the
    dwelling's presence."""
    f = record.DWELLING_PRESENCE if path == "dwelling" else record.field(path)
    codes = Literal[f.codes] if f.vocabulary else None  # type: ignore[valid-type]
    bounds = {k: v for k, v in (("ge", f.minimum), ("le", f.maximum)) if v is not None}
    if f.kind == "enum" and f.required:
        return Annotated[codes, Field(**column)]  # type: ignore[valid-type]
    if f.kind == "enum":
        return Annotated[Literal[("", *f.codes)], Field("", **column)]  # type: ignore[valid-type]
    if f.kind == "enum_list":
        return Annotated[list[codes] | None, Field(None, **column)]  # type: ignore[valid-type]
    if f.kind == "bool":
        return Annotated[bool, Field(False, **column)] if f.flag \
            else Annotated[bool | None, Field(None, **column)]
    if f.kind == "integer":
        return Annotated[int | None, Field(None, **(bounds | column))]
    if f.kind == "number":
        return Annotated[float | None, Field(None, **(bounds | column))]
    if f.kind == "date":
        return Annotated[dt.date, Field(**column)]
    return Annotated[str, Field("", **column)]


# A member: the record's member fields (their types declared in record.py) and the registry's
# own (order, name, ID number). No docstring: it would be the schema's description.
class MemberIn(Input):
    position: int = Field(ge=1, le=50)
    full_name: str = Field(min_length=1, max_length=120)
    id_number: str = Field("", pattern=r"^(\d{12}|\d{3}\*{6}\d{3})?$", description=(
        "12 digits; the masked value read (075******234) sent back means unchanged"))
    relation: declared("members.relation")  # type: ignore[valid-type]
    birth_date: declared("members.birth_date")  # type: ignore[valid-type]
    sex: declared("members.sex")  # type: ignore[valid-type]
    ethnicity: declared("members.ethnicity", max_length=40)  # type: ignore[valid-type]
    employment: declared("members.employment")  # type: ignore[valid-type]
    health_insurance: declared("members.health_insurance")  # type: ignore[valid-type]
    education: declared("members.education")  # type: ignore[valid-type]
    in_education: declared("members.in_education")  # type: ignore[valid-type]
    school_level: declared("members.school_level")  # type: ignore[valid-type]
    disability: declared("members.disability")  # type: ignore[valid-type]
    unable_to_work: declared("members.unable_to_work")  # type: ignore[valid-type]
    social_allowance: declared("members.social_allowance")  # type: ignore[valid-type]
    workplace_trained: declared("members.workplace_trained")  # type: ignore[valid-type]
    stunted: declared("members.stunted")  # type: ignore[valid-type]
    underweight: declared("members.underweight")  # type: ignore[valid-type]


class MemberOut(MemberIn):
    id_number: str = ""


# A household: the record's fields (their types declared in record.py; the registry's columns
# bound the stored numbers) and the registry's own (code, commune, address, ...).
class HouseholdIn(Input):
    code: str = Field(min_length=1, max_length=40, pattern=r"^\S+$")
    commune: str = Field(description="GSO code of the commune", max_length=12)
    area: declared("area")  # type: ignore[valid-type]
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    farm_household: bool = False
    has_dwelling: declared("dwelling")  # type: ignore[valid-type]
    walls: declared("dwelling.walls")  # type: ignore[valid-type]
    frame: declared("dwelling.frame")  # type: ignore[valid-type]
    roof: declared("dwelling.roof")  # type: ignore[valid-type]
    floor_area_m2: declared("dwelling.floor_area_m2", le=10000)  # type: ignore[valid-type]
    water_source: declared("dwelling.water_source")  # type: ignore[valid-type]
    latrine: declared("dwelling.latrine")  # type: ignore[valid-type]
    waste_disposal: declared(  # type: ignore[valid-type]
        "dwelling.waste_disposal",
        description="asked where a standard reads it (2027-2030); empty: not recorded")
    uses_internet: declared("information.uses_internet")  # type: ignore[valid-type]
    devices: declared("information.devices")  # type: ignore[valid-type]
    income_monthly_per_capita: declared("income.monthly_per_capita")  # type: ignore[valid-type]
    income_annual_total: declared("income.annual_total")  # type: ignore[valid-type]
    income_b1_score: declared("income.b1_score", le=99999)  # type: ignore[valid-type]
    members: list[MemberIn] = Field(min_length=1, max_length=50)


class HouseholdUpdate(HouseholdIn):
    version: int = Field(description="the version read; a later save by someone else is a 409")


class HouseholdSummary(Schema):
    code: str
    commune: str
    hamlet: str | None
    status: str = Field(description="living in the commune, moved, died, split, merged")
    current_status: str = Field(description="classification in the latest closed review")
    status_year: int | None
    head: str | None
    head_id_number: str | None


class HouseholdOut(HouseholdIn):
    version: int
    hamlet: str | None
    status: str
    current_status: str
    status_year: int | None
    members: list[MemberOut]


def _summary(household: Household, request) -> dict[str, Any]:
    head = household.head
    number = disclosure(request.user).id_number(head, household) if head else None
    return {"code": household.code, "commune": household.commune.code,
            "hamlet": household.hamlet.name if household.hamlet else None,
            "status": household.status, "current_status": household.current_status,
            "status_year": household.status_year, "head": head.full_name if head else None,
            "head_id_number": number}


def _detail(household: Household, request) -> dict[str, Any]:
    fields = {name: getattr(household, name) for name in HouseholdIn.model_fields
              if name not in ("commune", "members")}
    members = []
    seen = disclosure(request.user)
    for m in household.members.filter(left_on=None).order_by("position"):
        data = {name: getattr(m, name) for name in MemberIn.model_fields}
        data["id_number"] = seen.id_number(m, household)
        members.append(data)
    return {**fields, "floor_area_m2": float(household.floor_area_m2)
            if household.floor_area_m2 is not None else None,
            "income_b1_score": float(household.income_b1_score)
            if household.income_b1_score is not None else None,
            "commune": household.commune.code, "version": household.version,
            "hamlet": household.hamlet.name if household.hamlet else None,
            "status": household.status, "current_status": household.current_status,
            "status_year": household.status_year, "members": members}


def _household(request, code: str) -> Household:
    household = scoped_households(request.user).select_related("commune", "hamlet") \
        .prefetch_related("members").filter(code=code).first()
    if household is None:
        raise HttpError(404, _("No such household in your area."))
    return household


class HouseholdFilters(Input):
    commune: str | None = Field(None, description="GSO code of a commune", max_length=12)
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, description="words of a name or code, or a 12-digit ID number",
                          max_length=100)


@api.get("/households", response=list[HouseholdSummary], tags=["households"])
@paginate(Pages, page_size=50)
def list_households(request, filters: Query[HouseholdFilters]):
    """The user's households; ``q`` a 12-digit ID number only for the roles that may see
    ID numbers (in the units where they may)."""
    households = scoped_households(request.user).select_related("commune", "hamlet") \
        .prefetch_related("members").order_by("code")
    if filters.commune:
        households = households.filter(commune__code=filters.commune)
    if filters.status:
        households = households.filter(current_status=filters.status)
    if filters.q and filters.q.strip():
        if is_id_number_query(filters.q) and \
                not disclosure(request.user).anywhere(May.SEE_ID_NUMBERS):
            raise HttpError(403, _("Searching by a full ID number is for the roles that may "
                                   "see ID numbers."))
        households = search(households, filters.q.strip(), request.user)
    return Summaries(request, households)


class Summaries:
    """The households of a list, rendered page by page: the pagination slices the query, not
    a list of every household; each page served is recorded in the access log."""

    def __init__(self, request, households):
        self.request, self.households = request, households

    def __len__(self) -> int:
        return self.households.count()

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        page = [_summary(h, self.request) for h in self.households[part]]
        log_view(self.request.user, f"API households {logged_query(self.request.GET)}",
                 rows=len(page))
        return page


@api.get("/households/{code}", response=HouseholdOut, tags=["households"])
def read_household(request, code: str):
    household = _household(request, code)
    log_view(request.user, f"API household {code}")
    return _detail(household, request)


@api.get("/households/{code}/members", response=list[MemberOut], tags=["households"])
def read_members(request, code: str):
    household = _household(request, code)
    log_view(request.user, f"API members of {code}")
    return _detail(household, request)["members"]


def _commune(request, code: str) -> AdministrativeUnit:
    commune = editable_communes(request.user).get(code)
    if commune is None:
        raise HttpError(403, _("You may not enter households for this commune."))
    return commune


def _save(household: Household, data: HouseholdIn, request) -> None:
    """Write the household and its members; any rule broken is a 400 with every message.
    An ID number sent back masked, as it was read, is the one stored for that member."""
    stored = {m.position: m.id_number for m in household.members.all()
              if m.left_on is None} if household.pk else {}
    sees_ids = household.pk is None or disclosure(request.user).allows(
        May.SEE_ID_NUMBERS, household)
    values = data.model_dump(exclude={"members", "commune", "code", "version"})
    for name, value in values.items():
        setattr(household, name, value)
    errors: list[str] = []
    try:
        household.clean()
    except ValidationError as error:
        errors += error.messages
    members = []
    for item in data.members:
        fields = item.model_dump()
        try:
            fields["id_number"] = id_number_sent_back(
                fields["id_number"], stored.get(item.position, ""), sees_ids)
        except ValidationError as error:
            errors += [f"members[{item.position}]: {m}" for m in error.messages]
            fields["id_number"] = ""
        member = Member(household=household, **fields)
        try:
            member.clean()
        except ValidationError as error:
            errors += [f"members[{item.position}]: {m}" for m in error.messages]
        members.append(member)
    record = household.to_record(dt.date.today(), household.commune.province_code, members)
    errors += [e for e in contract.validate_household(record)
               if not (e.startswith("income") and not record["income"])]
    if errors:
        raise HttpError(400, "; ".join(errors))
    household.save()
    # replaced, never deleted; those who left earlier keep their date
    household.members.filter(left_on=None).update(left_on=dt.date.today())
    for member in members:
        member.household = household
        member.save()


@api.post("/households", response={201: HouseholdOut}, tags=["households"])
@transaction.atomic
def create_household(request, data: HouseholdIn):
    commune = _commune(request, data.commune)
    # A new code begins with its commune's code: whether a code of another commune exists
    # is then never asked, so never answered (a 409 would tell it).
    if not data.code.startswith(f"{commune.code}-"):
        raise HttpError(400, _("A household created through the API has a code beginning "
                               "with its commune's code: %(prefix)s…") % {
                                   "prefix": f"{commune.code}-"})
    if Household.objects.filter(code=data.code).exists():
        raise HttpError(409, _("This household code is already taken."))
    household = Household(code=data.code, commune=commune)
    _save(household, data, request)
    return Status(201, _detail(household, request))


@api.put("/households/{code}", response=HouseholdOut, tags=["households"])
@transaction.atomic
def update_household(request, code: str, data: HouseholdUpdate):
    household = _household(request, code)
    if not has_role_for(request.user, household.commune, HOUSEHOLD_EDITORS):
        raise HttpError(403, _("You may not change this household."))
    if data.code != household.code or data.commune != household.commune.code:
        raise HttpError(400, _("The household code and the commune cannot be changed "
                               "through the API."))
    current = Household.objects.select_for_update().get(pk=household.pk)
    if current.version != data.version:
        raise HttpError(409, _("Someone else saved this household meanwhile; read it again."))
    household.version = current.version + 1
    _save(household, data, request)
    return _detail(Household.objects.get(pk=household.pk), request)


@api.post("/classify", response={200: dict, 400: dict}, tags=["classification"])
def classify(request, record: Body[dict[str, Any]], standard: str | None = None,
             lang: Literal["vi", "en"] = "vi"):
    """Classify a household record (docs/record-format.md); 400 with the record's errors."""
    try:
        result = classify_record(record, standard_id=standard, lang=lang)
    except KeyError:
        raise HttpError(400, _("Unknown poverty standard %(id)s.") % {"id": standard}) from None
    return Status(400 if result.get("errors") else 200, result)


class EntryOut(Schema):
    household: str
    classification: str
    poor_group: str
    deprivations: list[str]
    taken_off: str = Field(description="why the household was taken off the review (moved, "
                                        "died, merged, split, not_surveyed), else empty: "
                                        "its classification is then no decision")


@api.get("/reviews/{review_id}/results", response=list[EntryOut], tags=["reviews"])
@paginate(Pages, page_size=200)
def review_results(request, review_id: int):
    review = scoped_reviews(request.user).filter(pk=review_id).first()
    if review is None:
        raise HttpError(404, _("No such review in your area."))
    if not disclosure(request.user).on_unit(May.READ, review.commune):
        raise HttpError(403, _("Your role reads the figures, not the households."))
    return [{"household": code, "classification": classification, "poor_group": group,
             "deprivations": deprivations.split(), "taken_off": taken_off}
            for code, classification, group, deprivations, taken_off in review.entries.order_by(
                "household__code").values_list("household__code", "classification",
                                               "poor_group", "deprivations",
                                               "withdrawn_because")]


class IndicatorsOut(Schema):
    unit: str
    year: int = Field(description="the year of the lists (the annual review held the year "
                                  "before)")
    households: int = Field(description="every household registered and living in the area "
                                        "on the date of the lists, without a decision included")
    by_status: dict[str, int] = Field(
        description="households by status: poor, near_poor, average, not_poor, undecided")
    undecided: int = Field(description="households without a decision, shown apart")
    poor_rate: float | None = Field(description="poor ÷ households, in %")
    near_poor_rate: float | None = Field(description="near-poor ÷ households, in %")
    poor_deprived_in: dict[str, int] = Field(
        description="poor households deprived in each indicator")


@api.get("/indicators", response=IndicatorsOut, tags=["indicators"])
def indicators(request, unit: str = Query(..., max_length=12),
               year: int = Query(..., ge=2000, le=2100)):
    """Households of an area (a province, district or commune GSO code) by their status in
    the lists of a year, with the poverty rates of every page and report (one definition:
    ``giamngheo.figures.Headcount``), and the deprivations of its poor households."""
    found = list(AdministrativeUnit.objects.filter(code=unit, pk__in=visible_units(request.user)))
    if not found:
        raise HttpError(404, _("No such unit in your area."))
    # a code reused after a merger names two units (26134: Phú Lập until 30/06/2025, then
    # today's Tà Lài, formed from it): the one in force on the lists' first day, else the
    # latest, never both (the older one would be counted twice)
    lists_day = dt.date(year, 1, 1)
    chosen = max(found, key=lambda u: (u.is_valid_on(lists_day), u.valid_from or dt.date.min))
    figures = add(f for f in [area_figures(chosen, year)] if f is not None)
    line = headcount(figures)
    return {"unit": unit, "year": year, "households": line.households,
            "by_status": {k: int(v) for k, v in (figures.get("households") or {}).items()},
            "undecided": line.undecided,
            "poor_rate": round(line.poor_rate, 2) if line.poor_rate is not None else None,
            "near_poor_rate": round(line.near_poor_rate, 2)
            if line.near_poor_rate is not None else None,
            "poor_deprived_in": {code: int(count(figures, "deprived", "poor", code))
                                 for code in indicators_of(figures, current_lang())}}


class TrendPoint(Schema):
    year: int
    value: float | None


class TargetOut(Schema):
    target: str
    label: str
    method: str = Field(description="computed from the registry, or entered by officers")
    comparison: str = Field(description=">=, >, <=, < or reduce_by_pct")
    goal: float = Field(description="the area's assigned target, else the plan's")
    actual: float | None
    baseline: float | None = Field(description="for reduce_by_pct: the count at the start")
    unknown: int = Field(description="households (persons) whose answer is not known: a "
                                     "target with unknowns is never met")
    state: str = Field(description="met, near (within 5 points of the goal), not_met, or "
                                   "unknown (no figure, or unknown answers): as the dashboard "
                                   "and the reports word it")
    met: bool | None = Field(description="the state met (true), unknown (null), else false")
    light: str = Field(description="the state's colour: green, amber, red or grey")
    trend: list[TrendPoint]


@api.get("/targets", response=list[TargetOut], tags=["indicators"])
def targets(request, unit: str = Query(..., max_length=12),
            year: int = Query(..., ge=2000, le=2100)):
    """Progress of the plan's targets for an area (GSO code) in a year, measured on the
    annual review held in it (the lists of the next year), as the dashboard shows them."""
    units = AdministrativeUnit.objects.filter(code=unit, pk__in=visible_units(request.user))
    chosen = max(units, key=lambda u: u.valid_from or dt.date.min, default=None)
    if chosen is None:
        raise HttpError(404, _("No such unit in your area."))
    lang = current_lang()
    return [{"target": p.target.id, "label": label(p.target.label, lang),
             "method": p.target.method, "comparison": p.target.comparison,
             "goal": p.target.value, "actual": p.actual, "baseline": p.baseline,
             "unknown": p.unknown, "state": p.state, "met": p.met, "light": p.light,
             "trend": [{"year": y, "value": v} for y, v in p.trend]}
            for p in target_progress(chosen, year)]
