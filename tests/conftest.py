import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests are deterministic in CI (the same examples every run); free exploration is a
# separate command: HYPOTHESIS_PROFILE=explore uv run pytest tests/engine tests/test_table_checks.py
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", derandomize=False, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The demo of 400 households, built once for the tests of a module: inside a transaction
    rolled back after the module's last test, each test running in a savepoint of it (so what
    a test writes is gone for the next, as with ``db``). Its counts, as ``build_demo`` returned
    them. Not for a module with ``transaction=True`` tests (they need committed data)."""
    from django.db import transaction

    from giamngheo.web.demo import build_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(households=400)
        transaction.set_rollback(True)


@pytest.fixture
def place(db):
    """The Tân Phú units, with Xã Tà Lài (2024) and a synthetic hamlet Ấp 4 under it."""
    from giamngheo.web.units.loading import load_units_file
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    load_units_file()
    commune = Unit.objects.get(level="commune", code="26131")
    hamlet = Unit.objects.create(code="26131-04", name="Ấp 4", kind="ap", level="hamlet",
                                 parent=commune)
    return commune, hamlet


@pytest.fixture
def todays_place(db):
    """The Tân Phú units with today's Xã Tà Lài (26134, since 1 July 2025) and its Ấp 4: where
    a new household is entered and a review opened today."""
    import datetime as dt

    from giamngheo.web.units.loading import load_units_file
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    load_units_file()
    commune = Unit.objects.get(level="commune", code="26134", valid_from=dt.date(2025, 7, 1))
    return commune, commune.children.get(level="hamlet", name="Ấp 4")
