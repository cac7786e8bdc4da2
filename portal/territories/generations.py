"""Generations: what makes a portal's cached fragments, pages and values stale at once.

Everything kept between requests (fragments, ``{% portalcache %}`` in
portal/territories/templatetags/portal_cache.py; whole pages, page_cache.py; small values,
``remembered``) has a generation token in its key. The content editors change (pages,
menus, the portal's settings, offers, the territory itself) bumps the token on save, so a
publish or a settings save shows on the next request; nothing is ever invalidated by hand.

Each territory has its own token, so that an editor publishing in one portal does not empty
the caches of all the others; one shared token covers what every portal shows (the shared
catalogue, its categories, which host is which portal). A portal's generation is both.

With the local-memory cache (development, one process) that is immediate; in production the
cache is Redis, shared by every worker. ``PORTAL_FRAGMENT_CACHE_SECONDS`` bounds how long a
fragment or value lives in any case (0 turns them off).
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.defaults import setting

T = TypeVar("T")
_MISSING = object()
GENERATION_KEY = "portal:chrome-generation"  # shared; a territory's: GENERATION_KEY:<pk>
# The tokens as this request first read them (see one_reading_per_request), by territory
# (None: the shared one).
_request_tokens: ContextVar[dict | None] = ContextVar("chrome_generation", default=None)
# What every portal's chrome and shop navigation (the categories on offer) show of the shared
# catalogue. A stock record is one portal's offer: it makes that portal's pages stale only.
SHARED_SHOP_MODELS = (
    "catalogue.Product",  # hidden or shown: the categories on offer change
    "catalogue.Category",
    "catalogue.ProductCategory",
    "catalogue.Option",  # what a service asks when added to the basket
    "catalogue.ProductClass",  # its options
    "partner.Partner",  # the cooperative a product page says provides the service
)
# Which options a service asks for: m2m fields, changed without saving either side.
SHARED_SHOP_RELATIONS = ("catalogue.Product.product_options", "catalogue.ProductClass.options")


def _key(territory_id: int | None) -> str:
    return GENERATION_KEY if territory_id is None else f"{GENERATION_KEY}:{territory_id}"


def token(key: str) -> str:
    """The random token kept at ``key`` (made on first use, by one process only if several
    ask at once): a part of cache keys that a change renews and an eviction cannot bring back."""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        value = cache.get(key)
    return value


def renew(*keys: str) -> None:
    """New tokens at ``keys``: now, and again once the change is committed (a request that
    read the old data before the commit kept its value under the first ones)."""

    def renew_now() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    renew_now()
    transaction.on_commit(renew_now)


def _token(territory_id: int | None) -> str:
    """A random token, never reused, so that a cleared or restarted cache cannot bring back
    entries of an older generation."""
    tokens = _request_tokens.get()
    if tokens is not None and territory_id in tokens:
        return tokens[territory_id]
    value = token(_key(territory_id))
    if tokens is not None:
        tokens[territory_id] = value
    return value


def generation(territory_id: int | None = None) -> str:
    """The generation of a territory's chrome and pages (``territory_id``), or of what all
    portals share (None).

    Inside a request each token is read from the cache once (``one_reading_per_request``):
    a page asks for it five times or more, each a round trip to Redis in production.
    """
    shared = _token(None)
    return shared if territory_id is None else f"{shared}.{_token(territory_id)}"


@contextmanager
def one_reading_per_request() -> Iterator[None]:
    """Within the block, ``generation()`` reads each token from the cache once and then
    repeats it; a change made inside the block (``invalidate``) is seen at once."""
    token = _request_tokens.set({})
    try:
        yield
    finally:
        _request_tokens.reset(token)


def invalidate(territory_id: int | None = None, **_kwargs) -> None:
    """Make a territory's cached chrome and pages stale (a page was published there, its
    settings saved…), or every portal's (None: the shared catalogue changed…)."""
    value = uuid.uuid4().hex
    cache.set(_key(territory_id), value, timeout=None)
    tokens = _request_tokens.get()
    if tokens is not None:
        tokens[territory_id] = value


def remembered(name: str, territory_id: int, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache until the territory's generation changes.

    For small things every page of a portal shows and editors rarely change: the home
    page's URL per language, the categories on offer.
    """
    seconds = setting("PORTAL_FRAGMENT_CACHE_SECONDS")
    if not seconds:
        return compute()
    key = ":".join(["portal", name, generation(territory_id), *map(str, parts)])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def connect() -> None:
    """Called from the territories app's ready(): every change that shows in the chrome."""
    from oscar.core.loading import get_model

    from .models import PortalSettings, Territory, TerritoryHost

    page_published.connect(_page_changed, dispatch_uid="chrome-page-published")
    page_unpublished.connect(_page_changed, dispatch_uid="chrome-page-unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="chrome-page-moved")
    post_delete.connect(_page_changed, dispatch_uid="chrome-page-deleted")
    post_save.connect(_page_changed, dispatch_uid="chrome-page-saved")
    # one portal's
    _when_saved(PortalSettings, lambda settings: _territory_of_site(settings.site_id))
    _when_saved(PageViewRestriction, lambda restriction: _territory_of_page_id(restriction.page_id))
    _when_saved(get_model("partner", "StockRecord"), lambda offer: offer.territory_id)
    # every portal's: the shared catalogue, and which host is which portal
    for name in SHARED_SHOP_MODELS:
        _when_saved(get_model(*name.split(".")), lambda _instance: None)
    for name in SHARED_SHOP_RELATIONS:
        app, model, field = name.split(".")
        through = getattr(get_model(app, model), field).through
        m2m_changed.connect(
            _shared_relation_changed, sender=through, dispatch_uid=f"chrome-m2m-{name}"
        )
    _when_saved(Territory, lambda _instance: None)
    _when_saved(TerritoryHost, lambda _instance: None)


def _when_saved(model, territory_of: Callable) -> None:
    """Saving or deleting a ``model`` row makes the chrome and pages of
    ``territory_of(row)`` stale (None: of every portal)."""

    def changed(sender, instance, **kwargs) -> None:
        invalidate(territory_of(instance))

    uid = model._meta.label
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"chrome-save-{uid}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"chrome-delete-{uid}")


def _shared_relation_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        invalidate(None)


def _territory_of_site(site_id: int) -> int | None:
    from .models import Territory

    return Territory.objects.filter(site_id=site_id).values_list("pk", flat=True).first()


def _territory_of_page_id(page_id: int) -> int | None:
    from .resolution import territory_of_page

    page = Page.objects.filter(pk=page_id).first()
    territory = territory_of_page(page) if page is not None else None
    return territory.pk if territory else None


def _page_changed(sender, instance=None, **kwargs) -> None:
    """A page published, unpublished, moved, deleted or saved (drafts too: rare, and a page
    built in code is not "published"): its portal's chrome and pages are stale."""
    if not isinstance(instance, Page):
        return
    from .resolution import territory_of_page

    for page in (instance, kwargs.get("parent_page_before")):  # a move leaves one portal
        if isinstance(page, Page):
            territory = territory_of_page(page)
            invalidate(territory.pk if territory else None)
