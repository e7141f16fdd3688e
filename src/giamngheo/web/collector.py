"""Python's garbage collector set for a process that serves requests (gunicorn's workers).

A request makes and drops tens of thousands of objects, nearly all freed at once by reference
counting; the collector is only needed for the few cycles among them. At its defaults (a pass
every 700 objects made and not yet freed, every tenth pass over the older objects too, and now
and then over every object of the process) it kept walking the same long-lived objects: the
modules, URL patterns, templates and translations loaded at the first request, about 130,000
of them. Measured in one process over the load test's mix of pages (benchmarks/load_test.py),
the collector took 1.8 ms of a request's 20 ms of CPU, a full pass 160 ms.

So, once the first request has loaded what every request uses, what lives then is set aside
for the life of the process (``gc.freeze``: never walked again, and never freed: it is what
the process keeps anyway), and a pass runs every 20,000 objects made and not yet freed, which
most requests never reach: 0.7 ms of a request in the same measure.
"""

from __future__ import annotations

import gc

from django.core.signals import request_finished

YOUNG_OBJECTS_BEFORE_A_PASS = 20_000


def set_for_serving() -> None:
    """Called once by the WSGI module, in each worker."""
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_A_PASS, *gc.get_threshold()[1:])
    request_finished.connect(_freeze_after_first_request, dispatch_uid=__name__)


def _freeze_after_first_request(**_) -> None:
    request_finished.disconnect(dispatch_uid=__name__)
    gc.collect()  # the garbage of the first request is freed, not kept for good
    gc.freeze()
