"""The browser (Debian's Chromium, never a downloaded one), logging in, the phone's menu,
and the web tests' area (a district with closed annual reviews) for the browser tests too."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.web.conftest import area  # noqa: F401  (a fixture, used by name)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def log_in(page, base, username, password="mat-khau-demo"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/households/**")


def open_menu(page):
    """On a phone the menu is behind its button."""
    if page.locator("label.menu-button").is_visible():
        page.click("label.menu-button")


def fill_form(page, values: dict) -> None:
    """Fill fields by name as a person does: type into a text field, choose in a list, tick
    the boxes of a group (a list of values)."""
    for name, value in values.items():
        if isinstance(value, list):
            for ticked in value:
                page.check(f"input[name={name}][value={ticked}]")
        elif page.locator(f"[name={name}]").evaluate("e => e.tagName") == "SELECT":
            page.select_option(f"[name={name}]", value)
        else:
            page.fill(f"[name={name}]", value)
