"""Import jobs: what one job does (``run``, in the worker's child process), and how the queue
is kept (``enqueue``, ``claim``, ``sweep``). The web processes only store the upload and
queue the job: reading a file never happens in them.

A job ends in one of three ways: checked (with its problems, if any), imported, or failed
with a message in the user's language; a failed job's file is deleted, and so is the file of
a check that found problems (it cannot be imported).
"""

from __future__ import annotations

import logging
import os
import resource
import socket
from pathlib import Path

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .importer import Plan, apply_import, plan_import
from .models import ImportJob
from .submissions import plan_submissions
from .workbook import WorkbookError

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 2  # a job whose worker died is run once more, then failed
STALE = timezone.timedelta(minutes=10)  # a worker on another machine silent this long died
PROBLEMS_KEPT = 1000  # problems stored in the report (the page shows as many)
KEPT_CHECKED = timezone.timedelta(days=7)  # a checked file waits this long to be imported


def unfinished(user) -> ImportJob | None:
    """The user's job still waiting or running, if any: one at a time per user."""
    return ImportJob.objects.filter(user=user, state__in=ImportJob.RUNNING).first()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(name: str) -> ImportJob | None:
    """The oldest waiting job of a user who has none running, taken with a conditional
    update: two workers never run the same job."""
    busy = ImportJob.objects.filter(state__in=ImportJob.RUNNING).exclude(worker="") \
        .values("user_id")
    for pk in ImportJob.objects.filter(state__in=ImportJob.RUNNING, worker="") \
            .exclude(user_id__in=busy).order_by("created").values_list("pk", flat=True)[:20]:
        if ImportJob.objects.filter(pk=pk, worker="", state__in=ImportJob.RUNNING).update(
                worker=name, heartbeat=timezone.now(), attempts=F("attempts") + 1):
            return ImportJob.objects.get(pk=pk)
    return None


def sweep() -> int:
    """Jobs left running by a worker that died (its process is gone from this machine, or a
    worker elsewhere went silent): run once more, or failed with a message. Returns how
    many were found."""
    found = 0
    host = socket.gethostname()
    for job in ImportJob.objects.filter(state__in=ImportJob.RUNNING).exclude(worker=""):
        worker_host, _sep, pid = job.worker.rpartition(":")
        if worker_host == host and pid.isdigit():
            if _alive(int(pid)):
                continue
        elif job.heartbeat and timezone.now() - job.heartbeat < STALE:
            continue
        found += 1
        if job.attempts < MAX_ATTEMPTS:
            ImportJob.objects.filter(pk=job.pk, worker=job.worker).update(worker="")
        else:
            with translation.override(job.lang):
                fail(job, _("The server stopped twice while handling this file. Nothing was "
                            "written; upload it again."), worker=job.worker)
    return found


def expire() -> int:
    """Checked files not imported within KEPT_CHECKED: deleted, their jobs failed with a
    message (the registry has moved on; the file is to be checked again)."""
    old = ImportJob.objects.filter(state=ImportJob.State.CHECKED,
                                   created__lt=timezone.now() - KEPT_CHECKED)
    for job in old:
        with translation.override(job.lang):
            message = _("Not imported within %(days)s days of its check: the file was "
                        "deleted; upload it again.") % {"days": KEPT_CHECKED.days}
        if ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKED).update(
                state=ImportJob.State.FAILED, report={**job.report, "error": message}):
            Path(job.path).unlink(missing_ok=True)
    return len(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail(job: ImportJob, message: str, worker: str | None = None) -> bool:
    """End a job as failed with ``message`` and delete its file, unless it ended meanwhile
    (or, with ``worker``, was taken by another worker). Returns whether it was failed."""
    jobs = ImportJob.objects.filter(pk=job.pk, state__in=ImportJob.RUNNING)
    if worker is not None:
        jobs = jobs.filter(worker=worker)
    failed = jobs.update(state=ImportJob.State.FAILED, report={"error": message}, worker="")
    if failed:
        Path(job.path).unlink(missing_ok=True)
    return bool(failed)


def _progress(job: ImportJob):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)
    return report


def _plan(job: ImportJob) -> Plan:
    if job.review is not None:
        return plan_submissions(Path(job.path), job.review, job.user, job.lang,
                                progress=_progress(job))
    return plan_import(Path(job.path), job.user, file_name=job.file_name, lang=job.lang,
                       progress=_progress(job))


def _report(plan: Plan) -> dict:
    return {"counts": plan.counts, "problem_count": len(plan.problems), "problems": [
        [p.sheet, p.row, p.column, p.message] for p in plan.problems[:PROBLEMS_KEPT]]}


def run(job_id) -> None:
    """Carry a claimed job through its state: the dry run of an upload, or the import (checked
    again against the registry as it is now, then written at once). Whatever happens, the job
    ends checked, imported or failed with a message."""
    job = ImportJob.objects.select_related("user", "review__commune").get(pk=job_id)
    with translation.override(job.lang):
        try:
            _run(job)
        except WorkbookError as error:
            fail(job, str(error))
        except MemoryError:
            fail(job, too_big_message())
        except Exception:
            logger.exception("import job %s failed", job_id)
            fail(job, _("The check stopped on an unexpected error. Nothing was written; the "
                        "administrators can read the error in the server's log."))


def _run(job: ImportJob) -> None:
    if job.state not in ImportJob.RUNNING:
        return
    plan = _plan(job)
    done = job.state == ImportJob.State.IMPORTING and not plan.problems
    if done:
        job.record = apply_import(plan, job.user, progress=_progress(job))
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE if done else ImportJob.State.CHECKED, report=_report(plan),
        record=job.record, worker="")
    if done or plan.problems:  # nothing more can be done with the file
        Path(job.path).unlink(missing_ok=True)


def too_big_message(memory: int | None = None, seconds: int | None = None) -> str:
    """Why a job's process stopped, with the limits it had: given, or its own (in the
    child, ``setrlimit`` set them), or the settings'."""
    from django.conf import settings

    own_memory = resource.getrlimit(resource.RLIMIT_AS)[0]
    own_seconds = resource.getrlimit(resource.RLIMIT_CPU)[0]
    memory = memory or (own_memory if own_memory != resource.RLIM_INFINITY
                        else settings.GIAMNGHEO_JOB_MEMORY_MB * 1024 * 1024)
    seconds = seconds or (own_seconds if own_seconds != resource.RLIM_INFINITY
                          else settings.GIAMNGHEO_JOB_SECONDS)
    return _("Checking the file stopped: it needed more memory or time than a check may use "
             "(%(mb)s MB, %(minutes)s minutes). Nothing was written. Split the file into "
             "smaller ones.") % {"mb": memory // 1024 // 1024, "minutes": max(seconds // 60, 1)}
