"""Production mode, for real: ``giamngheo serve`` refuses DEBUG and a missing secret key,
``check --deploy`` passes, and gunicorn serves the pages over (proxied) HTTPS with secure
cookies, HSTS, the CSP and the static files from whitenoise."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "giamngheo.example.vn"
KEY = "k" * 20 + "-this-is-a-test-secret-key-only-for-tests"


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {**os.environ, "GIAMNGHEO_DEBUG": "0", "GIAMNGHEO_SECRET_KEY": KEY,
           "GIAMNGHEO_ALLOWED_HOSTS": HOST, "GIAMNGHEO_DATA_DIR": str(tmp_path)}
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
    assert settings.returncode != 0 and "GIAMNGHEO_SECRET_KEY must be set" in settings.stderr


def test_the_deployment_check_passes(tmp_path):
    done = giamngheo(production_env(tmp_path), "manage", "check", "--deploy",
                     "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_gunicorn_serves_the_application(tmp_path):
    env = production_env(tmp_path)
    assert giamngheo(env, "manage", "migrate", "--verbosity", "0").returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "giamngheo", "serve", "--bind",
                               f"127.0.0.1:{port}", "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # serve collects the static files first: slow
        while True:  # on a loaded machine; wait for the port, not a fixed time
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        plain = fetch(f"{base}/accounts/login/")
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
        page = fetch(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        html = page.read().decode()
        assert page.status == 200 and "Đăng nhập" in html
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        cookie = page.headers["Set-Cookie"]
        assert "csrftoken" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        css = re.search(r'href="(/static/giamngheo\.[0-9a-f]{12}\.css)"', html).group(1)
        static = fetch(f"{base}{css}", **{"X-Forwarded-Proto": "https"})
        assert static.status == 200 and "immutable" in static.headers["Cache-Control"]
        unknown_host = fetch(f"{base}/accounts/login/", Host="evil.example.com",
                             **{"X-Forwarded-Proto": "https"})
        assert unknown_host.status == 400
    finally:
        server.send_signal(signal.SIGTERM)
        log = server.communicate(timeout=30)[0]
    assert re.search(r'"GET /accounts/login/ HTTP/1.1" 200', log)  # the access log
