"""The full-text index of the household search (PostgreSQL) holds each word of the search text
and each pair of adjacent words ("nguyen", "nguyen_van", "van_hung"): a search of several words
looks for its pairs, whose lists are short, instead of intersecting those of the commonest
words (Nguyễn, Văn, Thị). It replaces the index of single words of migration 0003; the terms
are computed from the search text by the database, so every writer of the search text keeps
them right (HouseholdQuerySet.matching builds the query)."""

from django.db import migrations

TERMS = """
CREATE OR REPLACE FUNCTION households_search_terms(search_text text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pg_catalog.array_to_tsvector(words || ARRAY(
           SELECT words[i] || '_' || words[i + 1]
           FROM pg_catalog.generate_series(1, pg_catalog.cardinality(words) - 1) AS i))
  FROM (SELECT pg_catalog.array_remove(pg_catalog.string_to_array(search_text, ' '), '')
        AS words) AS split
$$"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TERMS)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS households_household_search_terms "
            "ON households_household USING gin (households_search_terms(search_text))")
        schema_editor.execute("DROP INDEX IF EXISTS households_household_search_words")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS households_household_search_words "
            "ON households_household USING gin (to_tsvector('simple', search_text))")
        schema_editor.execute("DROP INDEX IF EXISTS households_household_search_terms")
        schema_editor.execute("DROP FUNCTION IF EXISTS households_search_terms(text)")


class Migration(migrations.Migration):
    dependencies = [("households", "0009_commune_search_index")]
    operations = [migrations.RunPython(create_index, drop_index)]
