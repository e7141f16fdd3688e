"""Property-based testing of the REST API against its own OpenAPI schema (schemathesis): for
requests generated from the schema, valid and invalid, the server never answers with a 5xx.

In the suite (CI) the examples are derandomised: the same requests every run, so that a red
run means a change broke something. The free exploration, random and longer, is a separate
command: ``bash scripts/dev.sh explore`` (GIAMNGHEO_EXPLORE=N examples per operation).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from giamngheo.web.accounts.models import Role
from giamngheo.web.api.models import ApiToken
from giamngheo.web.wsgi import application

from .factories import make_household, users_with_roles

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
EXPLORE = int(os.environ.get("GIAMNGHEO_EXPLORE", "0"))  # examples; 0: the CI's fixed run


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's test client keeps it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def key(place, keep_connection):
    commune, hamlet = place
    make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    officer = users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]
    return ApiToken.issue(officer, "schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXPLORE or 30, deadline=None, derandomize=not EXPLORE,
          database=None if not EXPLORE else settings.default.database,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_error(case, key):
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"},
                           checks=[not_a_server_error])
