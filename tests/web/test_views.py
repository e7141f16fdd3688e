"""Pages by role: who gets 200, 302 (to log in) or 404, what each sees, ID numbers masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.households.models import Household, Member
from giamngheo.web.reviews.models import Review
from giamngheo.web.units.loading import load_units_file
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db
HEAD_ID = "075080001234"


@pytest.fixture
def world():
    load_units_file()
    ta_lai = Unit.objects.get(level="commune", code="26131")
    dak_lua = Unit.objects.get(level="commune", code="26119", valid_from__isnull=True)
    households = {}
    for code, commune in (("TL-1", ta_lai), ("DL-1", dak_lua)):
        h = Household.objects.create(code=code, commune=commune, area="rural",
                                     has_dwelling=None, income_monthly_per_capita=1_000_000,
                                     uses_internet=False, devices=[])
        Member.objects.create(household=h, position=1, full_name=f"Nguyễn Văn {code}",
                              id_number=HEAD_ID, relation="head",
                              birth_date=dt.date(1980, 5, 1), sex="male",
                              health_insurance=False, employment="unemployed",
                              education="primary", in_education=False, disability="none",
                              unable_to_work=False)
        households[code] = h
    users = {}
    for name, role, unit in (("officer", Role.COMMUNE_OFFICER, ta_lai),
                             ("monitor", Role.MONITOR, ta_lai),
                             ("surveyor", Role.SURVEYOR, ta_lai),
                             ("province", Role.AREA_OFFICER, Unit.objects.get(level="province")),
                             ("elsewhere", Role.COMMUNE_OFFICER, dak_lua)):
        users[name] = User.objects.create_user(name, password="pw")
        Assignment.objects.create(user=users[name], role=role, unit=unit)
    review = Review.objects.create(commune=ta_lai, kind="periodic", period_year=2025,
                                   reference_date=dt.date(2024, 10, 15),
                                   standard_id="vn-2022-2025", opened_by=users["officer"])
    return households, users, review


def urls(households, review):
    return {
        "list": reverse("households:list"),
        "ta_lai": reverse("households:detail", args=["TL-1"]),
        "dak_lua": reverse("households:detail", args=["DL-1"]),
        "reviews": reverse("reviews:list"),
        "review": reverse("reviews:detail", args=[review.pk]),
        "new": reverse("households:new"),
        "edit": reverse("households:edit", args=["TL-1"]),
        "lists": reverse("reviews:lists", args=[review.pk]),
        "requests": reverse("reviews:requests"),
        "summary": reverse("households:summary", args=[review.commune_id]),
        "import": reverse("exchange:upload"),
        "template": reverse("exchange:template"),
        "xlsform": reverse("exchange:xlsform"),
        "tables": reverse("reports:review_tables") + f"?unit={review.commune_id}&year=2025",
        "certificates": reverse("reviews:certificates", args=[review.pk]),
        "dashboard": reverse("reports:dashboard"),
        "ta_lai_dashboard": reverse("reports:dashboard") + f"?unit={review.commune_id}",
        "plan": reverse("program:overview"),
        "activities": reverse("program:activities"),
        "models": reverse("program:models"),
        "tasks": reverse("program:tasks"),
        "support": reverse("support:list"),
        "eligible": reverse("support:eligible") + f"?unit={review.commune_id}",
    }


# lists and certificates exist once the review is closed; certificates are personal data
READ = {"list": 200, "reviews": 200, "lists": 404, "requests": 200, "certificates": 404,
        "summary": 200, "import": 200, "template": 200, "xlsform": 200,
        "tables": 404,  # no closed review yet: the page says so
        "dashboard": 200, "ta_lai_dashboard": 200, "plan": 200, "activities": 200,
        "models": 200, "tasks": 200, "support": 200, "eligible": 200}
# The world's communes ended on 30/06/2025 and a new household lives in a commune in force
# today: their editors may correct the households on record, not add one ("new": 403).
EXPECTED = {  # user → status of each URL
    "officer": {**READ, "ta_lai": 200, "dak_lua": 404, "review": 200, "new": 403, "edit": 200},
    "monitor": {**READ, "ta_lai": 200, "dak_lua": 404, "review": 200, "new": 403, "edit": 403,
                "certificates": 403, "import": 403},
    "surveyor": {**READ, "ta_lai": 200, "dak_lua": 404, "review": 200, "new": 403, "edit": 200,
                 "certificates": 403},
    "province": {**READ, "ta_lai": 200, "dak_lua": 200, "review": 200, "new": 403, "edit": 403,
                 "import": 403},
    "elsewhere": {**READ, "ta_lai": 404, "dak_lua": 200, "review": 404, "new": 403,
                  "edit": 404, "summary": 404, "ta_lai_dashboard": 404, "eligible": 404},
}


def test_every_url_with_every_role(client, world):
    households, users, review = world
    addresses = urls(households, review)
    for name, url in addresses.items():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    for user, expected in EXPECTED.items():
        client.force_login(users[user])
        got = {name: client.get(url).status_code for name, url in addresses.items()}
        assert got == expected, user


def test_lists_show_only_the_users_area_and_mask_id_numbers(client, world):
    households, users, review = world
    client.force_login(users["monitor"])
    page = client.get(reverse("households:list")).content.decode()
    assert "TL-1" in page and "DL-1" not in page
    assert "075******234" in page and HEAD_ID not in page
    client.force_login(users["officer"])
    page = client.get(reverse("households:list"), {"q": HEAD_ID}).content.decode()
    assert HEAD_ID in page and "TL-1" in page


def test_the_household_page_explains_the_classification(client, world):
    households, users, review = world
    client.force_login(users["officer"])
    page = client.get(reverse("households:detail", args=["TL-1"]),
                      {"on": "2024-10-15"}).content.decode()
    assert '<span class="badge poor">Hộ nghèo</span>' in page
    assert "Thành viên 1 (44 tuổi) không có thẻ BHYT" in page
    assert "Bảo hiểm y tế" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("households:detail", args=["TL-1"]),
                      {"on": "2024-10-15"}).content.decode()
    assert "member 1 (aged 44) has no health insurance" in page


def test_vietnamese_whatever_the_browser_asks_until_english_is_chosen(client, world):
    households, users, review = world
    client.force_login(users["officer"])
    page = client.get(reverse("households:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi" and "Chủ hộ" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("households:list"), HTTP_ACCEPT_LANGUAGE="vi")
    assert page["Content-Language"] == "en" and "Head of household" in page.content.decode()


def test_the_admin_never_deletes_registry_records(client, world):
    households, users, review = world
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    household = households["TL-1"]
    assert client.get(reverse("admin:households_household_delete",
                              args=[household.pk])).status_code == 403
    assert client.get(reverse("admin:households_household_change",
                              args=[household.pk])).status_code == 200


def test_a_nul_character_in_the_address_is_a_bad_request(client, world):
    households, users, review = world
    client.force_login(users["officer"])
    assert client.get("/households/TL\x001/").status_code == 400
    assert client.get(reverse("households:list"), {"status": "poor\x00"}).status_code == 400
    assert client.get(reverse("households:list"), {"status": "bogus"}).status_code == 200


def test_the_menu_offers_import_only_to_those_who_may(client, world):
    households, users, review = world
    import_url = reverse("exchange:upload")
    client.force_login(users["officer"])
    assert import_url in client.get(reverse("households:list")).content.decode()
    client.force_login(users["monitor"])
    assert import_url not in client.get(reverse("households:list")).content.decode()
