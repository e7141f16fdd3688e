"""Entering and correcting a household in a real browser (Debian Chromium): a commune officer
on a laptop and a surveyor on a 390 px phone enter a 4-person household on one page, correct
it, save it untouched, and the record is identical; a refused save shows every problem at
the top and beside its field; without JavaScript a member is still added on the same page;
on the phone nothing scrolls sideways, the header is small and every control is big enough
for a finger. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from giamngheo.web.accounts.models import Assignment, Role
from giamngheo.web.households.models import Household, Member

from .conftest import SHOTS, fill_form, log_in, open_menu

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = [  # name, relation, sex, typed date of birth, ID number, health insurance
    ("Điểu Văn Lâm", "head", "male", "02/03/1980", "075080012345", "true"),
    ("Ka Hoa", "spouse", "female", "1982-07-09", "075182004321", "false"),
    ("K' Sang", "child", "male", "15/08/2008", "075208001122", "true"),
    ("Ka Nhi", "child", "female", "01/06/2016", "", ""),
]
PHONE = {"width": 390, "height": 844}
# what a finger needs: every control (or the label that carries it) at least 44 px high
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main input:not([type=hidden]), main select, main button, main textarea, main summary')]
  .filter(el => el.getBoundingClientRect().height > 0 && !el.closest('template')
                && !el.classList.contains('default-submit'))
  .map(el => {
    const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
    const height = Math.max(el.getBoundingClientRect().height,
                            label ? label.getBoundingClientRect().height : 0);
    return [el.name || el.id || el.textContent.trim(), Math.round(height)];
  }).filter(([name, height]) => height < 44)"""


@pytest.fixture
def team(todays_place):
    commune, hamlet = todays_place
    for name, role in (("canbo", Role.COMMUNE_OFFICER), ("rasoat", Role.SURVEYOR)):
        user = User.objects.create_user(name, password="mat-khau-demo",
                                        first_name=f"Người dùng {name}")
        Assignment.objects.create(user=user, role=role, unit=commune)
    return commune, hamlet


def stored(code: str):
    """The household and its members as saved, and the size of their history."""
    household = Household.objects.get(code=code)
    values = {f.attname: getattr(household, f.attname)
              for f in Household._meta.concrete_fields if f.attname != "updated"}
    members = list(household.members.order_by("position").values())
    return values, members, household.history.count(), \
        Member.history.filter(household_id=household.pk).count()


