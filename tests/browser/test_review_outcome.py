"""A review's outcome in a real browser (Debian Chromium, Playwright), on a laptop and a phone
screen: the officer takes off the household the surveyors could not complete, the chair closes
the review, reopens it to correct the decision's number and date, closes it again and prints a
certificate with the corrected decision; the commune's poverty rate then reads the same on the
lists page, the commune summary and the dashboard. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.households.models import Household
from giamngheo.web.reviews.models import Step

from ..web.factories import make_household, run_review
from .conftest import SHOTS, log_in, open_menu
from .test_main_path import press

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_decision(place):
    """An annual review of Tà Lài at the chair's step: 2 poor, 1 near-poor, 2 not poor and
    one household whose data could not be completed."""
    commune, hamlet = place
    for name, role in (("canbo", Role.COMMUNE_OFFICER), ("chutich", Role.COMMUNE_CHAIR)):
        user = User.objects.create_user(name, password="mat-khau-demo")
        Assignment.objects.create(user=user, role=role, unit=commune)
    households = [make_household(commune, hamlet, code, income, deprived)
                  for code, income, deprived in (
                      ("TL-1", 1_000_000, True), ("TL-2", 1_100_000, True),
                      ("TL-3", 1_400_000, False), ("TL-4", 5_000_000, False),
                      ("TL-5", 6_000_000, False), ("TL-6", 1_000_000, True))]
    Household.objects.filter(code="TL-6").update(has_dwelling=None, uses_internet=None,
                                                 water_source="")
    households[-1].members.update(health_insurance=None, employment="")
    officer = User.objects.get(username="canbo")
    review = run_review(commune, hamlet, officer, 2024, households, until=Step.DECISION)
    return commune, review


def rate_in(text: str) -> str:
    return re.search(r"\d+,\d\d", text).group(0)


@pytest.mark.parametrize("width", [1366, 390])
def test_close_correct_the_decision_and_read_the_same_rate_on_three_pages(
        live_server, at_decision, browser, width):  # noqa: F811
    commune, review = at_decision
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, base, "canbo")
    page.goto(f"{base}/reviews/{review.pk}/")
    expect(page.locator("#warnings")).to_contain_text("1 hộ trong danh sách chưa có kết quả")
    row = page.locator("#households tr", has_text="TL-6")
    row.locator("summary", has_text="Đưa ra khỏi rà soát").click()
    row.locator("select[name=reason]").select_option("not_surveyed")
    row.locator("input[name=on]").fill("2024-11-30")
    row.locator("textarea[name=note]").fill("Cả hộ đi làm ăn xa, chưa khảo sát được")
    row.get_by_role("button", name="Đưa ra khỏi kỳ rà soát").click()
    expect(page.locator("main")).to_contain_text("Đã đưa hộ TL-6 ra khỏi kỳ rà soát.")
    expect(page.locator("#warnings")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"review-taken-off-{width}.png", full_page=True)
    open_menu(page)
    press(page, "Đăng xuất")

    log_in(page, base, "chutich")
    page.goto(f"{base}/reviews/{review.pk}/")
    press(page, "Kết thúc kỳ rà soát")
    expect(page.locator("#actions h2")).to_contain_text("Đã kết thúc")
    page.fill("#reason", "Số quyết định ghi nhầm")
    press(page, "Mở lại đợt rà soát")
    expect(page.locator("main")).to_contain_text("Đợt rà soát đã được mở lại.")
    page.fill("#id_number", "31/QĐ-UBND")
    page.fill("#id_signed_on", "12/12/2024")
    page.fill("#decision-reason", "Số và ngày quyết định ghi nhầm")
    press(page, "Lưu điều chỉnh")
    expect(page.locator("#decision")).to_contain_text("Số 31/QĐ-UBND ngày 12/12/2024")
    press(page, "Kết thúc kỳ rà soát")
    page.locator("#decision summary").click()
    expect(page.locator("#decision")).to_contain_text("Số và ngày quyết định ghi nhầm")
    press(page, "Cấp giấy chứng nhận cho các hộ được công nhận")
    page.screenshot(path=SHOTS / f"review-corrected-{width}.png", full_page=True)

    page.goto(f"{base}/reviews/{review.pk}/lists/")
    page.locator("a", has_text="giấy chứng nhận").first.click()
    expect(page.locator(".sheet")).to_have_count(1)
    expect(page.locator(".sheet")).to_contain_text("31/QĐ-UBND")
    expect(page.locator(".sheet")).to_contain_text("12/12/2024")
    page.go_back()
    lists = page.locator("tr.total").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"review-lists-{width}.png", full_page=True)
    page.goto(f"{base}/households/communes/{commune.pk}/")
    summary = page.locator("tr.total").inner_text()
    page.screenshot(path=SHOTS / f"review-summary-{width}.png", full_page=True)
    page.goto(f"{base}/reports/dashboard/?unit={commune.pk}&year=2024")
    dashboard = page.locator("#communes tbody tr", has_text=commune.name).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"review-dashboard-{width}.png", full_page=True)
    # 2 poor of 6 households (the one without a decision counted, apart): 33,33%
    assert "33,33" in lists and "33,33" in summary and "33,33" in dashboard
    assert rate_in(lists) == rate_in(summary) == "33,33"
    page.close()
    assert review.decision.history.count() == 2 and dt.date(2024, 12, 12) == \
        type(review).objects.get(pk=review.pk).decision.signed_on
