"""The committed schema snapshot is what the migrations produce, and a new database starts from it.

The check migrates a scratch SQLite database one migration at a time (a minute or two of one
core) whatever the suite's database: it runs in the SQLite suite only, the PostgreSQL suite
would check the same SQLite file again.
"""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from portal.territories import schema_snapshot

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the snapshot is SQLite's, checked against a scratch SQLite database: once is enough",
)


def migrate(path, **env):
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v1"],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@sqlite_only
def test_the_snapshot_is_what_the_migrations_produce():
    # Fails after a new or changed migration until `make schema` writes the snapshot again.
    call_command("schema", check=True, skip_checks=True)


@sqlite_only
def test_a_new_database_is_the_snapshot_and_migrate_then_has_nothing_to_do(tmp_path):
    path = tmp_path / "new.sqlite3"
    out = migrate(path)
    assert "loaded the schema snapshot" in out
    assert schema_snapshot.dump(path) == schema_snapshot.SNAPSHOT.read_text(encoding="utf-8")

    again = migrate(path)
    assert "snapshot" not in again
    assert "No migrations to apply." in again


@sqlite_only
def test_a_database_with_tables_is_left_to_the_migrations(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE kept (id integer)")
    db.commit()
    db.close()
    scratch = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="scratch")
    try:
        with django_db_blocker.unblock():  # a scratch file, not the test database
            assert schema_snapshot.load_if_new(scratch) is False
    finally:
        scratch.close()
    tables = [row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")]
    assert tables == ["kept"]
