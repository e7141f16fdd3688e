"""Today's story in a real browser (Debian Chromium, Playwright), on a laptop and a phone
screen: on the demo of 1 December 2026, the officer of today's Xã Tà Lài (formed on 1 July
2025) finds the open 2026 annual review under the 2027-2030 standard among the reviews of
the communes Tà Lài was formed from, and continues it from the survey to classification;
the figures the page shows are the review's. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from giamngheo.web.demo import DEMO_PASSWORD, build_demo
from giamngheo.web.reviews.models import Review, Step
from giamngheo.web.reviews.questions import missing_answers

from .conftest import SHOTS, log_in
from .test_main_path import menu, press

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_review():
    build_demo(households=400)
    return Review.objects.get(commune__code="26134", commune__valid_from=dt.date(2025, 7, 1),
                              period_year=2027, kind="periodic")


@pytest.mark.parametrize("width", [1366, 390])
def test_todays_ta_lai_officer_continues_the_2026_review_to_classification(
        live_server, open_review, browser, width):
    review = open_review
    assert (review.step, review.standard_id) == (Step.SURVEY, "vn-2027-2030")
    listed = review.entries.count()
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, base, "canbo.talai", DEMO_PASSWORD)
    menu(page, "Rà soát")
    rows = page.locator("main table tbody tr")
    # the history of the territory, read only: old Tà Lài, Phú Lập and Phú Thịnh's reviews
    expect(rows.filter(has_text="Xã Phú Lập (đến 30/06/2025)")).to_have_count(3)
    page.screenshot(path=SHOTS / f"todays-reviews-talai-{width}.png", full_page=True)
    row = rows.filter(has_text="Khảo sát, chấm điểm")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Rà soát định kỳ năm 2026 (danh sách năm 2027)").click()
    expect(page.locator("h1")).to_have_text(
        "Rà soát định kỳ năm 2026 (danh sách năm 2027) — Xã Tà Lài")
    expect(page.locator("main")).to_contain_text("Chuẩn nghèo đa chiều 2027-2030")
    expect(page.locator("#warnings")).to_contain_text(
        f"{listed} hộ trong danh sách chưa có kết quả")
    [waste] = missing_answers(review)  # the 2027-2030 standard's new question
    lacking = waste.households.count()
    expect(page.locator("#missing-answers")).to_contain_text(
        f"{lacking} hộ cần trả lời câu hỏi về")

    press(page, "Phân loại các hộ trong danh sách")
    expect(page.locator("main")).to_contain_text(f"Đã phân loại {listed} hộ.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"todays-review-classified-{width}.png")
    review.refresh_from_db()
    assert review.step == Step.SURVEY  # classified; the officer finishes the step later
    counts = {c: review.entries.filter(classification=c, withdrawn_because="").count()
              for c in ("poor", "near_poor")}
    assert counts["poor"] > 0
    results = page.locator("section.card", has=page.get_by_role("heading", name="Kết quả",
                                                                 exact=True))
    expect(results.locator("li", has_text="Hộ nghèo")).to_contain_text(str(counts["poor"]))
    expect(results.locator("li", has_text="Hộ cận nghèo")).to_contain_text(
        str(counts["near_poor"]))
    # a household whose missing answers could change its result has no decision: shown,
    # never dropped; the households to ask stay listed until answered
    undecided = review.undecided_entries().count()
    if undecided:
        expect(page.locator("#warnings")).to_contain_text(f"{undecided} hộ trong danh sách")
    expect(page.locator("#missing-answers")).to_contain_text(f"{lacking} hộ cần trả lời")
    page.close()
