"""Running an import job in a background thread, so that the page can show its progress. The
thread writes the job's progress in its own connection, closed when it ends; the file stays
on disk until the job ends."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.db import connections
from django.utils import translation

from .importer import Plan, apply_import, plan_import
from .models import ImportJob
from .submissions import plan_submissions
from .workbook import WorkbookError

logger = logging.getLogger(__name__)


def start(target, job_id, lang: str) -> None:
    threading.Thread(target=_in_thread, args=(target, job_id, lang), daemon=True).start()


def _in_thread(target, job_id, lang: str) -> None:
    try:
        target(job_id, lang)
    except Exception:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, report={"error": "internal error"})
    finally:
        connections.close_all()  # this thread's own connections, which nothing else closes


def _progress(job: ImportJob):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)
    return report


def _plan(job: ImportJob, lang: str) -> Plan | None:
    try:
        if job.review is not None:
            plan = plan_submissions(Path(job.path), job.review, job.user, lang,
                                    progress=_progress(job))
        else:
            plan = plan_import(Path(job.path), job.user, file_name=job.file_name, lang=lang,
                               progress=_progress(job))
    except WorkbookError as error:
        job.state, job.report = ImportJob.State.FAILED, {"error": str(error)}
        job.save(update_fields=["state", "report"])
        return None
    job.report = {"counts": plan.counts, "problems": [
        [p.sheet, p.row, p.column, p.message] for p in plan.problems]}
    return plan


def check(job_id, lang: str) -> None:
    """The dry run of an uploaded workbook."""
    with translation.override(lang):
        job = ImportJob.objects.select_related("user", "review__commune").get(pk=job_id)
        if _plan(job, lang) is not None:
            job.state = ImportJob.State.CHECKED
            job.save(update_fields=["state", "report"])


def carry_out(job_id, lang: str) -> None:
    """The import: checked again against the registry as it is now, then written at once."""
    with translation.override(lang):
        job = ImportJob.objects.select_related("user", "review__commune").get(pk=job_id)
        plan = _plan(job, lang)
        if plan is None:
            return
        if plan.problems:
            job.state = ImportJob.State.CHECKED
            job.save(update_fields=["state", "report"])
            return
        job.record = apply_import(plan, job.user, progress=_progress(job))
        job.state = ImportJob.State.DONE
        job.save(update_fields=["state", "report", "record"])
        Path(job.path).unlink(missing_ok=True)
