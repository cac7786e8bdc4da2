"""Puts the request's territory and its theme in every template's context."""

from django.http import HttpRequest

from . import chrome
from .themes import palette_for, theme_chain


def territory(request: HttpRequest) -> dict:
    current = getattr(request, "territory", None)
    chain = theme_chain(current.theme if current else None)
    theme = chain[0] if chain else None
    return {
        "territory": current,
        "theme": theme,
        "palette": palette_for(current),
        **chrome.context(request, theme.name if theme else ""),
    }
