"""Support given to households, and the eligibility lists: who should get a benefit of
docs/rules.md §8 and has not (from the latest closed review and the support recorded since)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household
from giamngheo.web.support.eligibility import eligible, windows_closing
from giamngheo.web.support.models import Support

from .factories import users_with_roles

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 3, 1)


def test_recording_support(client, area):
    district, commune, officer = area
    client.force_login(officer)
    url = reverse("support:list") + f"?unit={commune.pk}&year=2025"
    data = {"code": "TL-1", "member_position": "1", "kind": "health_insurance_card",
            "given_on": "2025-01-10", "amount": "1.105.650", "source": "provincial"}
    assert "Hộ không có thành viên mang số thứ tự này." in client.post(
        url, {**data, "member_position": "7"}).content.decode()
    assert "Chỉ ghi hỗ trợ đã cấp" in client.post(
        url, {**data, "given_on": "2099-01-01"}).content.decode()
    assert client.post(url, data).status_code == 302
    support = Support.objects.get()
    assert (support.amount, support.member.position) == (1_105_650, 1)
    # the kind's usual deprivation and project, unless chosen
    assert (support.addresses, support.project) == ("health_insurance", "other")
    page = client.get(url).content.decode()
    assert "Thẻ bảo hiểm y tế" in page and "1.105.650 đ" in page
    monitor = users_with_roles(district, Role.MONITOR)[Role.MONITOR]
    client.force_login(monitor)
    assert client.post(url, data).status_code == 403
    assert "Ghi hỗ trợ đã cấp" not in client.get(url).content.decode()  # no form offered


def test_who_lacks_a_health_insurance_card(area):
    district, commune, officer = area
    communes = district.communes()
    lacking = {(e.household.code, e.member.position) for e in
               eligible("health_insurance_card", communes, ON)}
    # TL-1 (poor), DL-1 (poor) have an uninsured head; TL-3 (near-poor) is insured
    assert {("TL-1", 1), ("DL-1", 1)} <= lacking and ("TL-3", 1) not in lacking
    # TL-2 escaped poverty on the lists of 2025: continued benefits, insured as poor
    Household.objects.get(code="TL-2").members.update(health_insurance=False)
    escaped = [e for e in eligible("health_insurance_card", communes, ON)
               if e.household.code == "TL-2"]
    assert escaped and escaped[0].status == "newly_escaped" and escaped[0].months_left > 0
    head = Household.objects.get(code="TL-1").members.get(position=1)
    Support.objects.create(household=head.household, member=head,
                           kind="health_insurance_card", given_on=ON, recorded_by=officer)
    after = {(e.household.code, e.member.position) for e in
             eligible("health_insurance_card", communes, ON)}
    assert ("TL-1", 1) not in after and ("DL-1", 1) in after


def test_households_lacking_water_and_windows_closing(client, area):
    district, _commune, officer = area
    communes = district.communes()
    water = {e.household.code for e in eligible("water", communes, ON)}
    assert water == {"TL-1", "DL-1"}  # poor households without hygienic water
    decided = dt.date(2024, 12, 10)  # the decision of the lists of 2025
    closing = windows_closing(communes, decided + dt.timedelta(days=22 * 31))
    assert [(e.household.code, e.months_left) for e in closing] == [("TL-2", 2)]
    assert windows_closing(communes, ON) == []  # 21 months left: not yet
    client.force_login(officer)
    page = client.get(reverse("support:eligible"), {"unit": district.pk, "benefit": "water"})
    assert "TL-1" in page.content.decode() and "DL-1" in page.content.decode()
    assert client.get(reverse("support:eligible"),
                      {"unit": district.pk, "benefit": "bogus"}).status_code == 404


def test_the_support_and_eligibility_lists_download_as_xlsx_for_exporting_roles(client, area):
    import fastexcel

    from giamngheo.web.accounts.models import AccessLog

    district, commune, officer = area
    Support.objects.create(household=Household.objects.get(code="TL-1"), kind="housing",
                           given_on=dt.date(2025, 2, 1), amount=40_000_000, source="provincial",
                           recorded_by=officer)
    client.force_login(officer)
    response = client.get(reverse("support:list_xlsx"), {"unit": commune.pk, "year": 2025})
    book = fastexcel.read_excel(response.content)
    assert book.sheet_names == ["Hỗ trợ đã cấp"]
    rows = book.load_sheet("Hỗ trợ đã cấp", header_row=4).to_polars()
    assert rows.row(0)[1] == "TL-1" and rows.row(0)[5] == 40_000_000  # a number
    response = client.get(reverse("support:eligible_xlsx"),
                          {"unit": commune.pk, "benefit": "water"})
    rows = fastexcel.read_excel(response.content).load_sheet(0, header_row=4).to_polars()
    assert rows.row(0)[0] == "TL-1" and rows.row(0)[3] == "Chủ hộ TL-1"
    assert AccessLog.objects.filter(user=officer, action="export").count() == 2
    client.force_login(users_with_roles(district, Role.MONITOR)[Role.MONITOR])
    assert client.get(reverse("support:eligible_xlsx"),
                      {"unit": commune.pk, "benefit": "water"}).status_code == 403
