"""One root conftest: the test database gets every portal of sites/ built once.

The database is kept between runs (``--reuse-db``): its 338 migrations are applied once per
machine, not once per run. A new one starts migrated: on SQLite from the schema snapshot
(portal/territories/schema_snapshot.py), on PostgreSQL as a copy of a migrated template kept on
the server (portal/territories/pg_template.py). Each test then runs in a transaction that is
rolled back.
"""

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
):
    """On PostgreSQL, a new test database is created as a copy of the template of these
    migrations (built once per server and set of migrations): its ``migrate`` then finds
    nothing to do. ``PORTAL_PG_TEMPLATE=0``: created empty and migrated."""
    from django.db import connection

    from portal.territories import pg_template

    with django_db_blocker.unblock():
        pg_template.for_test_database(connection, reuse=django_db_keepdb and not django_db_createdb)


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb, request
):
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # pytest-django sets up only the databases that the collected tests name (a ``django_db``
    # mark, the ``db`` fixture). The browser tests name none: they read and write the
    # committed database through a live server, outside a test transaction. Run on their own,
    # they would get no test database, and the generator would run on the development one.
    test_name = connection.creation._get_test_db_name()
    own_setup = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != test_name:
            own_setup = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases={"default"},
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        call_command("portal", "build", verbosity=0)
    yield
    if own_setup is not None and not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Every test starts in the default language: a request to /en/ activates English in the
    test's thread, and a test that then calls the code directly (a product's URL, a card)
    would read English where it expects Italian."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: what one test cached (the chrome of a page, a
    territory) from data its rolled-back transaction made must not leak into the next."""
    from django.core.cache import caches

    from portal.territories import resolution

    for cache in caches.all():
        cache.clear()
    resolution.forget()
    yield


@pytest.fixture
def territories(db):
    from portal.territories.models import Territory

    return {t.slug: t for t in Territory.objects.select_related("site")}


def portal_client(slug: str, **kwargs) -> Client:
    """A test client whose requests go to ``<slug>.localhost``."""
    return Client(HTTP_HOST=f"{slug}.localhost", **kwargs)


def page_queries(client: Client, path: str, **headers) -> tuple[int, int, str]:
    """The queries of ``path``: rendered afresh (every fragment, route and page of the portal
    made stale, as after a publish) and then again with what that request kept, as a running
    server serves it most of the time; and the HTML. ``headers``: e.g. a cookie, past the
    whole-page cache of visitors without one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.territories import generations

    client.get(path, **headers)  # what any server has warm: renditions, site roots, content types
    host = client.defaults.get("HTTP_HOST", "").split(":")[0]
    from portal.territories.models import TerritoryHost

    territory_id = TerritoryHost.objects.get(hostname=host).territory_id
    generations.invalidate(territory_id)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(path, **headers).status_code == 200, path
    with CaptureQueriesContext(connection) as warm:
        response = client.get(path, **headers)
    assert response.status_code == 200, path
    return len(cold), len(warm), response.content.decode()


@pytest.fixture
def sondrio_client(db) -> Client:
    return portal_client("sondrio")


@pytest.fixture
def rho_client(db) -> Client:
    return portal_client("rho")
