"""A full-text index on the words of the search text finds the candidates of a household search
on PostgreSQL (HouseholdQuerySet.matching); SQLite scans, which is fast at commune scale."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS households_household_search_words "
            "ON households_household USING gin (to_tsvector('simple', search_text))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS households_household_search_words")


class Migration(migrations.Migration):
    dependencies = [("households", "0002_search_and_current_status")]
    operations = [migrations.RunPython(create_index, drop_index)]
