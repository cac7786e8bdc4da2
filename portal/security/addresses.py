"""The client's address, read right behind the reverse proxies we trust.

``REMOTE_ADDR`` is the proxy's address when the portal runs behind one (nginx, a load
balancer): every visitor would share one throttle. ``X-Forwarded-For`` is written by the
client too, so only the entries our own proxies appended are believed:
``PORTAL_TRUSTED_PROXIES`` (how many proxies stand in front, 0 by default) picks the entry
that the outermost of them saw. Login throttling (django-axes) and the gift-voucher code
limit both count by this address.
"""

from django.http import HttpRequest

from portal.defaults import setting


def client_ip(request: HttpRequest) -> str:
    """The address of the client who sent ``request``."""
    proxies = int(setting("PORTAL_TRUSTED_PROXIES"))
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    # each trusted proxy appended the address it saw; the nearest one's is REMOTE_ADDR
    chain = [*forwarded, remote]
    return chain[-proxies - 1] if len(chain) > proxies else chain[0]