def layout_is_phone_first(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    assert header < 0.15 * PHONE["height"], header
    assert page.evaluate(SMALL_TARGETS) == []


def fill_member(page, n: int, person) -> None:
    name, relation, sex, birth, id_number, insured = person
    fill_form(page, {f"members-{n}-{field}": value for field, value in (
        ("full_name", name), ("relation", relation), ("sex", sex), ("birth_date", birth),
        ("id_number", id_number), ("health_insurance", insured),
        ("employment", "student" if relation == "child" else "self_employed"))})


@pytest.mark.parametrize("width, user", [(1366, "canbo"), (390, "rasoat")])
def test_a_four_person_household_entered_corrected_and_saved_untouched(
        live_server, team, browser, width, user):
    commune, hamlet = team
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
    log_in(page, base, user)
    open_menu(page)
    page.click("header nav >> text=Thêm hộ")
    code = page.input_value("#id_code")
    assert re.fullmatch(r"26134-\d{4}", code)  # proposed per commune, editable
    fill_form(page, {
        "hamlet": str(hamlet.pk), "address": "Tổ 4", "income_monthly_per_capita": "1.100.000 đ",
        "has_dwelling": "true", "walls": "durable", "frame": "non_durable", "roof": "durable",
        "floor_area_m2": "38,5", "water_source": "drilled_well", "latrine": "semi_septic",
        "uses_internet": "true", "devices": ["smartphone", "tv"]})
    fill_member(page, 0, PEOPLE[0])
    for n, person in enumerate(PEOPLE[1:], start=1):
        page.click("#add-member")  # the script adds the form in place
        expect(page.locator("#member-forms fieldset.member")).to_have_count(n + 1)
        expect(page.locator(f"[name=members-{n}-full_name]")).to_be_focused()
        fill_member(page, n, person)
    assert page.url.endswith("/households/new/")  # all on one page, nothing posted yet
    if width == 390:
        layout_is_phone_first(page)
        page.screenshot(path=SHOTS / "household-new-390.png")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("h1")).to_contain_text(code)
    expect(page.locator("ul.messages")).to_contain_text("Đã lưu.")
    household = Household.objects.get(code=code)
    assert household.income_monthly_per_capita == 1_100_000
    assert household.devices == ["tv", "smartphone"]
    assert [(m.position, m.full_name, m.birth_date) for m in household.members.all()] == [
        (1, "Điểu Văn Lâm", dt.date(1980, 3, 2)), (2, "Ka Hoa", dt.date(1982, 7, 9)),
        (3, "K' Sang", dt.date(2008, 8, 15)), (4, "Ka Nhi", dt.date(2016, 6, 1))]
    assert household.members.get(position=4).health_insurance is None  # not recorded

    # a correction: the spouse got her health insurance card, the household a phone
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.fill("#id_phone", "0912 345 678")
    page.select_option("[name=members-1-health_insurance]", "true")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("Đã lưu.")
    history = page.locator("#history")
    expect(history).to_contain_text("Điện thoại: — → 0912 345 678")
    expect(history).to_contain_text("Thành viên Ka Hoa: sửa")
    expect(history).to_contain_text("Có thẻ BHYT: không → có")
    expect(history).to_contain_text("Người dùng " + user)
    history.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"household-history-{width}.png", full_page=width > 500)
    if width == 390:
        layout_is_phone_first(page)
    corrected = stored(code)

    # saved untouched: identical, no history, no new version
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.wait_for_url("**/edit/")
    expect(page.locator("fieldset.member")).to_have_count(4)  # one member per card
    if width == 390:
        layout_is_phone_first(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("Không có thay đổi nào; không cần lưu.")
    assert stored(code) == corrected
    if width == 390:
        page.goto(f"{base}/households/")
        layout_is_phone_first(page)
    page.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_refused_save_lists_every_problem_and_leads_to_its_field(live_server, team, browser,
                                                                   width):
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
    log_in(page, base, "canbo")
    page.goto(f"{base}/households/new/")
    page.fill("#id_income_monthly_per_capita", "1,500,000")
    fill_member(page, 0, ("Điểu Văn Lâm", "head", "male", "02/03/1980", "0750800123456", "true"))
    page.click("#add-member")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    fill_member(page, 1, ("Ka Hoa", "head", "female", tomorrow, "", "false"))
    page.get_by_role("button", name="Lưu", exact=True).click()
    summary = page.locator("#errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Chưa lưu")
    expect(summary).to_contain_text(
        "Thành viên 1 — Số CCCD: Số CCCD có đúng 12 chữ số; đã nhập 13 chữ số.")
    expect(summary).to_contain_text("Thành viên 2 — Ngày sinh: Ngày sinh sau ngày hôm nay.")
    expect(summary).to_contain_text("Mỗi hộ chỉ có một chủ hộ")
    assert page.input_value("#id_members-0-id_number") == "0750800123456"  # kept whole
    assert page.input_value("#id_members-1-birth_date") == tomorrow
    assert not Household.objects.exists()
    page.screenshot(path=SHOTS / f"household-form-errors-{width}.png")
    summary.locator("a", has_text="Ngày sinh").click()
    expect(page.locator("#id_members-1-birth_date")).to_be_focused()
    expect(page.locator("#member-2")).to_contain_text("Ngày sinh sau ngày hôm nay.")
    page.screenshot(path=SHOTS / f"household-form-error-at-field-{width}.png")
    page.close()


def test_without_javascript_a_member_is_added_by_posting_the_page(live_server, team,
                                                                  browser):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    log_in(page, base, "rasoat")
    page.goto(f"{base}/households/new/")
    fill_member(page, 0, PEOPLE[0])
    page.fill("#id_address", "Tổ 7")
    page.click("#add-member")  # a plain submit: the page comes back with one more member
    expect(page.locator("fieldset.member")).to_have_count(2)
    expect(page.locator("#id_members-1-full_name")).to_be_focused()  # the page comes back there
    assert page.input_value("#id_members-0-full_name") == "Điểu Văn Lâm"
    assert page.input_value("#id_address") == "Tổ 7"
    expect(page.locator("#errors")).to_have_count(0)
    fill_member(page, 1, PEOPLE[1])
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("Đã lưu.")
    assert Household.objects.get().members.count() == 2
    context.close()
