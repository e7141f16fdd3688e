"""``giamngheo demo`` for real, as a visitor (a penetration tester among them) meets it: its
own Vietnamese error pages, never Django's debug pages (a traceback, every URL pattern), yet
a local demo over plain http on 127.0.0.1: no redirect to HTTPS, cookies that are not
secure-only, a secret key made once in its data folder, the static files served."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from giamngheo.web.demo import DEMO_PASSWORD
from tests.web.servers import Browser, alive, free_port, request

ROOT = Path(__file__).parents[2]


def test_the_demo_shows_its_own_pages_over_plain_http(tmp_path):
    port = free_port()
    env = {**os.environ, "GIAMNGHEO_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           # the static files collected once for every test server (staticfiles.py)
           "GIAMNGHEO_STATIC_ROOT": str(ROOT / "var" / "test-static")}
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "GIAMNGHEO_DEBUG",
                 "GIAMNGHEO_SECRET_KEY"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "giamngheo", "demo", "--households", "200", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # the demo is built first (a minute or two)
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                if request(f"{base}/accounts/login/").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the demo did not start"
            time.sleep(0.2)
        # plain http, no proxy in front: served as asked, never redirected to https
        assert request(f"{base}/accounts/login/").status == 200
        browser = Browser(base, f"127.0.0.1:{port}")
        login = browser.open("/accounts/login/")
        page = login.read().decode()
        assert login.status == 200 and "Strict-Transport-Security" not in login.headers
        cookie = login.headers["Set-Cookie"]
        assert "csrftoken" in cookie and "Secure" not in cookie
        css = re.search(r'href="(/static/giamngheo\.[0-9a-f]{12}\.css)"', page).group(1)
        assert browser.open(css).status == 200  # whitenoise, debug off
        logged_in = browser.log_in("mttq.talai", DEMO_PASSWORD)
        assert logged_in.status == 302 and logged_in.headers["Location"] == "/"
        assert "Secure" not in logged_in.headers["Set-Cookie"]  # the session, over http
        assert browser.open("/households/").status == 200
        for path, status, title in (("/reviews/999999/", 404, "Không tìm thấy trang"),
                                    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
                                    ("/exchange/import/", 403, "Không được phép")):
            response = browser.open(path)
            shown = response.read().decode()
            assert response.status == status and title in shown, (path, shown[:500])
            assert "URLconf" not in shown and "Traceback" not in shown
            assert "giamngheo.web.urls" not in shown and "DEBUG = True" not in shown
        forged = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": "forged"})
        shown = forged.read().decode()
        assert forged.status == 403 and "Không gửi được biểu mẫu" in shown
        assert "CSRF verification failed" not in shown
        key = tmp_path / "secret_key"
        assert len(key.read_text()) >= 32 and key.stat().st_mode & 0o077 == 0
    finally:
        process.send_signal(signal.SIGTERM)  # the worker beside it ends with it
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert not alive(process.pid)
