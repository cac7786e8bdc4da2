"""The hub host's one page, the list of portals this installation serves; and each portal's
colours as a stylesheet."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from portal.defaults import setting

from .models import Territory
from .palette import PaletteStylesheet, palette_stylesheet
from .themes import palette_for


def portal_list(request: HttpRequest) -> HttpResponse:
    port = request.get_port()
    suffix = setting("PORTAL_DEV_HOST_SUFFIX")
    portals = [
        (territory, f"{request.scheme}://{territory.slug}{suffix}:{port}/")
        for territory in Territory.objects.order_by("name")
    ]
    return render(request, "territories/portal_list.html", {"portals": portals})


# A year: the address changes with the content, so a browser never needs to ask again.
PALETTE_MAX_AGE = 365 * 24 * 60 * 60


def _palette_of(request: HttpRequest) -> PaletteStylesheet:
    # the hub host has no territory: the default theme's colours
    return palette_stylesheet(palette_for(request.territory))


@require_safe
@condition(etag_func=lambda request, version: _palette_of(request).version)
def palette(request: HttpRequest, version: str) -> HttpResponse:
    """The request's portal's colours as CSS (``portal/territories/palette.py``)."""
    stylesheet = _palette_of(request)
    response = HttpResponse(stylesheet.css, content_type="text/css; charset=utf-8")
    if version == stylesheet.version:
        response["Cache-Control"] = f"public, max-age={PALETTE_MAX_AGE}, immutable"
    else:
        # an older page's address (a cached page, a colour changed since): today's colours,
        # asked for again next time
        response["Cache-Control"] = "public, no-cache"
    return response
