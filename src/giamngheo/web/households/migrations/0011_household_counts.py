"""The households of each commune by current status, kept by the database (HouseholdCount):
triggers on households_household add and subtract at every insert, delete and update that
moves a household to another commune or status, whatever wrote it (ORM, bulk_create,
queryset.update or delete, COPY), in the writing transaction; the table is filled from the
rows there are when the triggers are created, in the same transaction (on PostgreSQL
CREATE TRIGGER holds off every writer of the households until it commits).

PostgreSQL: one trigger a statement, reading the statement's rows (transition tables), so a
bulk change writes each commune's count once; the additions are upserts (n = n + change), in
the order of their key, so concurrent writers of one commune wait for each other and never
deadlock. SQLite: a trigger a row. On SQLite, a later migration that makes Django rebuild
households_household (most ALTERs) drops these triggers and must create them again: the
tests of the counts (tests/web/test_household_counts.py) fail until it does.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
INSERT INTO households_householdcount (commune_id, current_status, households)
SELECT commune_id, current_status, COUNT(*) FROM households_household
GROUP BY commune_id, current_status"""

# the change of each (commune, status) of the statement's rows, added (a negative change
# leaves a row of 0 in place, read as no household). A subtraction never makes a row: the
# households it subtracts were counted in a row when they were added; when that row is gone
# (the counts emptied before the households, as Django's flush of a test database on SQLite
# may do) there is nothing to subtract from, and a row of minus n would name communes being
# deleted too.
POSTGRESQL = [r"""
CREATE FUNCTION households_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO households_householdcount AS kept (commune_id, current_status, households)
    SELECT commune_id, current_status, COUNT(*) FROM new_rows
    GROUP BY commune_id, current_status ORDER BY commune_id, current_status
    ON CONFLICT (commune_id, current_status)
    DO UPDATE SET households = kept.households + EXCLUDED.households;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO households_householdcount AS kept (commune_id, current_status, households)
    SELECT commune_id, current_status, -COUNT(*) FROM old_rows
    WHERE (commune_id, current_status) IN (
      SELECT commune_id, current_status FROM households_householdcount)
    GROUP BY commune_id, current_status ORDER BY commune_id, current_status
    ON CONFLICT (commune_id, current_status)
    DO UPDATE SET households = kept.households + EXCLUDED.households;
  ELSE
    INSERT INTO households_householdcount AS kept (commune_id, current_status, households)
    SELECT commune_id, current_status, SUM(change) FROM (
      SELECT commune_id, current_status, 1 AS change FROM new_rows
      UNION ALL SELECT commune_id, current_status, -1 FROM old_rows) AS changes
    GROUP BY commune_id, current_status
    HAVING SUM(change) > 0 OR SUM(change) < 0 AND (commune_id, current_status) IN (
      SELECT commune_id, current_status FROM households_householdcount)
    ORDER BY commune_id, current_status
    ON CONFLICT (commune_id, current_status)
    DO UPDATE SET households = kept.households + EXCLUDED.households;
  END IF;
  RETURN NULL;
END $$""", """
CREATE FUNCTION households_count_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM households_householdcount;
  RETURN NULL;
END $$""", """
CREATE TRIGGER households_count_insert AFTER INSERT ON households_household
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION households_count_rows()""", """
CREATE TRIGGER households_count_update AFTER UPDATE ON households_household
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION households_count_rows()""", """
CREATE TRIGGER households_count_delete AFTER DELETE ON households_household
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION households_count_rows()""", """
CREATE TRIGGER households_count_truncate AFTER TRUNCATE ON households_household
FOR EACH STATEMENT EXECUTE FUNCTION households_count_emptied()"""]

POSTGRESQL_UNDO = [
    *(f"DROP TRIGGER IF EXISTS households_count_{event} ON households_household"
      for event in ("insert", "update", "delete", "truncate")),
    "DROP FUNCTION IF EXISTS households_count_rows()",
    "DROP FUNCTION IF EXISTS households_count_emptied()"]


def _add(row: str) -> str:
    return f"""
  INSERT INTO households_householdcount (commune_id, current_status, households)
  VALUES ({row}.commune_id, {row}.current_status, 1)
  ON CONFLICT (commune_id, current_status) DO UPDATE SET households = households + 1;"""


def _subtract(row: str) -> str:
    return f"""
  UPDATE households_householdcount SET households = households - 1
  WHERE commune_id = {row}.commune_id AND current_status = {row}.current_status;"""


SQLITE = [f"""
CREATE TRIGGER households_count_insert AFTER INSERT ON households_household
BEGIN{_add("NEW")}
END""", f"""
CREATE TRIGGER households_count_delete AFTER DELETE ON households_household
BEGIN{_subtract("OLD")}
END""", f"""
CREATE TRIGGER households_count_update
AFTER UPDATE OF commune_id, current_status ON households_household
WHEN OLD.commune_id IS NOT NEW.commune_id OR OLD.current_status IS NOT NEW.current_status
BEGIN{_subtract("OLD")}{_add("NEW")}
END"""]

SQLITE_UNDO = [f"DROP TRIGGER IF EXISTS households_count_{event}"
               for event in ("insert", "update", "delete")]


def create_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for sql in [*(POSTGRESQL if postgresql else SQLITE), FILL]:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRESQL_UNDO if postgresql else SQLITE_UNDO:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0010_search_pairs_index'),
        ('units', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='HouseholdCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('current_status', models.CharField(blank=True, max_length=12)),
                ('households', models.IntegerField()),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.administrativeunit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('commune', 'current_status'), name='households_count_by')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
