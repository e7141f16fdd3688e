"""Import pages: the template, the upload, the dry run's report with its progress, the import.
Officers and surveyors import into their communes; nothing is written while a problem is left."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..accounts.models import HOUSEHOLD_EDITORS, AccessLog, May, has_role_for, visible_units
from ..accounts.privacy import disclosure, logged_query
from ..households.models import current_lang
from ..households.views import filtered_households, search
from . import jobs
from .export import write_households
from .models import ImportJob
from .template import build_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIXES = {".xlsx", ".zip", ".json"}


@login_required
def template(request):
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'
    return response


@login_required
def xlsform(request):
    """The review questionnaire for ODK Collect / KoboToolbox (with the B1 items of the
    example scorecard when asked: ?scorecard=example). For one review (?review=ID) it asks
    what the review's standard reads; otherwise what the standards in use in the user's
    communes read."""
    from ...rules.parameters import default_registry
    from ...rules.scorecard import load_scorecard
    from ...xlsform import build_xlsform
    from ..reviews.questions import standards_in_use
    from ..reviews.views import scoped_reviews
    from ..units.models import AdministrativeUnit

    scorecard = (load_scorecard("example", default_registry())
                 if request.GET.get("scorecard") == "example" else None)
    review_id = request.GET.get("review", "")
    name = "phieu-ra-soat-xlsform.xlsx"
    if review_id:
        review = scoped_reviews(request.user).filter(pk=review_id).first() \
            if review_id.isdigit() else None
        if review is None:
            raise Http404
        standards = [default_registry().get(review.standard_id)]
        name = f"phieu-ra-soat-{review.commune.code}-{review.reference_date:%Y%m%d}.xlsx"
    else:
        communes = AdministrativeUnit.objects.filter(level="commune",
                                                     pk__in=visible_units(request.user))
        standards = standards_in_use(communes, dt.date.today())
    form = io.BytesIO()
    build_xlsform(form, scorecard, standards=standards)
    response = HttpResponse(form.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def upload(request):
    if not visible_units(request.user, HOUSEHOLD_EDITORS):
        raise PermissionDenied
    error = None
    review = None
    if request.POST.get("review"):
        if not request.POST["review"].isdigit():
            raise Http404
        from ..reviews.views import OFFICERS, scoped_reviews

        review = scoped_reviews(request.user).filter(pk=request.POST["review"]).first()
        if review is None or not has_role_for(request.user, review.commune, OFFICERS):
            raise PermissionDenied
    limit = settings.GIAMNGHEO_MAX_UPLOAD
    waiting = jobs.unfinished(request.user)
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None:
            error = _("Choose a file.")
        elif upload.size > limit:
            error = _("The file is larger than %(n)s MB.") % {"n": limit // 1024 // 1024}
        elif waiting is not None:
            error = _("Your file %(name)s is still being handled: wait until it is done, then "
                      "send the next one.") % {"name": waiting.file_name}
        else:
            folder = settings.DATA_DIR / "imports"
            folder.mkdir(parents=True, exist_ok=True)
            # the suffix tells an ODK/Kobo export's kind (.xlsx, .zip, .json)
            path = folder / f"{uuid.uuid4()}{suffix if suffix in SUFFIXES else '.xlsx'}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            # queued: the worker process checks it (worker.py), never this web process
            job = ImportJob.objects.create(user=request.user, file_name=upload.name[:255],
                                           path=str(path), review=review, lang=current_lang())
            return redirect("exchange:job", job.pk)
    return render(request, "exchange/upload.html", {
        "error": error, "jobs": ImportJob.objects.filter(user=request.user)[:10],
        "max_mb": limit // 1024 // 1024})


def _job_for(request, pk) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=request.user).select_related("record").first()
    if job is None:
        raise Http404
    return job


@login_required
def job_page(request, pk):
    job = _job_for(request, pk)
    problems = job.report.get("problems", [])
    count = job.report.get("problem_count", len(problems))
    return render(request, "exchange/job.html", {
        "job": job, "problems": problems, "problem_count": count,
        "more": max(0, count - len(problems)), "counts": job.report.get("counts", {})})


@login_required
@require_POST
def job_commit(request, pk):
    job = _job_for(request, pk)
    if job.report.get("problems"):
        raise PermissionDenied
    # queued for the worker, once: a second click (or a second tab) is told, not run twice
    if not ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKED).update(
            state=ImportJob.State.IMPORTING, done=0, worker="", lang=current_lang()):
        messages.info(request, _("This file is not waiting to be imported any more: its state "
                                 "is shown below."))
    return redirect("exchange:job", job.pk)



@login_required
def export(request):
    """The households of the list (same filters and search) with their members, as the
    import template: written to a temporary file in constant memory, then streamed. Only the
    households of the units where the user's role may take personal data away are written,
    their ID numbers whole or masked as the role on their unit allows."""
    seen = disclosure(request.user)
    if not seen.anywhere(May.EXPORT):
        raise PermissionDenied
    households, filters = filtered_households(request)
    households = seen.households(households, May.EXPORT)
    if filters["query"]:
        households = search(households, filters["query"], request.user)
    folder = settings.DATA_DIR / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.xlsx"
    count = write_households(households, path, shows_id_numbers=lambda commune, hamlet:
                             seen.allows_in(May.SEE_ID_NUMBERS, commune, hamlet))
    AccessLog.objects.create(user=request.user, what=f"households {logged_query(request.GET)}",
                             rows=count)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename="danh-sach-ho.xlsx",
                        content_type=XLSX)
