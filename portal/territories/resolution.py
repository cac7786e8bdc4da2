"""Request → territory: the one place where a request's territory is decided."""

import threading
import time

from django.http import HttpRequest
from django.http.request import split_domain_port

from portal.defaults import setting

from .chrome import generation
from .models import Territory, TerritoryHost

MAX_REMEMBERED_HOSTS = 1000


def hostname_of(request: HttpRequest) -> str:
    """The request's host name, lower-cased, without the port (ALLOWED_HOSTS already checked)."""
    return split_domain_port(request.get_host())[0].lower().rstrip(".")


def territory_for_host(hostname: str) -> Territory | None:
    """The territory answering on ``hostname``, or None: never a default portal."""
    host = TerritoryHost.objects.select_related("territory__site").filter(hostname=hostname).first()
    return host.territory if host else None


class _Remembered(threading.local):
    """Host → territory, per thread, for as long as the chrome's generation holds.

    Every request asks; the answer changes only when a territory or its hosts are saved
    (which changes the generation, see chrome.py), so it costs no query most of the time.
    ``PORTAL_TERRITORY_CACHE_SECONDS`` bounds it for changes made by another process
    with a cache this one does not share (the local-memory cache of development).
    """

    def __init__(self):
        self.generation = None
        self.since = 0.0
        self.hosts: dict[str, Territory | None] = {}


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
    if hostname not in _remembered.hosts:
        if len(_remembered.hosts) > MAX_REMEMBERED_HOSTS:  # a scanner trying names
            _remembered.hosts.clear()
        _remembered.hosts[hostname] = territory_for_host(hostname)
    return _remembered.hosts[hostname]


def is_hub_host(request: HttpRequest) -> bool:
    """A host that belongs to no portal but serves the admin and the list of portals."""
    return hostname_of(request) in setting("PORTAL_HUB_HOSTS")
