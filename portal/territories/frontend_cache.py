"""A CDN or reverse proxy in front of the portals: what it may keep, and what publishing purges.

Pages that the page cache (:mod:`portal.territories.page_cache`) keeps for visitors without
cookies are sent with ``Cache-Control: public, max-age=0, s-maxage=PORTAL_PAGE_CACHE_SECONDS``
and ``Vary: Cookie``: a shared cache may serve them for that long to visitors without
cookies, browsers revalidate, and a visitor with a session always reaches the portal.

Publishing or unpublishing a page purges it (Wagtail's ``frontend_cache`` app does that) and,
here, the live pages above it, whose listings show it (the news index, the home page).
What else shows it (a menu on every page) follows within ``s-maxage``. The purge goes to the
proxy named by ``PORTAL_FRONTEND_CACHE_URL`` (Wagtail's HTTP backend: a ``PURGE`` request
with the page's own host); unset, nothing is sent.
"""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished


def mark_shared(response: HttpResponse, seconds: int) -> None:
    """Let shared caches keep ``response`` for ``seconds``; browsers revalidate."""
    patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
    patch_vary_headers(response, ("Cookie",))


def _purge_listings(sender, instance=None, **kwargs) -> None:
    if not isinstance(instance, Page):
        return
    above = instance.get_ancestors().filter(depth__gt=1).live().specific()
    purge_pages_from_cache(above)


def connect() -> None:
    """Called from the territories app's ready()."""
    page_published.connect(_purge_listings, dispatch_uid="frontend-cache-published")
    page_unpublished.connect(_purge_listings, dispatch_uid="frontend-cache-unpublished")
