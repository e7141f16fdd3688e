"""The worker process (``giamngheo worker``, which ``giamngheo serve`` and ``giamngheo demo``
start beside the web server): it takes the import jobs from the queue in the database one at a
time and runs each in a child process of its own, whose address space and CPU time are limited
(``setrlimit``). Whatever a file does to its child (a MemoryError, an abort of the Excel
reader asking for 550 GB, a kill), the web server does not feel it, and the job ends failed
with a message.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import jobs
from .models import ImportJob

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5
PR_SET_PDEATHSIG = 1


class Worker:
    def __init__(self, memory_mb: int | None = None, seconds: int | None = None,
                 poll: float = 1.0, exit_with: int | None = None):
        self.memory = (memory_mb or settings.GIAMNGHEO_JOB_MEMORY_MB) * 1024 * 1024
        self.seconds = seconds or settings.GIAMNGHEO_JOB_SECONDS
        self.poll, self.exit_with = poll, exit_with
        self.name = jobs.worker_name()
        self.stopping = False

    def serve(self) -> None:
        """Take jobs until told to stop (SIGTERM, SIGINT) or until the process it was started
        beside (``exit_with``) is gone."""
        for sign in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sign, self._stop)
        logger.info("worker %s: %s MB and %s s a job", self.name, self.memory >> 20,
                    self.seconds)
        while not self._should_stop():
            close_old_connections()
            try:
                jobs.sweep()
                jobs.expire()
                job = jobs.claim(self.name)
            except Exception:  # the database is restarting: try again shortly
                logger.exception("worker %s: cannot read the queue", self.name)
                job = None
            if job is None:
                self._wait(self.poll)
            else:
                self.run(job)

    def _stop(self, *_args) -> None:
        self.stopping = True

    def _should_stop(self) -> bool:
        return self.stopping or (self.exit_with is not None and os.getppid() != self.exit_with)

    def _wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._should_stop() and time.monotonic() < end:
            time.sleep(min(0.1, seconds))

    def _limits(self) -> None:
        """In the child, before it runs Python: its address space, CPU time, no core file,
        a lower priority than the web server's, and its end with the worker's (Linux), so
        that a job left by a dead worker is not still being written."""
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        resource.setrlimit(resource.RLIMIT_AS, (self.memory, self.memory))
        resource.setrlimit(resource.RLIMIT_CPU, (self.seconds, self.seconds + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.nice(5)

    def run(self, job: ImportJob) -> None:
        """One job in its own child process; the job's end is made sure of afterwards."""
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "giamngheo", "manage", "run_import_job", str(job.pk)],
            preexec_fn=self._limits, stdin=subprocess.DEVNULL)
        status, usage, beat = 0, None, time.monotonic()
        stopped = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if not stopped and (self._should_stop()
                                or time.monotonic() - started > 2 * self.seconds):
                stopped = self._should_stop()
                child.kill()
            if time.monotonic() - beat > HEARTBEAT_SECONDS:
                beat = time.monotonic()
                # the child may hold the database (SQLite): then next time
                with contextlib.suppress(DatabaseError):
                    ImportJob.objects.filter(pk=job.pk, worker=self.name).update(
                        heartbeat=timezone.now())
            time.sleep(0.1)
        child.returncode = os.waitstatus_to_exitcode(status)
        # stopping (systemd's SIGTERM reaches the child too): the job waits for the next start
        stopped = stopped or self._should_stop()
        peak_mb = usage.ru_maxrss // 1024 if usage else 0
        self._end(job, child.returncode, stopped, peak_mb, time.monotonic() - started)

    def _end(self, job: ImportJob, returncode: int, stopped: bool, peak_mb: int,
             seconds: float) -> None:
        close_old_connections()
        job.refresh_from_db()
        logger.info("job %s: %s, exit %s, peak %s MB, %.1f s", job.pk, job.state, returncode,
                    peak_mb, seconds)
        if job.running and job.worker == self.name:
            if stopped:  # the worker was stopped: the job waits for the next one
                ImportJob.objects.filter(pk=job.pk, worker=self.name).update(
                    worker="", attempts=max(job.attempts - 1, 0))
                return
            with translation.override(job.lang):
                jobs.fail(job, jobs.too_big_message(self.memory, self.seconds)
                          if returncode != 0 else _(
                    "The check stopped on an unexpected error. Nothing was written; the "
                    "administrators can read the error in the server's log."),
                    worker=self.name)
            job.refresh_from_db()
        ImportJob.objects.filter(pk=job.pk).update(
            report={**job.report, "peak_memory_mb": peak_mb, "seconds": round(seconds, 1)})


def start_beside(parent_pid: int) -> subprocess.Popen:
    """Start ``giamngheo worker`` as a process that ends when ``parent_pid`` ends (the web
    server it was started beside)."""
    return subprocess.Popen([sys.executable, "-m", "giamngheo", "worker", "--exit-with",
                             str(parent_pid)], stdin=subprocess.DEVNULL)
