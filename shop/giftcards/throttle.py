"""A limit on wrong voucher codes per client, so codes cannot be guessed online.

Only failed look-ups count (a citizen checking and spending their own voucher is never
blocked): ``PORTAL_GIFTCARD_TRIES`` wrong codes in a fixed window of
``PORTAL_GIFTCARD_TRIES_WINDOW`` seconds, on the balance page and in the basket together,
block further look-ups from that client until the window ends. Counted in Django's
"throttle" cache (its own Redis database in production, shared by every worker, apart from
the evictable page cache) per client address, read behind our own
proxies as ``PORTAL_TRUSTED_PROXIES`` says (portal.security.addresses).
"""

from django.core.cache import caches
from django.http import HttpRequest

from portal.defaults import setting
from portal.security.addresses import client_ip


def _counters():
    return caches["throttle"]


def _key(request: HttpRequest) -> str:
    return f"giftcards:failures:{client_ip(request)}"


def is_blocked(request: HttpRequest) -> bool:
    """Whether this client has used up its wrong codes for now."""
    return (_counters().get(_key(request)) or 0) >= setting("PORTAL_GIFTCARD_TRIES")


def count_failure(request: HttpRequest) -> None:
    """Count one wrong code for this client."""
    key = _key(request)
    cache = _counters()
    cache.add(key, 0, timeout=setting("PORTAL_GIFTCARD_TRIES_WINDOW"))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=setting("PORTAL_GIFTCARD_TRIES_WINDOW"))
