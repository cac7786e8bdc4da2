"""The migrated SQLite database as one committed SQL file, so that a new database starts there.

Applying our and our libraries' 338 migrations one by one takes two minutes or more of a fresh
``make demo`` and of every new test database; executing their result as one script takes a
second. ``migrate`` (portal/territories/management/commands/migrate.py) loads this snapshot
into a new, empty SQLite database and then applies, as always, whatever migration the snapshot
does not list in ``django_migrations``: a migration added after the snapshot still runs.

The snapshot is what the migrations produce, rows included (content types, permissions,
Wagtail's root page and default site, our data migrations). ``python manage.py schema`` (``make
schema``) writes it again from a fresh database migrated one migration at a time;
``python manage.py schema --check`` (tests/test_schema_snapshot.py, part of ``make test``)
fails when the committed file differs from what the migrations produce now.

PostgreSQL databases are always migrated one by one: the snapshot is SQLite's SQL.
"""

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

SNAPSHOT = Path(__file__).resolve().parent / "schema_snapshot.sql"

# The time each migration was applied, the order of the independent ones, and the random
# translation keys (UUIDs) of the pages Wagtail's migrations create (its root and welcome
# pages) differ between two runs: the dump fixes them (each key stays unique: the row's id).
APPLIED = "2000-01-01 00:00:00"

# Set to "0" to migrate one migration at a time even into a new database (the snapshot's own
# source, and anyone who wants to watch the migrations run).
ENABLED_ENV = "PORTAL_SCHEMA_SNAPSHOT"


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV, "1") != "0" and SNAPSHOT.exists()


def load_if_new(connection: BaseDatabaseWrapper) -> bool:
    """Execute the snapshot into ``connection``'s database if it is an SQLite file with no
    table yet; return whether it did. A database with any table is left to ``migrate`` alone
    (and an in-memory one too: it would not outlive the connection closed below)."""
    if connection.vendor != "sqlite" or not enabled() or connection.is_in_memory_db():
        return False
    connection.ensure_connection()
    if connection.introspection.table_names():
        return False
    # executescript commits whatever is pending and runs the dump's own BEGIN ... COMMIT; the
    # dump inserts rows table by table in name order, before the tables they refer to exist
    script = SNAPSHOT.read_text(encoding="utf-8")
    connection.connection.executescript(
        f"PRAGMA foreign_keys = OFF;\n{script}PRAGMA foreign_keys = ON;\n"
    )
    # The dump writes the full-text search table (Wagtail's) straight into sqlite_master, which
    # this connection read before: the next one reads the schema with it.
    connection.close()
    return True


def dump(path: Path) -> str:
    """The SQL that recreates the SQLite database at ``path``, rows included, with the
    values that differ between two runs fixed, so that two dumps of equal databases are equal."""
    db = sqlite3.connect(path)
    try:
        # Django orders independent migrations differently from one run to the next: the
        # applied list is kept sorted by app and name, numbered in that order
        db.execute(
            "CREATE TEMP TABLE applied AS"
            " SELECT app, name FROM django_migrations ORDER BY app, name"
        )
        db.execute("DELETE FROM django_migrations")
        db.execute(
            "INSERT INTO django_migrations (id, app, name, applied)"
            " SELECT rowid, app, name, ? FROM temp.applied ORDER BY rowid",
            (APPLIED,),
        )
        db.execute("DROP TABLE temp.applied")
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            if {"id", "translation_key"} <= columns:
                db.execute(f"UPDATE \"{table}\" SET translation_key = printf('%032x', id)")
        return "\n".join(db.iterdump()) + "\n"
    finally:
        db.rollback()
        db.close()


def migrated_from_scratch() -> str:
    """Migrate a new scratch SQLite database one migration at a time (in a child process,
    with the snapshot off) and return its dump."""
    with tempfile.TemporaryDirectory(prefix="portal-schema-") as scratch:
        path = Path(scratch) / "schema.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            ENABLED_ENV: "0",
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        }
        subprocess.run(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "migrate", "--no-input", "-v0"],
            env=env,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return dump(path)


def differences(expected: str, actual: str, limit: int = 20) -> list[str]:
    """The statements only one of the two dumps has, marked - (only in the snapshot) and +
    (only in what the migrations produce), at most ``limit`` of them."""
    old, new = expected.splitlines(), actual.splitlines()
    old_set, new_set = set(old), set(new)
    lines = [f"- {line}" for line in old if line not in new_set]
    lines += [f"+ {line}" for line in new if line not in old_set]
    if not lines and old != new:
        lines = ["(the same statements in another order)"]
    return [line[:200] for line in lines[:limit]]
