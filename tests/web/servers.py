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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if READY in line:
                self.ready.set()
        self.ready.set()  # the process ended: nothing more to wait for

    def wait_until_ready(self, timeout: float = 180) -> None:
        assert self.ready.wait(timeout), "the server did not start:\n" + self.log
        assert self.process.poll() is None, "the server stopped:\n" + self.log

    @property
    def log(self) -> str:
        return "".join(self.lines)

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
    server = Server(process, port)
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
