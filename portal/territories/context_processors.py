"""Puts the request's territory and its theme in every template's context."""

from django.http import HttpRequest

from . import chrome
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
        **chrome.context(request, theme.name if theme else ""),
    }
