import gc
import importlib
import sys

from django.core.signals import request_finished

from giamngheo.web import collector


def test_a_worker_sets_what_lives_after_its_first_request_aside(client):
    """The WSGI application's workers: passes of the collector every 20,000 young objects, and
    after the first request what is alive then is frozen, once."""
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        collector.set_for_serving()
        assert gc.get_threshold() == (collector.YOUNG_OBJECTS_BEFORE_A_PASS, *threshold[1:])
        assert gc.get_freeze_count() == 0
        client.get("/accounts/login/")
        assert gc.get_freeze_count() > 10_000  # Django, its URL patterns, templates ...
        # done once: no longer listening
        assert not request_finished.disconnect(dispatch_uid=collector.__name__)
    finally:
        request_finished.disconnect(dispatch_uid=collector.__name__)
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_the_wsgi_module_sets_the_collector_for_serving(monkeypatch):
    calls = []
    monkeypatch.setattr(collector, "set_for_serving", lambda: calls.append(True))
    monkeypatch.delitem(sys.modules, "giamngheo.web.wsgi", raising=False)
    importlib.import_module("giamngheo.web.wsgi")
    assert calls == [True]
