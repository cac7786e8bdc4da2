"""Sets ``request.territory`` and the theme for the rest of the request."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import get_language_from_path

from . import generations
from .resolution import is_hub_host, territory_for_request
from .themes import use_theme

# Paths that work on any host, portal or not: the admin, assets, the shop dashboard's login.
HOST_INDEPENDENT_PREFIXES = ("/admin/", "/static/", "/media/", "/favicon.ico")


class TerritoryMiddleware:
    """Resolve the request's territory once; everything downstream reads ``request.territory``.

    An unknown host is a 404, never another portal. A language prefix the portal does not
    offer is a 404 too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with generations.one_reading_per_request():
            return self.respond(request)

    def respond(self, request: HttpRequest) -> HttpResponse:
        territory = territory_for_request(request)
        request.territory = territory
        # Wagtail (page serving, site settings, page URLs) asks for this; give it ours.
        request._wagtail_site = territory.site if territory else None
        with use_theme(territory.theme if territory else None):
            if territory is None:
                if request.path == "/" and is_hub_host(request):
                    return HttpResponseRedirect("/portals/")
                if not (request.path.startswith(HOST_INDEPENDENT_PREFIXES) or is_hub_host(request)):
                    self.not_found("No portal answers on this host.")
            else:
                language = get_language_from_path(request.path_info)
                if language and language not in territory.languages:
                    self.not_found("This portal is not published in that language.")
            return self.get_response(request)

    @staticmethod
    def not_found(reason: str) -> None:
        """A 404 in the default language (LocaleMiddleware has not run yet)."""
        translation.activate(settings.LANGUAGE_CODE)
        raise Http404(reason)
