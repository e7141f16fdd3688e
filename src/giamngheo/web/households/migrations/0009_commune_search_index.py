"""A commune's households in code order with their search text, read from the index alone
(PostgreSQL): a search within a few communes checks their rows' words without reading the
table, and a commune's list finds its page there (HouseholdQuerySet.matching)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS households_household_commune_search "
            "ON households_household (commune_id, code) INCLUDE (id, search_text)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS households_household_commune_search")


class Migration(migrations.Migration):
    dependencies = [("households", "0008_merge_0007_relocation_0007_waste_disposal")]
    operations = [migrations.RunPython(create_index, drop_index)]
