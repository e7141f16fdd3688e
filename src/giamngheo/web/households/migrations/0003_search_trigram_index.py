"""A trigram index makes the household search (LIKE '%...%') fast on PostgreSQL; SQLite has no
such index and scans, which is fast enough at commune scale."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS households_household_search_trgm "
            "ON households_household USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS households_household_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("households", "0002_search_and_current_status")]
    operations = [migrations.RunPython(create_index, drop_index)]
