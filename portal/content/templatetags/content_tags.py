"""Template tags of the editorial pages: the news index, feeds and the head's SEO links.

They reuse what the menus and the language switcher already fetched for the request
(``portal_tags``), so announcing feeds and alternates in every page's head costs no query.
"""

from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.content.models import NewsIndexPage
from portal.territories import generations

from .portal_tags import _menus, page_translations

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str  # hreflang
    url: str  # absolute


@dataclass(frozen=True)
class FeedLink:
    type: str
    title: str
    url: str  # absolute


def _news_index_url(request) -> str | None:
    """The URL of the news section of the current home (remembered with the chrome)."""
    territory = getattr(request, "territory", None)
    if territory is None:
        return None

    def compute() -> str | None:
        news_type = ContentType.objects.get_for_model(NewsIndexPage).pk  # cached
        menus = _menus(request)
        index = next(
            (p for p in [*menus.main, *menus.footer] if p.content_type_id == news_type), None
        )
        return index.get_url(request) if index is not None else None

    return generations.remembered("news-url", territory.pk, (get_language(),), compute)


@register.simple_tag(takes_context=True)
def news_index_url(context) -> str | None:
    """``{% news_index_url as url %}``: the news section of the current home, or None."""
    request = context.get("request")
    return _news_index_url(request) if request is not None else None


@register.simple_tag(takes_context=True)
def feed_links(context) -> list[FeedLink]:
    """The RSS and Atom feeds of the portal's news in the active language."""
    request = context.get("request")
    url = _news_index_url(request) if request is not None else None
    if not url:
        return []
    name = request.territory.name
    return [
        FeedLink(
            "application/rss+xml",
            _("%(portal)s news (RSS)") % {"portal": name},
            request.build_absolute_uri(f"{url}feed/rss/"),
        ),
        FeedLink(
            "application/atom+xml",
            _("%(portal)s news (Atom)") % {"portal": name},
            request.build_absolute_uri(f"{url}feed/atom/"),
        ),
    ]


@register.simple_tag(takes_context=True)
def alternates(context, page=None) -> list[Alternate]:
    """hreflang alternates of ``page``: its live translations in the portal's languages."""
    request = context.get("request")
    territory = getattr(request, "territory", None)
    if territory is None or not isinstance(page, Page) or page.pk is None:
        return []

    def compute() -> list[tuple[str, str]]:
        translations = page_translations(request, page)
        found = []
        for code in territory.languages:
            translated = translations.get(code)
            url = translated.get_url(request) if translated is not None else None
            if url:
                found.append((code, url))
        return found

    links = generations.remembered("alternates", territory.pk, (page.pk,), compute)
    if len(links) < 2:
        return []
    return [Alternate(code, request.build_absolute_uri(url)) for code, url in links]


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None) -> str:
    """The page's address on the request's host, without the query string."""
    request = context.get("request")
    if request is None:
        return ""
    if isinstance(page, Page):
        url = page.get_url(request)
        if url:
            return request.build_absolute_uri(url)
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """``url`` made absolute on the request's host (an absolute ``url`` is kept as it is)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None and url else url
