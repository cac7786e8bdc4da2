"""The PostgreSQL test database starts from a migrated template kept on the server
(portal/territories/pg_template.py): named by the migrations' and the lock file's content,
built once (under a lock, renamed when complete), copied by Django's ``TEST["TEMPLATE"]``.

The PostgreSQL tests run wherever PostgreSQL answers on loopback (DATABASE_URL's server, or
127.0.0.1:5432), in databases of their own, dropped at the end.
"""

import os
import shutil
import threading
import time

import dj_database_url
import psycopg
import pytest

from portal.territories import pg_template

PG_URL = (
    os.environ["DATABASE_URL"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else "postgres://postgres@127.0.0.1:5432/postgres"
)
OWN = f"test_pgtmpl_{os.getpid()}_"  # the databases these tests make


def _answers() -> bool:
    try:
        psycopg.connect(_admin_url(), connect_timeout=2).close()
    except psycopg.Error:
        return False
    return True


def _admin_url() -> str:
    return PG_URL.rsplit("/", 1)[0] + "/postgres"


needs_postgres = pytest.mark.skipif(not _answers(), reason="PostgreSQL does not answer")


def _copy_of_the_project(target):
    """requirements.lock and every migration file, at their paths under ``target``."""
    root = pg_template.ROOT
    shutil.copy(root / "requirements.lock", target / "requirements.lock")
    for path in pg_template.migration_files(root):
        copy = target / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
    return target


def test_the_key_follows_the_migrations_and_the_lock_file(tmp_path):
    project = _copy_of_the_project(tmp_path)
    files = pg_template.migration_files(project)
    assert len(files) > 50 and not any(".venv" in f.parts for f in files)
    original = pg_template.key(project)
    assert original == pg_template.key()  # the same content, the same key

    (project / "README.md").write_text("not a migration")
    assert pg_template.key(project) == original

    migration = next(f for f in files if f.name.startswith("0001"))
    content = migration.read_text()
    migration.write_text(content + "\n# changed\n")
    changed = pg_template.key(project)
    assert changed != original
    migration.write_text(content)
    assert pg_template.key(project) == original

    (migration.parent / "9999_new.py").write_text("# a new migration\n")
    assert pg_template.key(project) not in {original, changed}
    (migration.parent / "9999_new.py").unlink()

    lock = project / "requirements.lock"
    lock.write_text(lock.read_text() + "newpackage==1.0\n")
    assert pg_template.key(project) not in {original, changed}


@pytest.fixture
def admin():
    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        cursor = connection.cursor()
        yield cursor
        for name in _names(cursor):
            cursor.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false')
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _one_table(name):
    """A stand-in for ``migrate`` (seconds, not minutes): one table with one row."""
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as db:
        db.execute("CREATE TABLE migrated (n int)")
        db.execute("INSERT INTO migrated VALUES (1)")


def _names(cursor):
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s", [OWN.replace("_", r"\_") + "%"]
    )
    return {row[0] for row in cursor.fetchall()}


@needs_postgres
def test_a_failed_build_leaves_no_template_and_the_next_one_builds_it(admin):
    def killed(name):
        _one_table(name)
        raise KeyboardInterrupt  # as a run stopped half-way

    with pytest.raises(KeyboardInterrupt):
        pg_template.ensure(admin, OWN + "a", killed, prefix=OWN)
    assert _names(admin) == set()

    assert pg_template.ensure(admin, OWN + "a", _one_table, prefix=OWN) is True
    assert pg_template.ensure(admin, OWN + "a", killed, prefix=OWN) is False  # kept
    admin.execute(f'CREATE DATABASE "{OWN}copy" TEMPLATE "{OWN}a"')
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + f"/{OWN}copy") as copy:
        assert copy.execute("SELECT n FROM migrated").fetchall() == [(1,)]


@needs_postgres
def test_two_runs_side_by_side_build_the_template_once(admin):
    builds = []

    def slow(name):
        builds.append(name)
        time.sleep(1)
        _one_table(name)

    def run():
        with psycopg.connect(_admin_url(), autocommit=True) as connection:
            pg_template.ensure(connection.cursor(), OWN + "b", slow, prefix=OWN)

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert builds == [OWN + "b" + pg_template.BUILDING]
    assert _names(admin) == {OWN + "b"}


@needs_postgres
def test_only_the_newest_two_templates_are_kept(admin):
    for name in ("c1", "c2", "c3"):
        pg_template.ensure(admin, OWN + name, _one_table, prefix=OWN)
    assert pg_template.templates(admin, prefix=OWN) == [OWN + "c3", OWN + "c2"]


@pytest.fixture
def pg_connection(django_db_blocker):
    """A Django connection to the PostgreSQL server, its test database ours."""
    from django.db.utils import ConnectionHandler

    settings = dj_database_url.parse(PG_URL)
    settings["TEST"] = {"NAME": OWN + "suite"}
    connection = ConnectionHandler({"default": settings})["default"]
    with django_db_blocker.unblock():
        yield connection
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{OWN}suite" WITH (FORCE)')


def _on_test_database(connection):
    connection.close()
    connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
    return connection


@needs_postgres
def test_a_new_test_database_is_a_migrated_copy_of_the_template(pg_connection, monkeypatch):
    from django.db.migrations.loader import MigrationLoader

    monkeypatch.delenv(pg_template.ENABLED_ENV, raising=False)
    # the template of these migrations (built now, minutes, if the server has none yet)
    template = pg_template.for_test_database(pg_connection, reuse=False)
    assert template == pg_template.PREFIX + pg_template.key()
    started = time.monotonic()
    pg_connection.creation._create_test_db(verbosity=0, autoclobber=True)  # Django's own
    copied = time.monotonic() - started
    assert copied < 30, f"copying the template took {copied:.0f} s"

    connection = _on_test_database(pg_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    # every migration file is applied (squashed ones record the migrations they replace too)
    assert set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations) <= applied


@needs_postgres
def test_without_the_template_the_test_database_is_created_empty(pg_connection, monkeypatch):
    monkeypatch.setenv(pg_template.ENABLED_ENV, "0")
    assert pg_template.for_test_database(pg_connection, reuse=False) is None
    assert "TEMPLATE" not in pg_connection.settings_dict["TEST"]
    pg_connection.creation._create_test_db(verbosity=0, autoclobber=True)
    connection = _on_test_database(pg_connection)
    assert connection.introspection.table_names() == []  # migrate applies everything
