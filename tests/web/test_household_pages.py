"""Entering a household with its members, seeing it classified; two officers at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.households.models import Household
from giamngheo.web.units.loading import load_units_file
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    load_units_file()
    # a new household lives in a commune in force today: today's Xã Tà Lài (1 July 2025)
    return Unit.objects.get(level="commune", code="26134", valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def officer(commune):
    user = User.objects.create_user("officer", password="pw")
    Assignment.objects.create(user=user, role=Role.COMMUNE_OFFICER, unit=commune)
    return user


def management(prefix="members", total=1, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def new_household(commune, **changes):
    data = {
        "code": "TL-NEW-1", "commune": commune.pk, "area": "rural", "address": "Ấp 4",
        "income_monthly_per_capita": "1200000", "has_dwelling": "true", "walls": "durable",
        "frame": "non_durable", "roof": "non_durable", "floor_area_m2": "20",
        "water_source": "piped", "latrine": "septic", "uses_internet": "false",
        "devices": ["tv"],
        "members-0-position": "1", "members-0-full_name": "K' Brơi", "members-0-relation": "head",
        "members-0-birth_date": "1985-03-02", "members-0-sex": "male",
        "members-0-id_number": "075085012345", "members-0-employment": "self_employed",
        "members-0-health_insurance": "false", "members-0-education": "primary",
        "members-0-in_education": "false", "members-0-disability": "none",
        "members-0-unable_to_work": "false",
        **management(),
    }
    data.update(changes)
    return data


def test_enter_a_household_and_see_it_classified_with_reasons(client, commune, officer):
    client.force_login(officer)
    response = client.post(reverse("households:new"), new_household(commune))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"], {"on": "2024-10-15"}).content.decode()
    assert '<span class="badge poor">Hộ nghèo</span>' in page
    assert "Chất lượng nhà ở: 2 trong 3 kết cấu chính (khung, mái)" in page
    assert "Thành viên 1 (39 tuổi) không có thẻ BHYT" in page
    household = Household.objects.get(code="TL-NEW-1")
    assert household.members.get().full_name == "K' Brơi"
    assert household.history.first().history_user == officer


def test_errors_show_next_to_the_field_in_vietnamese_and_keep_the_input(client, commune,
                                                                        officer):
    client.force_login(officer)
    response = client.post(reverse("households:new"), new_household(
        commune, **{"members-0-id_number": "075185012345"}))  # 1 = a woman: he is a man
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chữ số thứ 4 không khớp với giới tính." in page
    assert re.search(r'value="K&#(x27|39); Brơi"', page)  # the input kept, escaped
    assert not Household.objects.exists()


def test_the_second_of_two_officers_is_told_and_shown_the_difference(client, commune,
                                                                     officer):
    client.force_login(officer)
    client.post(reverse("households:new"), new_household(commune))
    household = Household.objects.get()
    member = household.members.get()
    edit = reverse("households:edit", args=[household.code])
    saved = {**new_household(commune), "version": "1", **management(initial=1),
             "members-0-id": member.pk, "members-0-household": household.pk}
    first = client.post(edit, {**saved, "phone": "0912345678"})
    assert first.status_code == 302
    second = client.post(edit, {**saved, "phone": "0987654321"})
    page = second.content.decode()
    assert "Người khác đã lưu hộ này sau khi bạn mở trang" in page
    assert "0912345678" in page and "0987654321" in page
    household.refresh_from_db()
    assert household.phone == "0912345678" and household.version == 2


def test_a_monitor_cannot_edit(client, commune):
    monitor = User.objects.create_user("monitor", password="pw")
    Assignment.objects.create(user=monitor, role=Role.MONITOR, unit=commune)
    client.force_login(monitor)
    assert client.get(reverse("households:new")).status_code == 403


def test_a_household_leaves_with_a_reason_and_a_date(client, commune, officer):
    client.force_login(officer)
    client.post(reverse("households:new"), new_household(commune))
    household = Household.objects.get()
    member = household.members.get()
    edit = reverse("households:edit", args=[household.code])
    saved = {**new_household(commune), "version": "1", **management(initial=1),
             "members-0-id": member.pk, "members-0-household": household.pk}
    page = client.post(edit, {**saved, "status": "moved"}).content.decode()
    assert "Cần ghi ngày hộ ra khỏi danh sách." in page
    assert client.post(edit, {**saved, "status": "moved", "left_on": "2025-02-01"}) \
        .status_code == 302
    household.refresh_from_db()
    assert household.status == "moved" and Household.objects.count() == 1
