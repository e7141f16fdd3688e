"""Security by test: login throttling, password rules, session expiry, CSRF on every form,
a Content-Security-Policy without inline code, the access log of personal data, and no
personal data in the application's logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Role
from giamngheo.web.households.models import Household
from giamngheo.web.middleware import DropQueryStrings

from .factories import users_with_roles

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_logins_are_throttled(client, area):
    _district, _commune, officer = area
    officer.set_password("dung-mat-khau-2025")
    officer.save()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, officer.username, "sai-mat-khau").status_code == 200
    assert log_in(client, officer.username, "sai-mat-khau").status_code == 429  # the 5th
    locked = log_in(client, officer.username, "dung-mat-khau-2025")  # even the right one
    assert locked.status_code == 429 and "Quá nhiều lần đăng nhập sai" in locked.content.decode()
    other = Client()  # another user name is not locked
    User.objects.create_user("khac", password="mat-khau-khac-2025")
    assert log_in(other, "khac", "mat-khau-khac-2025").status_code == 302


@pytest.mark.parametrize("password, message", [
    ("ngan", "quá ngắn"), ("1234567890123", "hoàn toàn là số"), ("password123", "quá phổ biến")])
def test_weak_passwords_are_refused(monkeypatch, password, message):
    monkeypatch.setenv("GIAMNGHEO_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("createadmin", "quantri")
    assert not User.objects.filter(username="quantri").exists()
    monkeypatch.setenv("GIAMNGHEO_ADMIN_PASSWORD", "Tân-Phú-quản-trị-2025")
    call_command("createadmin", "quantri")
    assert User.objects.get(username="quantri").is_superuser


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, area):
    _district, _commune, officer = area
    officer.set_password("dung-mat-khau-2025")
    officer.save()
    response = log_in(client, officer.username, "dung-mat-khau-2025")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["httponly"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expire_at_browser_close()


def test_every_form_needs_its_csrf_token(area):
    _district, commune, officer = area
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    posts = [reverse("households:new"), reverse("program:tasks"), reverse("support:list"),
             reverse("exchange:upload"), reverse("reviews:list"), reverse("logout"),
             reverse("program:activities"), reverse("reviews:requests")]
    for url in posts:
        assert client.post(url, {"code": "X"}).status_code == 403, url


def test_pages_carry_a_strict_content_security_policy(client, area):
    _district, _commune, officer = area
    client.force_login(officer)
    for url in (reverse("households:list"), reverse("reports:dashboard"), "/api/docs"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy and response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html), url
        assert "cdn." not in html, url  # the API docs come from our own static files


def test_no_template_has_inline_script_or_style():
    """What the policy forbids is not written: the PDF report's template aside (WeasyPrint
    reads it, no browser does)."""
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "report.html":
            continue
        text = path.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+=", text), path  # onclick= and the like


def test_viewing_personal_data_is_logged(client, area):
    _district, _commune, officer = area
    client.force_login(officer)
    client.get(reverse("households:detail", args=["TL-1"]))
    client.get(reverse("households:list"), {"q": "Chủ hộ"})
    views = list(AccessLog.objects.filter(user=officer, action="view").order_by("at"))
    assert [v.what for v in views] == ["household TL-1", "household list q=Ch%E1%BB%A7+h%E1%BB%99"]
    assert views[1].rows == 4


def test_personal_data_stays_out_of_the_logs(client, area, caplog):
    district, _commune, officer = area
    household = Household.objects.get(code="TL-1")
    head = household.members.get(position=1)
    head.id_number = "075080001234"
    head.save()
    monitor = users_with_roles(district, Role.MONITOR)[Role.MONITOR]
    caplog.set_level(logging.DEBUG)
    client.force_login(monitor)
    for query in (head.full_name, head.id_number):
        client.get(reverse("households:list"), {"q": query})
        client.get("/api/households", {"q": query})
    client.get(reverse("households:detail", args=["TL-404"]))  # a 404 is logged
    client.post(reverse("households:edit", args=["TL-1"]), {"address": head.full_name})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Not Found" in logged  # something was logged ...
    assert head.full_name not in logged and head.id_number not in logged  # ... not them


def test_request_lines_lose_their_query_string():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /households/?q=Nguy%E1%BB%85n+V%C4%83n+A HTTP/1.1",
                                "200", "512"), None)
    DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET /households/ HTTP/1.1" 200 512'


def test_errors_are_the_applications_own_pages(client, area):
    """With debug off (production, the demo) every error is the application's Vietnamese
    page, never Django's (a list of the URL patterns, a traceback, "Bad Request (400)"): an
    unknown host, refused before anyone is logged in, too."""
    _district, commune, _officer = area
    monitor = users_with_roles(commune, Role.MONITOR)[Role.MONITOR]
    client.force_login(monitor)
    for response, status, title in (
            (client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang"),
            (client.get(reverse("households:detail", args=["TL-404"])), 404,
             "Không tìm thấy trang"),
            (client.get(reverse("exchange:upload")), 403, "Không được phép"),
            (client.get(reverse("households:list"), HTTP_HOST="evil.example.com"), 400,
             "Yêu cầu không hợp lệ")):
        shown = response.content.decode()
        assert response.status_code == status and title in shown, (status, shown[:300])
        assert "Về trang đầu" in shown and "URLconf" not in shown
