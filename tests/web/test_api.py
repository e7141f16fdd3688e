"""The REST API: tokens, the same area scoping and roles as the pages, households read and
written with their members, the classification of a posted record, review results,
indicators; bad requests are 4xx with a message."""

from __future__ import annotations

import json

import pytest

from giamngheo.web.accounts.models import Role
from giamngheo.web.api.models import ApiToken
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Step
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db
HEAD = {"position": 1, "full_name": "Điểu Thị Mai", "id_number": "075190004321",
        "relation": "head", "birth_date": "1990-04-12", "sex": "female",
        "employment": "self_employed", "health_insurance": False,
        "education": "upper_secondary", "in_education": False, "disability": "none",
        "unable_to_work": False}
NEW = {"code": "26131-500", "commune": "26131", "area": "rural", "has_dwelling": True,
       "walls": "durable", "frame": "durable", "roof": "durable", "floor_area_m2": 40,
       "water_source": "piped", "latrine": "septic", "uses_internet": True,
       "devices": ["smartphone"], "income_monthly_per_capita": 1_200_000, "members": [HEAD]}


@pytest.fixture
def world(place):
    commune, hamlet = place
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from=None)
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.MONITOR)
    users["elsewhere"] = users_with_roles(dak_lua, Role.SURVEYOR)[Role.SURVEYOR]
    keys = {name: ApiToken.issue(user, "test")[1] for name, user in users.items()}
    poor = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    poor.members.update(id_number="075080001234")
    make_household(dak_lua, None, "DL-1", 1_000_000, deprived=True)
    return commune, hamlet, users, keys, poor


def call(client, method, path, key=None, body=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    if body is not None:
        return getattr(client, method)(path, data=body if isinstance(body, str)
                                       else json.dumps(body),
                                       content_type="application/json", **headers)
    return getattr(client, method)(path, params, **headers)


def test_a_token_is_needed_and_a_revoked_one_refused(client, world):
    *_rest, users, keys, _poor = world
    assert call(client, "get", "/api/households").status_code == 401
    assert call(client, "get", "/api/households", "not-a-key").status_code == 401
    ApiToken.objects.filter(user=users[Role.MONITOR]).update(revoked=True)
    assert call(client, "get", "/api/households", keys[Role.MONITOR]).status_code == 401
    assert client.get("/api/openapi.json").json()["info"]["title"] == "GiảmNghèo API"
    assert client.get("/api/docs").status_code == 200


def test_lists_are_scoped_and_id_numbers_masked(client, world):
    *_rest, keys, _poor = world
    page = call(client, "get", "/api/households", keys[Role.COMMUNE_OFFICER]).json()
    assert page["count"] == 1 and page["items"][0]["code"] == "TL-1"
    assert page["items"][0]["head_id_number"] == "075080001234"
    page = call(client, "get", "/api/households", keys[Role.MONITOR]).json()
    assert page["items"][0]["head_id_number"] == "075******234"
    assert call(client, "get", "/api/households/DL-1", keys[Role.MONITOR]).status_code == 404
    page = call(client, "get", "/api/households", keys["elsewhere"], q="TL-1").json()
    assert page["count"] == 0
    detail = call(client, "get", "/api/households/TL-1", keys[Role.MONITOR]).json()
    assert detail["members"][0]["id_number"] == "075******234"
    assert detail["water_source"] == "surface_water"


def test_create_and_update_a_household_with_its_members(client, world):
    *_rest, users, keys, _poor = world
    key = keys[Role.COMMUNE_OFFICER]
    response = call(client, "post", "/api/households", key, NEW)
    assert response.status_code == 201, response.content
    household = Household.objects.get(code="26131-500")
    assert household.members.get().full_name == "Điểu Thị Mai"
    assert call(client, "post", "/api/households", key, NEW).status_code == 409
    changed = {**NEW, "version": 1, "income_monthly_per_capita": 2_000_000,
               "members": [HEAD, {**HEAD, "position": 2, "full_name": "K' Bình",
                                  "id_number": "", "relation": "child",
                                  "birth_date": "2015-09-03", "sex": "male",
                                  "employment": "", "in_education": True,
                                  "school_level": "primary", "education": "primary"}]}
    response = call(client, "put", "/api/households/26131-500", key, changed)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and len(response.json()["members"]) == 2
    assert household.members.count() == 3  # the replaced member is kept, as having left
    assert call(client, "put", "/api/households/26131-500", key, changed).status_code == 409
    assert household.history.count() == 2


@pytest.mark.parametrize("change, status", [
    ({"members": [HEAD, HEAD | {"position": 2, "id_number": ""}]}, 400),  # two heads
    ({"members": [HEAD | {"id_number": "075090004321"}]}, 400),  # 4th digit says male
    ({"income_monthly_per_capita": 1, "income_annual_total": 12}, 400),  # two incomes
    ({"water_source": "rain_barrel"}, 422),
    ({"income_monthly_per_capita": "nhiều"}, 422),
    ({"members": []}, 422),
    ({"commune": "26119"}, 403),  # another commune
])
def test_bad_households_are_refused_with_a_message(client, world, change, status):
    *_rest, keys, _poor = world
    response = call(client, "post", "/api/households", keys[Role.COMMUNE_OFFICER],
                    NEW | change)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not Household.objects.filter(code="26131-500").exists()


def test_bad_json_and_readers_writing(client, world):
    *_rest, keys, _poor = world
    response = call(client, "post", "/api/households", keys[Role.COMMUNE_OFFICER], "{bad")
    assert response.status_code == 400
    assert call(client, "post", "/api/households", keys[Role.MONITOR], NEW).status_code == 403


def test_classify_a_posted_record(client, world):
    *_rest, keys, _poor = world
    record = {"id": "HH-1", "reference_date": "2024-10-15", "area": "rural",
              "income": {"monthly_per_capita": 1_350_000},
              "members": [{"id": "1", "relation": "head", "birth_date": "1980-01-01",
                           "sex": "male", "health_insurance": False}]}
    response = call(client, "post", "/api/classify", keys[Role.MONITOR], record)
    assert response.status_code == 200 and response.json()["classification"] in (
        "poor", "near_poor", "incomplete")
    response = call(client, "post", "/api/classify", keys[Role.MONITOR], {"id": 3})
    assert response.status_code == 400 and response.json()["errors"]


def test_review_results_and_indicators(client, world):
    commune, hamlet, users, keys, poor = world
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, [poor],
                        until=Step.CLOSED)
    results = call(client, "get", f"/api/reviews/{review.pk}/results",
                   keys[Role.MONITOR]).json()
    assert results["items"][0]["household"] == "TL-1"
    assert "water" in results["items"][0]["deprivations"]
    assert call(client, "get", f"/api/reviews/{review.pk}/results",
                keys["elsewhere"]).status_code == 404
    figures = call(client, "get", "/api/indicators", keys[Role.MONITOR], unit="26131",
                   year=2025).json()
    assert figures["by_status"] == {"poor": 1} and figures["poor_deprived_in"]["water"] == 1
    assert (figures["households"], figures["undecided"], figures["poor_rate"]) == (1, 0, 100.0)
    assert call(client, "get", "/api/indicators", keys[Role.MONITOR], unit="26119",
                year=2025).status_code == 404
    # the targets of 2024 are measured on the review held in 2024 (the lists of 2025)
    progress = {t["target"]: t for t in call(client, "get", "/api/targets", keys[Role.MONITOR],
                                             unit="26131", year=2024).json()}
    water = progress["hygienic_water"]
    assert (water["actual"], water["goal"], water["met"], water["light"]) == (0.0, 95.0, False,
                                                                            "red")
    assert water["trend"] == [{"year": 2024, "value": 0.0}] and water["unknown"] == 0
    assert progress["officers_trained"]["method"] == "entered"
    assert progress["officers_trained"]["actual"] is None
    assert call(client, "get", "/api/targets", keys[Role.MONITOR], unit="26119",
                year=2024).status_code == 404


