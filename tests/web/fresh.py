"""A new, empty database beside the test database (SQLite file or PostgreSQL database), for
tests that run the real commands in subprocesses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection


def fresh_database(folder: Path, name: str):
    """(environment for ``giamngheo`` subprocesses, a function opening the database)."""
    env = {**os.environ, "GIAMNGHEO_DATA_DIR": str(folder), "PYTHONUNBUFFERED": "1"}
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        # read with the converters Django's connection uses, so that values compare alike
        return env, lambda: sqlite3.connect(folder / "giamngheo.sqlite3",
                                            detect_types=sqlite3.PARSE_DECLTYPES
                                            | sqlite3.PARSE_COLNAMES)
    import psycopg

    name = f"{name}_{os.getpid()}"
    settings = connection.settings_dict
    base = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = f"{base}/{name}"
    return env, lambda: psycopg.connect(f"{base}/{name}")


def giamngheo(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "giamngheo", *args], env=env,
                          capture_output=True, text=True)
