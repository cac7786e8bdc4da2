"""Views of a portal outside its page tree: search, sitemap and robots.txt.

Each reads the request's territory; on a host that belongs to no portal they answer 404.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_GET

from portal.defaults import setting

from .search import search_portal
from .sitemaps import PortalPagesSitemap, ServicesSitemap

# Paths robots have no business in (in every language of the portal).
ROBOTS_DISALLOWED = ("/admin/", "/shop/basket/", "/shop/checkout/", "/shop/accounts/", "/search/")


def _territory(request: HttpRequest):
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404("No portal answers on this host.")
    return territory


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=``: the portal's pages and services matching the query."""
    from .templatetags.portal_tags import current_home

    territory = _territory(request)
    results = search_portal(
        territory,
        current_home(request),
        request.GET.get("q", ""),
        setting("PORTAL_SEARCH_RESULTS"),
    )
    return render(
        request,
        "content/search_results.html",
        {"results": results, "query": results.query, "searched": "q" in request.GET},
    )


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    _territory(request)
    sitemaps = {"pages": PortalPagesSitemap(request), "services": ServicesSitemap(request)}
    return sitemap_views.sitemap(request, sitemaps)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    territory = _territory(request)
    lines = ["User-agent: *"]
    for index, language in enumerate(territory.languages):
        prefix = "" if index == 0 else f"/{language}"
        lines += [
            f"Disallow: {prefix}{path}"
            for path in ROBOTS_DISALLOWED
            if index == 0 or path != "/admin/"
        ]
    with override(territory.default_language):
        sitemap_url = request.build_absolute_uri(reverse("portal-sitemap"))
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