def test_text_the_database_cannot_store_is_bad_input_not_a_server_error(client, world):
    *_rest, keys, _poor = world
    key = keys[Role.COMMUNE_OFFICER]
    response = call(client, "post", "/api/households", key, NEW | {"address": "Tổ\x003"})
    assert response.status_code == 422
    lone_surrogate = json.dumps(NEW, ensure_ascii=False).replace("Điểu Thị Mai", "\\ud800")
    assert call(client, "post", "/api/households", key, lone_surrogate).status_code == 422
    assert call(client, "get", "/api/households/TL\x001", key).status_code == 400
    assert call(client, "get", "/api/households", key, commune="26\x00131").status_code == 400
    assert call(client, "get", "/api/indicators", key, unit="26\x00", year=2025).status_code \
        == 400
    assert Household.objects.filter(code="26131-500").count() == 0


def test_the_record_fields_types_are_their_declarations():
    """The API's household and member schemas take each record field as record.py declares
    it: its vocabulary's codes ("" for not recorded unless required), null for an unanswered
    question, false for an absent exception flag, a date, declared bounds."""
    from giamngheo import record
    from giamngheo.web.api.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    names = {**{f.path: (f.column if f.group == "income" else f.name)
                for f in record.HOUSEHOLD_FIELDS if f.group != "household" or f.path == "area"},
             **{f.path: f.name for f in record.MEMBER_FIELDS if f.name != "id"}}
    assert len(names) == 28
    for path, name in names.items():
        f = record.field(path)
        schema = schemas["MemberIn" if f.group == "member" else "HouseholdIn"]
        prop = schema["properties"][name]
        types = [t for t in prop.get("anyOf", [prop])]
        if f.kind == "enum":
            assert types[0]["enum"] == list(f.codes if f.required else ("", *f.codes)), path
            assert (name in schema["required"]) == f.required, path
        elif f.kind == "enum_list":
            assert types[0]["items"]["enum"] == list(f.codes), path
        elif f.kind == "bool":
            assert types[0]["type"] == "boolean", path
            assert prop.get("default") is (False if f.flag else None), path
        elif f.kind in ("integer", "number"):
            assert types[0]["type"] == f.kind and types[0]["minimum"] == f.minimum, path
        elif f.kind == "date":
            assert prop["format"] == "date" and name in schema["required"], path
