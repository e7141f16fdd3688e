import os

import pytest
from django.contrib.auth.models import User
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


@pytest.mark.django_db
def test_a_statement_run_five_times_is_prepared_on_postgresql():
    """PostgreSQL plans the statements every request runs once per connection, not each time
    (settings: server-side binding, prepare_threshold)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; SQLite has none")
    for _ in range(6):
        list(User.objects.filter(username="nobody"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "auth_user"' in text and "$1" in text for text in prepared), prepared
