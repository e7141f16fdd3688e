"""Vietnamese first: the interface speaks Vietnamese unless the user chose English with the
language switch (a cookie), whatever language the browser asks for. And bad addresses stop
at the door."""

import logging
import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

log = logging.getLogger("giamngheo.database")


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in the path or the query string is bad input (PostgreSQL refuses it in
    text): 400 before any view, instead of a database error deep inside one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                          for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("The address contains a NUL character."))
        return self.get_response(request)


API_MAX_BODY = 1024 * 1024  # a household with 50 members is about 20 KB of JSON


def body_limit(request) -> tuple[int, bool]:
    """(largest body accepted, whether it is a file upload) for a request."""
    if request.path.startswith("/api/"):
        return API_MAX_BODY, False
    if request.content_type == "multipart/form-data":
        return settings.GIAMNGHEO_MAX_UPLOAD + 1024 * 1024, True  # the file and its form
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, False


class BoundedBodiesMiddleware:
    """A body larger than its limit is refused with 413 before a byte of it is read (the
    declared length is checked); one without a declared length is cut at the limit by
    Django and refused the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_("The request's length is not a number."))
        if length > body_limit(request)[0]:
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        return too_large(request) if isinstance(exception, RequestDataTooBig) else None


def too_large(request) -> HttpResponse:
    limit, upload = body_limit(request)
    megabytes = (settings.GIAMNGHEO_MAX_UPLOAD if upload else limit) // 1024 // 1024
    message = (_("The file is larger than %(n)s MB.") if upload else
               _("The request is larger than %(n)s MB.")) % {"n": max(megabytes, 1)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class JsonApiMiddleware:
    """The API's bodies are JSON sent as ``application/json``: a form or ``text/plain`` post
    (what a page of another site can send without asking first) is refused with 415."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH") \
                and request.META.get("CONTENT_LENGTH", "0") not in ("", "0") \
                and request.content_type != "application/json":
            return JsonResponse({"detail": _(
                "Send the body as JSON (Content-Type: application/json).")}, status=415)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages, files and API answers may hold personal data: no browser or proxy keeps a
    copy (``Cache-Control: no-store``). Static files are served before this (whitenoise),
    with their own long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class DatabaseTroubleMiddleware:
    """A database that cannot be reached or cannot write (restarting, read-only, disk full)
    is a clear 503 page saying that nothing was saved, not a traceback. The transaction of
    the request was rolled back by the database, so nothing was half-saved either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_trouble(exception)


def database_trouble(exception: BaseException | None) -> HttpResponse | None:
    """The 503 page when ``exception`` says the database is unreachable or cannot write."""
    if not isinstance(exception, (OperationalError, InterfaceError)) and not (
            isinstance(exception, DatabaseError) and _read_only(exception)):
        return None
    log.error("database unavailable: %s", type(exception).__name__)
    # rendered without the request: its context processors would ask the database again
    return HttpResponse(render_to_string("503.html", {"read_only": _read_only(exception)}),
                        status=503, headers={"Retry-After": "60"})


def server_error(request):
    """handler500: the database's trouble (met outside a view too, e.g. saving the session)
    as the 503 page; any other error as the plain 500 page, never a traceback."""
    return database_trouble(sys.exc_info()[1]) or HttpResponse(
        render_to_string("500.html"), status=500)


def _read_only(exception: Exception) -> bool:
    text = str(exception).lower()
    return any(sign in text for sign in ("read-only", "readonly", "no space left",
                                         "disk is full", "database or disk is full"))


_QUERY = re.compile(r"\?[^\s\"']*")


class DropQueryStrings(logging.Filter):
    """Removes query strings from log lines: a search may hold a name or an ID number."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub("", a) if isinstance(a, str) else a
                                for a in record.args)
        return True
