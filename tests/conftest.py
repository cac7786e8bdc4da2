"""One root conftest: the test database gets every portal of sites/ built once.

The database is kept between runs (``--reuse-db``): its 338 migrations are applied once per
machine, not once per run. Each test then runs in a transaction that is rolled back.
"""

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("portal", "build", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: what one test cached (the chrome of a page, a
    territory) from data its rolled-back transaction made must not leak into the next."""
    from django.core.cache import caches

    from portal.territories import chrome, resolution

    for cache in caches.all():
        cache.clear()
    chrome.forget_fragments()
    resolution.forget()
    yield


@pytest.fixture
def territories(db):
    from portal.territories.models import Territory

    return {t.slug: t for t in Territory.objects.select_related("site")}


def portal_client(slug: str, **kwargs) -> Client:
    """A test client whose requests go to ``<slug>.localhost``."""
    return Client(HTTP_HOST=f"{slug}.localhost", **kwargs)


@pytest.fixture
def sondrio_client(db) -> Client:
    return portal_client("sondrio")


@pytest.fixture
def rho_client(db) -> Client:
    return portal_client("rho")
