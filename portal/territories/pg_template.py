"""A migrated PostgreSQL database kept on the server as the template of new ones.

Applying our and our libraries' 338 migrations into a new PostgreSQL database takes minutes;
``CREATE DATABASE ... TEMPLATE`` copies a migrated one in a second or two. The template is
named by a key, a hash of every migration file of the project (its path and content) and of
requirements.lock (the libraries' migrations come with their locked versions): a changed,
added or removed migration, or another version of a library, gives a new key, so a new
template, and ``migrate`` on a copy of the right one finds nothing to do.

``ensure()`` makes the template the first time: under a PostgreSQL advisory lock, so that two
runs side by side build it once (the second waits, then copies it), into a database of
another name renamed when ``migrate`` has finished, so that a run killed half-way leaves no
half-migrated template behind (the next run drops what it left and starts over). The newest
two templates of a prefix are kept, older ones dropped.

The PostgreSQL test database (tests/conftest.py, through Django's own ``TEST["TEMPLATE"]``
setting) and the production stack's database (bench/stack.py) start from one this way.
``PORTAL_PG_TEMPLATE=0`` turns it off for the tests: a plain ``CREATE DATABASE`` and every
migration applied. SQLite has its own: the schema snapshot (schema_snapshot.py).

Only the standard library at import: bench/stack.py uses it outside Django.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent

# The test databases' templates; bench/stack.py names its own (production settings).
PREFIX = "portal_tmpl_"
BUILDING = "_building"
KEEP = 2

# Set to "0" for the tests' database to be created empty and migrated one migration at a time.
ENABLED_ENV = "PORTAL_PG_TEMPLATE"

# pg_advisory_lock's key: one for every template build on the server (a build is rare)
LOCK = 0x706F7274616C  # "portal"

SKIPPED_DIRS = {"node_modules", "__pycache__"}


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV, "1") != "0"


def migration_files(root: Path = ROOT) -> list[Path]:
    """The project's migration files (``<app>/migrations/*.py``), in path order; the virtual
    environment, node_modules and hidden folders aside."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        if Path(folder).name == "migrations":
            found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def key(root: Path = ROOT) -> str:
    """12 hex digits of a hash of requirements.lock and every migration file (path and
    content) under ``root``."""
    digest = hashlib.sha256((root / "requirements.lock").read_bytes())
    for path in migration_files(root):
        relative = path.relative_to(root).as_posix()
        content = path.read_bytes()
        digest.update(f"{relative}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()[:12]


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    return f'"{name}"'


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _drop(cursor, name: str) -> None:
    # a template may not be dropped; one that another run is copying just now stays
    cursor.execute(f"ALTER DATABASE {_quote(name)} WITH IS_TEMPLATE false")
    cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")


def ensure(cursor, template: str, migrate: Callable[[str], None], prefix: str = PREFIX) -> bool:
    """Make sure the database ``template`` exists, migrated; return whether it was built now.

    ``cursor``: a cursor on the server's maintenance database, in autocommit (Django's
    ``connection._nodb_cursor()``, or psycopg's with ``autocommit=True``). ``migrate(name)``
    applies every migration to the new, empty database ``name``. Older templates whose name
    starts with ``prefix`` are dropped but for the newest ``KEEP``.
    """
    if not template.startswith(prefix):
        raise ValueError(f"{template!r} does not start with {prefix!r}")
    cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
    try:
        if _exists(cursor, template):
            return False
        building = template + BUILDING
        # a run killed while building left this: nobody else builds it (the lock is ours)
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {_quote(building)}")
        try:
            migrate(building)
        except BaseException:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)} WITH (FORCE)")
            raise
        # no connection may stay on it: copies need none, and none may make one by mistake
        cursor.execute(
            f"ALTER DATABASE {_quote(building)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        )
        cursor.execute(f"ALTER DATABASE {_quote(building)} RENAME TO {_quote(template)}")
        _prune(cursor, prefix, keep=template)
        return True
    finally:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def _prune(cursor, prefix: str, keep: str) -> None:
    """Drop the templates of ``prefix`` but the newest ``KEEP`` (``keep`` among them); newer
    databases have higher object ids. One that is being copied stays, for the next time."""
    pattern = prefix.replace("_", r"\_") + "%"
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s"
        " AND datname NOT LIKE %s ORDER BY oid DESC",
        [pattern, keep, "%" + BUILDING.replace("_", r"\_")],
    )
    older = [name for (name,) in cursor.fetchall()][KEEP - 1 :]
    for name in older:
        try:
            _drop(cursor, name)
        except Exception:  # noqa: BLE001 - in use: dropped by a later run
            pass


def templates(cursor, prefix: str = PREFIX) -> list[str]:
    """The templates of ``prefix`` on the server, newest first."""
    cursor.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname NOT LIKE %s"
        " ORDER BY oid DESC",
        [prefix.replace("_", r"\_") + "%", "%" + BUILDING.replace("_", r"\_")],
    )
    return [name for (name,) in cursor.fetchall()]


def for_test_database(connection, reuse: bool) -> str | None:
    """Point Django's ``TEST["TEMPLATE"]`` of ``connection`` (a PostgreSQL one) at the
    template of these migrations, built first if the server has none; return its name. None,
    and nothing changed, on another database, with ``PORTAL_PG_TEMPLATE=0``, or when
    ``reuse`` (``--reuse-db``) keeps a test database that already exists."""
    if connection.vendor != "postgresql" or not enabled():
        return None
    template = PREFIX + key()
    with connection._nodb_cursor() as cursor:
        if reuse and _exists(cursor, connection.creation._get_test_db_name()):
            return None
        ensure(cursor, template, lambda name: _migrate_with_test_settings(connection, name))
    connection.settings_dict["TEST"]["TEMPLATE"] = template
    return template


def _migrate_with_test_settings(connection, name: str) -> None:
    """Every migration into the database ``name`` of ``connection``'s server, in a child
    process with the tests' settings."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@{host}{port}/{name}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    command = [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "--run-syncdb"]
    subprocess.run([*command, "-v0"], env=env, check=True, cwd=ROOT)
