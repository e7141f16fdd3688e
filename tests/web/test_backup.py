"""A backup of a populated database restored elsewhere, with the real commands: every table
has the same rows; a damaged backup or a database that is not empty is refused."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from giamngheo.web.backups.archive import BackupError, read_manifest
from giamngheo.web.program.models import tasks_from_plan
from giamngheo.web.support.models import Support

from .fresh import fresh_database, giamngheo

pytestmark = pytest.mark.django_db(transaction=True)  # committed: pg_dump must see it


def rows_of(cursor, table: str) -> list[tuple]:
    """Every row; on PostgreSQL as the row's text, which no driver setting can change."""
    row = "x::text" if connection.vendor == "postgresql" else "*"
    cursor.execute(f'SELECT {row} FROM "{table}" AS x')
    return sorted(cursor.fetchall(), key=repr)


def test_backup_and_restore_elsewhere(area, tmp_path, settings):
    district, commune, officer = area
    tasks_from_plan(district)
    household = commune.households.first()
    Support.objects.create(household=household, kind="water", given_on="2025-02-01",
                           amount=3_000_000, recorded_by=officer)
    settings.DATA_DIR = tmp_path / "data"
    (settings.DATA_DIR / "imports").mkdir(parents=True)
    (settings.DATA_DIR / "imports" / "danh-sach.xlsx").write_bytes(b"PK\x03\x04 workbook")
    call_command("backup", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    manifest = read_manifest(folder)
    assert manifest["tables"]["households_household"] == 4
    assert manifest["tables"]["support_support"] == 1

    env, open_restored = fresh_database(tmp_path / "restored", "restored")
    done = giamngheo(env, "manage", "restore", str(folder))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "restored" / "imports" / "danh-sach.xlsx").read_bytes() == \
        b"PK\x03\x04 workbook"
    restored = open_restored()
    tables = connection.introspection.table_names()
    assert len(tables) > 40
    connection.ensure_connection()
    source = connection.connection.cursor()  # the driver's own, as the restored one's
    for table in tables:
        assert rows_of(source, table) == rows_of(restored.cursor(), table), table
    restored.close()
    again = giamngheo(env, "manage", "restore", str(folder))  # into a database that is not empty
    assert again.returncode != 0 and "Cơ sở dữ liệu không trống" in again.stderr


def test_a_damaged_backup_is_refused(area, tmp_path):
    call_command("backup", str(tmp_path))
    [folder] = tmp_path.iterdir()
    dump = folder / read_manifest(folder)["database_file"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(BackupError, match="không khớp với mã kiểm tra"):
        read_manifest(folder)
