"""Request → territory: the one place where a request's territory is decided."""

import threading
import time

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page

from portal.defaults import setting

from .generations import generation
from .models import Territory, TerritoryHost

MAX_REMEMBERED_HOSTS = 1000


def hostname_of(request: HttpRequest) -> str:
    """The request's host name, lower-cased, without the port (ALLOWED_HOSTS already checked)."""
    return split_domain_port(request.get_host())[0].lower().rstrip(".")


def territory_of_page(page: Page) -> Territory | None:
    """The territory whose page trees (one per language) hold ``page``, or None."""
    homes = Page.objects.filter(depth=2, path=page.path[: Page.steplen * 2]).values(
        "translation_key"
    )
    return Territory.objects.filter(site__root_page__translation_key__in=homes).first()


def territory_for_host(hostname: str) -> Territory | None:
    """The territory answering on ``hostname``, or None: never a default portal."""
    host = TerritoryHost.objects.select_related("territory__site").filter(hostname=hostname).first()
    return host.territory if host else None


class _Remembered(threading.local):
    """Host → territory, per thread, for as long as the generations hold (generations.py).

    Every request asks; the answer changes only when a territory or its hosts are saved
    (which changes the shared generation), so it costs no query most of the time. The
    territory carries its site and the site its home page, which Wagtail serves from: a
    publish in that portal (its own generation) fetches them again.
    ``PORTAL_TERRITORY_CACHE_SECONDS`` bounds it for changes made by another process
    with a cache this one does not share (the local-memory cache of development).
    """

    def __init__(self):
        self.generation = None
        self.since = 0.0
        # hostname → (territory, the territory's generation when fetched)
        self.hosts: dict[str, tuple[Territory | None, str]] = {}


_remembered = _Remembered()


def forget() -> None:
    """Drop what this thread remembers of hosts (tests; the generation does it otherwise)."""
    _remembered.generation = None


def territory_for_request(request: HttpRequest) -> Territory | None:
    """The territory answering on the request's host, or None: never a default portal."""
    hostname = hostname_of(request)
    seconds = setting("PORTAL_TERRITORY_CACHE_SECONDS")
    if not seconds:
        return territory_for_host(hostname)
    current, now = generation(), time.monotonic()
    if _remembered.generation != current or now - _remembered.since > seconds:
        _remembered.generation, _remembered.since, _remembered.hosts = current, now, {}
    territory, fetched_at = _remembered.hosts.get(hostname, (None, ""))
    if territory is not None and fetched_at == generation(territory.pk):
        return territory
    if territory is None and hostname in _remembered.hosts:
        return None  # no portal here, as long as no territory or host is saved
    if len(_remembered.hosts) > MAX_REMEMBERED_HOSTS:  # a scanner trying names
        _remembered.hosts.clear()
    territory = territory_for_host(hostname)
    _remembered.hosts[hostname] = (territory, generation(territory.pk) if territory else "")
    return territory


def is_hub_host(request: HttpRequest) -> bool:
    """A host that belongs to no portal but serves the admin and the list of portals."""
    return hostname_of(request) in setting("PORTAL_HUB_HOSTS")
