"""The analysis pages in a real browser (Debian Chromium), on a laptop and a phone screen: a
commune officer tries the 2027 standard on a closed review, makes a support plan, the chair
accepts it and the household shows the planned support. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.analysis import jobs
from giamngheo.web.reviews.models import Review

from .conftest import SHOTS, log_in, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officers(area, monkeypatch):
    district, commune, _ = area
    # the plan's background thread runs at once: the page is then ready when it is shown
    monkeypatch.setattr(jobs, "start", lambda target, plan_id, lang: target(plan_id, lang))
    for name, role in (("canbo", Role.COMMUNE_OFFICER), ("chutich", Role.COMMUNE_CHAIR)):
        user = User.objects.create_user(name, password="mat-khau-demo")
        Assignment.objects.create(user=user, role=role, unit=commune)
    return commune


@pytest.mark.parametrize("width", [1366, 390])
def test_whatif_and_support_plan(live_server, officers, browser, width):
    commune = officers
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, base, "canbo")
    review = Review.objects.filter(commune=commune, step="closed").latest("reference_date")
    page.goto(f"{base}/reviews/{review.pk}/")
    page.click("text=Mô phỏng chuẩn nghèo khác")
    page.select_option("select[name=standard]", "vn-2027-2030")
    page.get_by_role("button", name="So sánh").click()
    expect(page.locator("h2", has_text="Ma trận chuyển đổi")).to_be_visible()
    # never wider than the screen, the standards' names in the headings included
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"analysis-whatif-{width}.png")
    open_menu(page)
    page.click("header nav >> text=Phân tích")
    page.click(f"text=Lập kế hoạch hỗ trợ cho {commune.name}")
    page.fill("#id_budget_provincial", "5.000.000")
    page.get_by_role("button", name="Tính kế hoạch").click()
    expect(page.locator("#households")).to_contain_text(
        "Hộ TL-1: 3 → 2 thiếu hụt nếu có dịch vụ internet (1.200.000 đ)")
    page.screenshot(path=SHOTS / f"analysis-plan-{width}.png", full_page=True)
    plan_url = page.url
    open_menu(page)
    page.click("text=Đăng xuất")
    log_in(page, base, "chutich")
    page.goto(plan_url)
    page.get_by_role("button", name="Phê duyệt: ghi các khoản hỗ trợ dự kiến").click()
    expect(page.locator("ul.messages")).to_contain_text("Đã ghi 1 khoản hỗ trợ dự kiến")
    page.goto(f"{base}/households/TL-1/")
    expect(page.locator("main")).to_contain_text(f"dự kiến năm {date.today().year + 1}")
    page.close()
