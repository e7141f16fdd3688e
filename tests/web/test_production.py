"""Production mode, for real: ``giamngheo serve`` refuses DEBUG and a missing secret key,
``check --deploy`` passes, and gunicorn serves the pages over (proxied) HTTPS with secure
cookies, HSTS, the CSP and the static files from whitenoise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .servers import alive, request, serving

HOST = "giamngheo.example.vn"
KEY = "k" * 20 + "-this-is-a-test-secret-key-only-for-tests"


ROOT = Path(__file__).parents[2]


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {**os.environ, "GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY": KEY,
           "GIAMNGHEO_ALLOWED_HOSTS": HOST, "GIAMNGHEO_DATA_DIR": str(tmp_path),
           # the static files collected once for every test server (collected again only if
           # a source changed: staticfiles.py)
           "GIAMNGHEO_STATIC_ROOT": str(ROOT / "var" / "test-static")}
    env.pop("DATABASE_URL", None)  # its own SQLite database
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    env.update(extra)
    return env


def giamngheo(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "giamngheo", *args], env=env,
                          capture_output=True, text=True, **kwargs)


def test_serve_refuses_debug_and_a_missing_secret_key(tmp_path):
    debug = giamngheo(production_env(tmp_path, GIAMNGHEO_DEBUG="1"), "serve")
    assert debug.returncode == 2 and "GIAMNGHEO_DEBUG phải là 0" in debug.stderr
    env = production_env(tmp_path)
    del env["GIAMNGHEO_SECRET_KEY"]
    keyless = giamngheo(env, "serve")
    assert keyless.returncode == 2 and "cần đặt GIAMNGHEO_SECRET_KEY" in keyless.stderr
    # the settings themselves refuse too, whatever starts them
    settings = giamngheo(env, "manage", "check")
    assert settings.returncode != 0 and "cần đặt GIAMNGHEO_SECRET_KEY" in settings.stderr
    demo = giamngheo(production_env(tmp_path, GIAMNGHEO_DEMO="1"), "serve", timeout=120)
    assert demo.returncode == 2 and "GIAMNGHEO_DEMO chỉ dành cho bản chạy thử" in demo.stderr


def test_one_rule_says_how_the_application_runs(tmp_path):
    """A developer's checkout, the local demo (debug off, plain http, its own key kept in its
    data folder) or production (HTTPS, a real key), from one rule (environment.mode)."""
    from giamngheo.web.environment import DEV_SECRET_KEY, EnvironmentValueError, mode

    assert mode({}, tmp_path) == (checkout := mode({"GIAMNGHEO_DEBUG": "1"}, tmp_path))
    assert checkout.debug and not checkout.https and checkout.secret_key == DEV_SECRET_KEY
    demo = mode({"GIAMNGHEO_DEMO": "1"}, tmp_path / "demo")
    assert not demo.debug and not demo.https and len(demo.secret_key) >= 32
    assert mode({"GIAMNGHEO_DEMO": "yes", "GIAMNGHEO_DEBUG": "0"}, tmp_path / "demo") == demo
    assert (tmp_path / "demo" / "secret_key").stat().st_mode & 0o077 == 0
    assert mode({"GIAMNGHEO_DEMO": "1"}, tmp_path / "other").secret_key != demo.secret_key
    production = mode({"GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY": KEY}, tmp_path)
    assert not production.debug and production.https and production.secret_key == KEY
    for refused in ({"GIAMNGHEO_DEBUG": "0"}, {"GIAMNGHEO_DEMO": "1", "GIAMNGHEO_DEBUG": "1"},
                    {"GIAMNGHEO_DEMO": "maybe"}):
        with pytest.raises(EnvironmentValueError):
            mode(refused, tmp_path)


def test_the_deployment_check_passes(tmp_path):
    done = giamngheo(production_env(tmp_path), "manage", "check", "--deploy",
                     "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def fetch(url, **headers):
    return request(url, headers={"Host": HOST, **headers})


def test_gunicorn_serves_the_application(tmp_path):
    env = production_env(tmp_path)
    assert giamngheo(env, "manage", "migrate", "--verbosity", "0").returncode == 0
    with serving(env) as server:
        base = server.base
        plain = fetch(f"{base}/accounts/login/")
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
        page = fetch(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        html = page.read().decode()
        assert page.status == 200 and "Đăng nhập" in html
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        assert "no-store" in page.headers["Cache-Control"]
        cookie = page.headers["Set-Cookie"]
        assert "csrftoken" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        css = re.search(r'href="(/static/giamngheo\.[0-9a-f]{12}\.css)"', html).group(1)
        static = fetch(f"{base}{css}", **{"X-Forwarded-Proto": "https"})
        assert static.status == 200 and "immutable" in static.headers["Cache-Control"]
        unknown_host = fetch(f"{base}/accounts/login/", Host="evil.example.com",
                             **{"X-Forwarded-Proto": "https"})
        assert unknown_host.status == 400
        worker = server.worker()  # the worker runs beside gunicorn
        assert len(server.web()) == 3  # the master and its 2 workers
    assert re.search(r'"GET /accounts/login/ HTTP/1.1" 200', server.log)  # the access log
    deadline = time.monotonic() + 30  # and ends with it
    while alive(worker):
        assert time.monotonic() < deadline, "the worker outlived the server"
        time.sleep(0.05)


def test_static_files_are_collected_once_per_content(tmp_path, settings):
    """serve starts in seconds: the static files are collected again only when one changed
    (a source's content, not its date)."""
    from giamngheo.web.staticfiles import collect_static

    settings.STATIC_ROOT = tmp_path / "static"
    source = tmp_path / "sources"
    source.mkdir()
    (source / "extra.css").write_text("p { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, source]
    assert collect_static()
    collected = tmp_path / "static" / "extra.css"
    written = collected.stat().st_mtime_ns
    assert not collect_static() and collected.stat().st_mtime_ns == written
    (source / "extra.css").write_text("p { color: black; }")  # touched, same content
    assert not collect_static()
    (source / "extra.css").write_text("p { color: navy; }")
    assert collect_static() and "navy" in collected.read_text()


def test_settings_refuse_values_they_do_not_understand(tmp_path):
    on = giamngheo(production_env(tmp_path, GIAMNGHEO_DEBUG="true"), "serve")
    assert on.returncode == 2 and "GIAMNGHEO_DEBUG phải là 0" in on.stderr  # true is on
    for name, value in (("GIAMNGHEO_DEBUG", "có"), ("GIAMNGHEO_PROXIES", "nginx"),
                        ("GIAMNGHEO_JOB_MEMORY_MB", "2GB")):
        served = giamngheo(production_env(tmp_path, **{name: value}), "serve")
        assert served.returncode != 0 and f"{name}='{value}' không hiểu được" in \
            served.stderr, (name, served.stderr)
        checked = giamngheo(production_env(tmp_path, **{name: value}), "manage", "check")
        assert checked.returncode != 0 and f"{name}='{value}' không hiểu được" in \
            checked.stderr, (name, checked.stderr)
