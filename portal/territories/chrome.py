"""The portal's chrome: header, menus and footer around every page, rendered once and cached.

The chrome depends on the territory, its theme, the language, the page's path (menus mark
the current section, the language switcher links the page's translations) and on content
editors change: page titles and menus, the portal's settings, the territory itself. Those
changes bump one generation number kept in the cache, which is part of every chrome key, so
a publish or a settings save shows on the next request; nothing is ever invalidated by hand.

With the local-memory cache (development, one process) that is immediate; in production the
cache is Redis, shared by every worker. ``PORTAL_CHROME_CACHE_SECONDS`` bounds how long an
entry lives in any case (0 turns the cache off).
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.defaults import setting

T = TypeVar("T")
_MISSING = object()
GENERATION_KEY = "portal:chrome-generation"
# The generation as this request first read it (see one_reading_per_request).
_request_generation: ContextVar[str | None] = ContextVar("chrome_generation", default=None)
# What the chrome and the cached navigation of the shop (categories on offer) show of the shop.
SHOP_MODELS = (
    "partner.StockRecord",
    "catalogue.Product",  # hidden or shown: the categories on offer change
    "catalogue.Category",
    "catalogue.ProductCategory",
)


def generation() -> str:
    """The current generation of every portal's chrome: a random token, never reused, so
    that a cleared or restarted cache cannot bring back entries of an older generation.

    Inside a request it is read from the cache once (``one_reading_per_request``): a page
    asks for it five times or more, each a round trip to Redis in production.
    """
    value = _request_generation.get()
    if value is not None:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


@contextmanager
def one_reading_per_request() -> Iterator[None]:
    """Within the block, ``generation()`` reads the cache once and then repeats that value;
    a change made inside the block (``invalidate``) is seen at once."""
    token = _request_generation.set(None)
    try:
        _request_generation.set(generation())
        yield
    finally:
        _request_generation.reset(token)


def invalidate(**_kwargs) -> None:
    """Make every cached chrome stale (a page was published, moved, a setting saved…)."""
    value = uuid.uuid4().hex
    cache.set(GENERATION_KEY, value, timeout=None)
    if _request_generation.get() is not None:
        _request_generation.set(value)


def remembered(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache until the chrome's generation changes.

    For small things every page of a portal shows and editors rarely change: the home
    page's URL per language, the categories on offer.
    """
    seconds = setting("PORTAL_CHROME_CACHE_SECONDS")
    if not seconds:
        return compute()
    key = ":".join(["portal", name, generation(), *map(str, parts)])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def chrome_key(request: HttpRequest) -> str:
    """The part of the cache key that tells one request's chrome from another's."""
    return request.get_full_path()


def context(request: HttpRequest) -> dict:
    seconds = setting("PORTAL_CHROME_CACHE_SECONDS")
    return {
        "chrome_seconds": seconds,
        "chrome_generation": generation() if seconds else "",
        "chrome_key": chrome_key(request),
    }


def _invalidate_on_save(sender, instance, **kwargs) -> None:
    invalidate()


def connect() -> None:
    """Called from the territories app's ready(): every change that shows in the chrome."""
    from oscar.core.loading import get_model

    from .models import PortalSettings, Territory, TerritoryHost

    shop_models = [get_model(*name.split(".")) for name in SHOP_MODELS]

    page_published.connect(invalidate, dispatch_uid="chrome-page-published")
    page_unpublished.connect(invalidate, dispatch_uid="chrome-page-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="chrome-page-moved")
    post_delete.connect(_invalidate_on_delete, dispatch_uid="chrome-page-deleted")
    post_save.connect(_invalidate_on_page_save, dispatch_uid="chrome-page-saved")
    for model in (PortalSettings, Territory, TerritoryHost, *shop_models):
        invalidate_when_saved(model)


def invalidate_when_saved(model) -> None:
    """Saving or deleting a ``model`` row makes cached chrome and pages stale."""
    uid = f"{model._meta.label}"
    post_save.connect(_invalidate_on_save, sender=model, dispatch_uid=f"chrome-save-{uid}")
    post_delete.connect(_invalidate_on_save, sender=model, dispatch_uid=f"chrome-delete-{uid}")


def _invalidate_on_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate()


def _invalidate_on_page_save(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):  # drafts too: rare, and a page built in code is not "published"
        invalidate()
