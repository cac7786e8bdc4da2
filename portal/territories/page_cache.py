"""Whole pages for visitors who are not signed in: the CDN-friendly page cache of the design.

Most requests to a portal are anonymous readers of its Wagtail pages (home, news, services
pages). Their pages are the same for everyone on a host, so the response is kept in the
cache under the host, the path (which carries the language) and the portal's generation
(portal/territories/generations.py): publishing a page, saving a setting, a territory, an offer,
or a registration to a webinar makes that portal's cached pages stale at once (the shared
catalogue, every portal's).
``PORTAL_PAGE_CACHE_SECONDS`` bounds the rest (what changes with time alone: a webinar that
has started, a campaign that has ended). 0 turns the page cache off.

Never cached: anything but a 200 GET/HEAD of a Wagtail page without a query string; requests
that carry any cookie (a session, a basket, a CSRF token, pending messages); responses that
set a cookie (a page with a form sets the CSRF cookie); the shop, the admin, search.

What is kept here a CDN in front may keep as long (portal.territories.frontend_cache).
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from portal.defaults import setting

from .frontend_cache import mark_shared
from .generations import generation

CACHE_HEADER = "X-Portal-Cache"
WAGTAIL_VIEW = "wagtail_serve"


def _key(request: HttpRequest) -> str:
    territory_id = request.territory.pk  # only asked for cacheable requests, on a portal
    return f"portal:page:{generation(territory_id)}:{request.get_host()}:{request.path}"


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES
        and not request.META.get("QUERY_STRING")
        and getattr(request, "territory", None) is not None
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # set further out, by the CSRF and session middleware: a page for one visitor
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and match is not None
        and match.url_name == WAGTAIL_VIEW
        and "private" not in response.get("Cache-Control", "")
        and not request.user.is_authenticated
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = setting("PORTAL_PAGE_CACHE_SECONDS")
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            mark_shared(response, seconds)
            cache.set(key, response, timeout=seconds)
            response[CACHE_HEADER] = "miss"
        return response
