"""gunicorn hooks of the load test (``GUNICORN_CMD_ARGS="--config benchmarks/cpu_hooks.py"``):
the CPU each request costs, in the worker (its process CPU time) and in the PostgreSQL backend
serving the worker's connection (its scheduler run time, /proc/PID/schedstat), written one line
a request (kind, application ns, database ns) to ``$GIAMNGHEO_CPU_LOG_DIR/PID.tsv``. The kind is
the ``X-Load-Kind`` header the load test sends. A backend opened or closed during the request
is counted from its start or up to the last reading: the totals of the load test (all the
processes of the server and of the database cluster) count every millisecond."""

from __future__ import annotations

import os
import time

_log = None
_started: tuple[int, int | None, int] | None = None


def _backend_pid() -> int | None:
    from django.db import connection

    raw = connection.connection
    try:
        return raw.info.backend_pid if raw is not None and not raw.closed else None
    except Exception:  # noqa: BLE001  (a broken connection: nothing to read)
        return None


def _run_ns(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def pre_request(worker, req):
    global _started
    pid = _backend_pid()
    _started = (time.process_time_ns(), pid, _run_ns(pid))


def post_request(worker, req, environ, resp):
    global _log
    if _started is None:
        return
    app_ns = time.process_time_ns() - _started[0]
    pid = _backend_pid()
    # a connection opened during the request: all of its backend's time is this request's
    db_ns = _run_ns(pid) - (_started[2] if pid is not None and pid == _started[1] else 0)
    kind = environ.get("HTTP_X_LOAD_KIND", "other")
    if _log is None:  # kept open for the worker's life, a line written at each request
        _log = open(os.path.join(os.environ["GIAMNGHEO_CPU_LOG_DIR"],  # noqa: SIM115
                                 f"{os.getpid()}.tsv"), "a", buffering=1)
    _log.write(f"{kind}\t{app_ns}\t{db_ns}\n")
