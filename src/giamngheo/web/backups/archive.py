"""Backups: a consistent dump of the database with the uploaded files, a manifest (row count
of every table, SHA-256 of every file) and its restoration into an empty database.

PostgreSQL is dumped with pg_dump in the snapshot the row counts were taken in (so the counts
are the dump's); SQLite with its online backup API. A restore checks every checksum first,
refuses a database that already has tables, and checks the row counts after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = 1
UPLOADS = "imports"  # the uploaded workbooks, under GIAMNGHEO_DATA_DIR


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore (the password never on a command
    line)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connections["default"].ops.quote_name
    out = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        out[table] = cursor.fetchone()[0]
    return out


def backup(target: Path, alias: str = "default") -> Path:
    """Write a backup folder into ``target``; returns it."""
    connection = connections[alias]
    folder = Path(target) / f"giamngheo-{dt.datetime.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    tables = connection.introspection.table_names()
    if connection.vendor == "postgresql":
        database = folder / "database.pgdump"
        with connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _counts(cursor, tables)
                done = subprocess.run(
                    ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                     f"--snapshot={snapshot}", f"--file={database}"],
                    env=_pg_env(connection.settings_dict), capture_output=True, text=True)
            finally:
                cursor.execute("COMMIT")
        if done.returncode:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()})
    elif connection.vendor == "sqlite":
        database = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        with copy:
            connection.connection.backup(copy)
        counts = _counts(copy.cursor(), tables)
        copy.close()
    else:
        raise BackupError(_("No backup for a %(vendor)s database.") % {
            "vendor": connection.vendor})
    files = {}
    uploads = Path(settings.DATA_DIR) / UPLOADS
    if uploads.is_dir():
        shutil.copytree(uploads, folder / "files")
        files = {str(p.relative_to(folder)): sha256(p)
                 for p in sorted((folder / "files").rglob("*")) if p.is_file()}
    recorder = connection.cursor()
    recorder.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = [list(row) for row in recorder.fetchall()]
    recorder.close()
    manifest = {
        "format": FORMAT, "created_at": dt.datetime.now().astimezone().isoformat(),
        "database": connection.vendor, "database_file": database.name,
        "sha256": {database.name: sha256(database), **files},
        "tables": counts, "migrations": migrations,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, once every file is there with its checksum."""
    path = Path(folder) / "manifest.json"
    if not path.exists():
        raise BackupError(_("%(folder)s is not a backup (it has no manifest.json).") % {
            "folder": folder})
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Unknown backup format %(format)s.") % {
            "format": manifest.get("format")})
    for name, expected in manifest["sha256"].items():
        file = Path(folder) / name
        if not file.exists():
            raise BackupError(_("%(name)s is missing from the backup.") % {"name": name})
        if sha256(file) != expected:
            raise BackupError(_("%(name)s does not match its checksum: the backup is damaged.")
                              % {"name": name})
    return manifest


def restore(folder: Path, alias: str = "default") -> dict[str, int]:
    """Restore a backup into the (empty) database ``alias`` and the uploads folder; returns
    the row counts, checked against the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[alias]
    if connection.vendor != manifest["database"]:
        raise BackupError(_("The backup is of a %(theirs)s database, not %(ours)s.") % {
            "theirs": manifest["database"], "ours": connection.vendor})
    if connection.introspection.table_names():
        raise BackupError(_("The database is not empty: restore into a new, empty database."))
    database = folder / manifest["database_file"]
    if connection.vendor == "postgresql":
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
             str(database)], env=_pg_env(connection.settings_dict), capture_output=True,
            text=True)
        if done.returncode:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": done.stderr.strip()})
    else:
        connection.ensure_connection()
        source = sqlite3.connect(database)
        with source:
            source.backup(connection.connection)
        source.close()
    uploads = Path(settings.DATA_DIR) / UPLOADS
    if (folder / "files").is_dir():
        shutil.copytree(folder / "files", uploads, dirs_exist_ok=True)
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection.introspection.table_names(cursor))
    if counts != manifest["tables"]:
        differ = sorted(t for t in counts.keys() | manifest["tables"].keys()
                        if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(_("The restored row counts differ from the backup's: %(tables)s.")
                          % {"tables": ", ".join(differ)})
    return counts
