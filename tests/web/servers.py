"""The application started for real (``giamngheo serve``: gunicorn and the worker beside it) in
a subprocess, for the tests that need a real server: waited for until it listens, never for a
fixed time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

READY = "Listening at"
BOOTED = "Booting worker with pid"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, port: int, workers: int):
        self.process, self.port, self.workers = process, port, workers
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if READY in self.log and self.log.count(BOOTED) >= self.workers:
                self.ready.set()
        self.ready.set()  # the process ended: nothing more to wait for

    def wait_until_ready(self, timeout: float = 180) -> None:
        """Until gunicorn listens and every one of its workers has booted."""
        assert self.ready.wait(timeout), "the server did not start:\n" + self.log
        assert self.process.poll() is None, "the server stopped:\n" + self.log

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def web(self) -> list[int]:
        """gunicorn's processes: its master and its workers."""
        return [pid for pid in self.processes() if "\0-m\0gunicorn\0" in cmdline(pid)]

    def worker(self) -> int:
        """The process of ``giamngheo worker`` beside gunicorn."""
        return next(pid for pid in self.processes()
                    if "\0giamngheo\0worker\0" in cmdline(pid))

    def processes(self) -> list[int]:
        """The server's process and every process below it (gunicorn's workers, the worker
        and its child of the moment)."""
        found, frontier = [], [self.process.pid]
        while frontier:
            pid = frontier.pop()
            found.append(pid)
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as handle:
                    frontier += [int(c) for c in handle.read().split()]
            except FileNotFoundError:
                pass
        return found


@contextmanager
def serving(env: dict[str, str], workers: int = 2):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "giamngheo", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers)], env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Server(process, port, workers)
    try:
        server.wait_until_ready()
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline") as handle:
            return "\0" + handle.read()
    except FileNotFoundError:
        return ""


def rss_mb(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory (VmRSS) or its peak (VmHWM), in MB; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024
    except FileNotFoundError:
        pass
    return 0


def request(url: str, data: bytes | None = None, headers: dict | None = None,
            method: str | None = None):
    """The response, whatever its status; redirects are not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, data=data, headers=headers or {},
                                                  method=method), timeout=60)
    except urllib.error.HTTPError as error:
        return error


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Browser:
    """A browser's session against a server in production mode behind a proxy: cookies kept
    (secure ones too: the proxy speaks HTTPS to the browser), the CSRF token sent back,
    HTTPS said by the proxy's header, the client address given in X-Forwarded-For as nginx
    gives it (``address``)."""

    def __init__(self, base: str, host: str, address: str = "14.160.2.2"):
        self.base, self.host, self.address = base, host, address
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Host": self.host, "X-Forwarded-Proto": "https",
                "X-Forwarded-For": self.address, "Referer": f"https://{self.host}/",
                **({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def open(self, path: str, data: bytes | None = None, headers: dict | None = None):
        response = request(self.base + path, data=data, headers=self._headers(headers))
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def post(self, path: str, fields: dict[str, str],
             files: dict[str, tuple[str, bytes]] | None = None):
        import uuid
        from urllib.parse import urlencode

        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if not files:
            return self.open(path, urlencode(fields).encode(), {
                "Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                 f"{value}\r\n".encode() for name, value in fields.items()]
        for name, (file_name, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{file_name}"\r\nContent-Type: application/octet-stream'
                         f"\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.open(path, b"".join(parts), {
            "Content-Type": f"multipart/form-data; boundary={boundary}"})

    def log_in(self, username: str, password: str):
        self.open("/accounts/login/")
        return self.post("/accounts/login/", {"username": username, "password": password})
