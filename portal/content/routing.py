"""Which page answers a path: remembered per portal, language and generation.

Wagtail finds the page of ``/notizie/un-articolo/`` by walking the tree from the portal's home
in its language: the locale, the translated home, then one query (and one more for the
specific page) per level, and two more for the view restrictions. Every request of every page
repeated that walk. Here its answer (the page as Wagtail fetched it, what is left of the path
for a routable page such as a news index's feeds, and the view restrictions that apply) is
kept in the cache under the portal's generation (portal/territories/generations.py), the
language and the path, and handed to Wagtail's own ``serve`` (``route_for_request`` reads what
is set here). Any save of a page of the portal (a publish, a draft, a move, an unpublish) or of
a view restriction bumps its generation, so a changed page is fetched and walked afresh at
once. A path that answers 404 is never kept, so made-up addresses cannot fill the cache.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page

from portal.defaults import setting
from portal.territories.generations import generation

HOME_DEPTH = 2  # every portal's home page (one per language) is a child of the root
WAGTAIL_VIEW = "wagtail_serve"


def route_key(request: HttpRequest, path: str) -> str:
    territory = request.territory
    return f"portal:route:{generation(territory.pk)}:{territory.pk}:{get_language()}:{path}"


def remember_route(request: HttpRequest, path: str) -> None:
    """Set the route Wagtail will serve ``path`` from, from the cache or by walking the tree
    (``Page.route_for_request``, which keeps it on the request)."""
    key = route_key(request, path)
    kept = cache.get(key)
    if kept is not None:
        page, rest, restrictions = kept
        if page is not None:
            # Wagtail's check_view_restrictions asks the page (two queries): the answer kept
            # with the route; saving a restriction bumps the generation (generations.py)
            page.get_view_restrictions = lambda: restrictions
            try:
                request._wagtail_route_for_request = page.route(request, list(rest))
            except Http404:  # the page's own routing (a routable page's sub-path): walk again
                pass
            else:
                return
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page = result[0]
    components = [component for component in path.split("/") if component]
    rest = tuple(components[page.depth - HOME_DEPTH :])
    seconds = setting("PORTAL_FRAGMENT_CACHE_SECONDS")
    restrictions = list(page.get_view_restrictions())
    cache.set(key, (page, rest, restrictions), timeout=seconds)


class RememberedRoutesMiddleware:
    """Before Wagtail's ``serve`` runs on a portal: its route, remembered (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        match = request.resolver_match
        if (
            match is not None
            and match.url_name == WAGTAIL_VIEW
            and getattr(request, "territory", None) is not None
            and setting("PORTAL_FRAGMENT_CACHE_SECONDS")
            and not hasattr(request, "_wagtail_route_for_request")
        ):
            remember_route(request, args[0] if args else kwargs.get("path", ""))
        return None
