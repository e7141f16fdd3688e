import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_configured_database_is_the_one_in_use():
    """DATABASE_URL selects PostgreSQL (CI runs the web tests on both); SQLite otherwise."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") \
        else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
