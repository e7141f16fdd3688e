"""The main path in a real browser (Debian Chromium driven by Playwright), on a laptop and a
phone screen: a commune officer enters a household, sees it classified with its reasons, runs
the review to the chair's decision, and finds the household on the poor list. Screenshots go to
artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from giamngheo.web.accounts.models import Assignment, Role

from .conftest import SHOTS, fill_form, log_in, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(todays_place):
    commune, hamlet = todays_place
    for name, role in (("canbo", Role.COMMUNE_OFFICER), ("chutich", Role.COMMUNE_CHAIR)):
        user = User.objects.create_user(name, password="mat-khau-demo")
        Assignment.objects.create(user=user, role=role, unit=commune)
    return commune, hamlet


def menu(page, name):
    open_menu(page)
    page.click(f"header nav >> text={name}")


def finish_step(page):
    press(page, "Hoàn thành bước này")


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


@pytest.mark.parametrize("width", [1366, 390])
def test_officer_and_chair_main_path(live_server, people, browser, width):
    commune, hamlet = people
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, base, "canbo")
    page.click("main >> text=Thêm hộ")
    fill_form(page, {
        "code": f"TL-{width}", "commune": str(commune.pk), "hamlet": str(hamlet.pk),
        "area": "rural", "income_monthly_per_capita": "1100000", "has_dwelling": "true",
        "walls": "durable", "frame": "non_durable", "roof": "non_durable",
        "floor_area_m2": "18", "water_source": "unprotected_dug_well", "latrine": "septic",
        "uses_internet": "true", "devices": ["smartphone"]})
    fill_form(page, {f"members-0-{field}": value for field, value in (
        ("full_name", "Ka Hoa"), ("birth_date", "12/04/1990"), ("id_number", "075190004321"),
        ("relation", "head"), ("sex", "female"), ("employment", "unemployed"),
        ("health_insurance", "true"), ("education", "upper_secondary"),
        ("in_education", "false"), ("disability", "none"), ("unable_to_work", "false"))})
    press(page, "Lưu")
    expect(page.locator("h1")).to_contain_text(f"TL-{width}")
    expect(page.locator(".badge.poor").first).to_have_text("Hộ nghèo")
    expect(page.locator("main")).to_contain_text(
        "Nguồn nước sinh hoạt: nguồn nước sinh hoạt chính (giếng đào không được bảo vệ) không "
        "hợp vệ sinh")
    page.screenshot(path=SHOTS / f"household-{width}.png", full_page=True)

    menu(page, "Rà soát")
    page.select_option("#id_commune", str(commune.pk))
    page.select_option("#id_kind", "periodic")
    page.fill("#id_period_year", "2026")
    page.fill("#id_reference_date", "15/10/2025")
    press(page, "Mở")
    press(page, "Đưa tất cả các hộ của xã vào danh sách")
    finish_step(page)
    press(page, "Phân loại các hộ trong danh sách")
    expect(page.locator("main")).to_contain_text("Đã phân loại 1 hộ")
    finish_step(page)
    page.select_option("#id_hamlet", str(hamlet.pk))
    page.fill("#id_held_on", "20/10/2025")
    page.fill("#id_chaired_by", "Trưởng ấp 4")
    page.fill("#id_attendees", "40")
    page.fill("#id_agreed", "31")
    press(page, "Ghi nhận cuộc họp")
    finish_step(page)
    page.fill("#id_start", "2025-10-21")
    page.fill("#id_end", "2025-10-24")
    press(page, "Ghi nhận việc niêm yết")
    page.fill("#id_household", f"TL-{width}")
    page.fill("#id_filed_on", "2025-10-22")
    page.fill("#id_filed_by", "Ông Điểu Lâm")
    page.fill("#id_content", "Hộ có xe máy mới")
    press(page, "Ghi nhận khiếu nại")
    page.fill("input[name=rechecked_on]", "23/10/2025")
    page.fill("textarea[name=finding]", "Xe máy mượn của người thân; giữ nguyên kết quả")
    press(page, "Ghi kết quả phúc tra")
    expect(page.locator("#complaints")).to_contain_text("Hộ nghèo → Hộ nghèo")
    finish_step(page)
    finish_step(page)  # consultation of the level above
    page.screenshot(path=SHOTS / f"review-officer-{width}.png", full_page=True)
    open_menu(page)
    press(page, "Đăng xuất")

    log_in(page, base, "chutich")
    menu(page, "Rà soát")
    page.click("main table a")
    page.fill("#id_number", "25/QĐ-UBND")
    page.fill("#id_signed_on", "01/11/2025")
    page.fill("#id_signed_by", "Lê Minh Tâm")
    press(page, "Ghi nhận quyết định")
    press(page, "Kết thúc kỳ rà soát")
    expect(page.locator("main")).to_contain_text("Đã kết thúc")
    page.screenshot(path=SHOTS / f"review-closed-{width}.png", full_page=True)
    press(page, "Cấp giấy chứng nhận cho các hộ được công nhận")
    page.click("text=In giấy chứng nhận")
    expect(page.locator("h1")).to_have_text("GIẤY CHỨNG NHẬN HỘ NGHÈO")
    expect(page.locator(".sheet")).to_contain_text("Ka Hoa")
    page.screenshot(path=SHOTS / f"certificate-{width}.png", full_page=True)
    page.goto(f"{base}/households/communes/{commune.pk}/")
    expect(page.locator("tr.total")).to_contain_text("Tổng cộng")
    page.screenshot(path=SHOTS / f"commune-summary-{width}.png", full_page=True)

    page.goto(f"{base}/households/?status=poor")
    expect(page.locator("main table")).to_contain_text(f"TL-{width}")
    page.screenshot(path=SHOTS / f"poor-list-{width}.png", full_page=True)
    page.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_district_officer_follows_the_plan(live_server, area, browser, width):
    district, commune, officer = area
    officer.set_password("mat-khau-demo")
    officer.save()
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, base, officer.username)
    menu(page, "Bảng điều khiển")
    page.select_option("select[name=year]", "2024")
    press(page, "Xem")
    expect(page.locator("#targets svg.bar .goal")).to_have_count(10)  # the goal on each
    expect(page.locator("#communes")).to_contain_text(commune.name)
    expect(page.locator("#targets")).to_contain_text("không đạt")
    page.screenshot(path=SHOTS / f"dashboard-{width}.png", full_page=True)
    menu(page, "Kế hoạch")
    page.click("text=Nhiệm vụ")
    press(page, "Thêm các nhiệm vụ của kế hoạch (mục VI) cho địa bàn này")
    expect(page.locator("main")).to_contain_text("nhiệm vụ quá hạn")
    page.screenshot(path=SHOTS / f"tasks-{width}.png", full_page=True)
    page.goto(f"{base}/support/eligible/?unit={district.pk}&benefit=water")
    expect(page.locator("main table")).to_contain_text("TL-1")
    page.screenshot(path=SHOTS / f"eligible-{width}.png", full_page=True)
    page.close()
