"""A limit on how many voucher codes one client may try, so codes cannot be guessed online.

Counted per client IP in Django's cache (Redis in production, shared by every worker): a
fixed window of ``PORTAL_GIFTCARD_TRIES_WINDOW`` seconds allows ``PORTAL_GIFTCARD_TRIES``
look-ups, on the balance page and in the basket together. The IP is REMOTE_ADDR: behind a
proxy, the proxy must set it (e.g. gunicorn's ``--forwarded-allow-ips``).
"""

from django.core.cache import cache
from django.http import HttpRequest

from portal.defaults import setting


def _key(request: HttpRequest) -> str:
    return f"giftcards:tries:{request.META.get('REMOTE_ADDR', '')}"


def take_try(request: HttpRequest) -> bool:
    """Count one code look-up for this client; False once the limit is passed."""
    key = _key(request)
    cache.add(key, 0, timeout=setting("PORTAL_GIFTCARD_TRIES_WINDOW"))
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=setting("PORTAL_GIFTCARD_TRIES_WINDOW"))
        tries = 1
    return tries <= setting("PORTAL_GIFTCARD_TRIES")
