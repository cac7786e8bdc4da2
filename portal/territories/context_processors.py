"""Puts the request's territory and its theme in every template's context."""

from django.http import HttpRequest
from django.utils.functional import lazy

from .palette import palette_stylesheet
from .themes import palette_for, theme_chain


def territory(request: HttpRequest) -> dict:
    current = getattr(request, "territory", None)
    chain = theme_chain(current.theme if current else None)
    theme = chain[0] if chain else None
    palette = palette_for(current)
    return {
        "territory": current,
        "theme": theme,
        "palette": palette,
        # linked by base.html: a file, so that style-src needs no 'unsafe-inline'
        "palette_stylesheet": palette_stylesheet(palette),
        # the header's and footer's menus mark the shop's section on its pages: part of their
        # fragments' keys ({% portalcache %})
        "in_shop": _in_shop(request),
        # Oscar's templates link "Home" to homepage_url (its context processor: "/", the
        # Italian home); the home in the active language instead, worked out only if shown
        "homepage_url": lazy(_home_url, str)(request),
    }


def _home_url(request: HttpRequest) -> str:
    from portal.content.templatetags.portal_tags import home_url_of

    return home_url_of(request)


def _in_shop(request: HttpRequest) -> bool:
    from portal.content.templatetags.portal_tags import is_shop_view

    return is_shop_view(request)
