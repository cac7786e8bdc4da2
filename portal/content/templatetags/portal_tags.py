"""Template tags of the portal's themes: menus, language links, breadcrumbs, colours, the
links of a paginated list.

Every tag reads the request's territory (``request.territory``) and nothing else. The pages
the menus and the language switcher need are fetched once per request and cached on the
request, so a page costs the same number of queries however many pages the portal has.
"""

import html
from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, QueryDict
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from portal.content.models import ServiceIndexPage
from portal.territories import generations
from shop.catalogue.cards import DEFAULT_ICON, icon_for

register = template.Library()

# Oscar's public URL namespaces: on these views the "Services" menu item is the active one.
SHOP_NAMESPACES = frozenset({"catalogue", "basket", "checkout", "search", "customer", "wishlists"})


@dataclass(frozen=True)
class MenuLink:
    title: str
    url: str
    current: bool  # the page being shown: aria-current="page"
    active: bool  # the page being shown or one of its ancestors (or the shop, for services)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # the language's name in that language ("Deutsch")
    url: str
    current: bool


@dataclass(frozen=True)
class Menus:
    home: Page | None
    main: list[Page]
    footer: list[Page]


def _language_matches(language_code: str, wanted: str | None) -> bool:
    if not wanted:
        return False
    return (
        language_code.lower() == wanted.lower()
        or language_code.split("-")[0] == wanted.split("-")[0]
    )


def _homes(request: HttpRequest) -> dict[str, Page]:
    """The territory's live home pages by language code: one query, then kept with the
    portal's generation (a publish or a new translation bumps it) and on the request."""
    cached = getattr(request, "_portal_homes", None)
    if cached is not None:
        return cached
    territory = getattr(request, "territory", None)

    def compute() -> dict[str, Page]:
        homes: dict[str, Page] = {}
        root = Page.objects.filter(pk=territory.site.root_page_id).values("translation_key")
        for home in Page.objects.live().filter(translation_key__in=root).select_related("locale"):
            homes[home.locale.language_code] = home
        return homes

    homes = generations.remembered("homes", territory.pk, (), compute) if territory else {}
    request._portal_homes = homes
    return homes


def current_home(request: HttpRequest) -> Page | None:
    """The home page in the active language, or the territory's default-language home."""
    homes = _homes(request)
    language = get_language()
    for code, home in homes.items():
        if _language_matches(code, language):
            return home
    territory = getattr(request, "territory", None)
    if territory is not None:
        return next((h for h in homes.values() if h.pk == territory.site.root_page_id), None)
    return None


def _menus(request: HttpRequest) -> Menus:
    """Main menu and footer links: the live children of the current home, fetched once."""
    cached = getattr(request, "_portal_menus", None)
    if cached is not None and cached.home is current_home(request):
        return cached
    home = current_home(request)
    main: list[Page] = []
    footer: list[Page] = []
    if home is not None:
        children = home.get_children().live().select_related("locale")
        # a campaign's landing page is announced in the home page's slot, not in the footer
        children = children.exclude(
            content_type__app_label="campaigns", content_type__model="campaignlandingpage"
        )
        for child in children:
            (main if child.show_in_menus else footer).append(child)
    menus = Menus(home=home, main=main, footer=footer)
    request._portal_menus = menus
    return menus


def is_shop_view(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and SHOP_NAMESPACES.intersection(match.namespaces))


def _links(context, pages: list[Page]) -> list[MenuLink]:
    request = context["request"]
    shown = context.get("page")
    shown_path = getattr(shown, "url_path", None) if isinstance(shown, Page) else None
    in_shop = shown_path is None and is_shop_view(request)
    services_type = None
    if in_shop:
        services_type = ContentType.objects.get_for_model(ServiceIndexPage).pk  # cached
    links = []
    for item in pages:
        current = shown_path == item.url_path
        active = current or bool(shown_path and shown_path.startswith(item.url_path))
        if in_shop and item.content_type_id == services_type:
            active = True
        links.append(MenuLink(item.title, item.get_url(request), current, active))
    return links


@register.simple_tag(takes_context=True)
def menu_links(context) -> list[MenuLink]:
    """``{% menu_links as links %}``: the main menu, for themes that lay it out themselves."""
    request = context.get("request")
    if request is None:
        return []
    return _links(context, _menus(request).main)


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[MenuLink]:
    """``{% footer_links as links %}``: privacy policy, accessibility statement and the like."""
    request = context.get("request")
    if request is None:
        return []
    return _links(context, _menus(request).footer)


@register.inclusion_tag("partials/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """``{% main_menu %}``: the main menu, rendered by the theme's partials/main_menu.html."""
    return {"links": menu_links(context), "request": context.get("request")}


@register.inclusion_tag("partials/footer_menu.html", takes_context=True)
def footer_menu(context) -> dict:
    """``{% footer_menu %}``: footer links, rendered by the theme's partials/footer_menu.html."""
    return {"links": footer_links(context), "request": context.get("request")}


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    """The URL of the portal's home page in the active language ("/" if there is none)."""
    return home_url_of(context.get("request"))


def home_url_of(request: HttpRequest | None) -> str:
    """The URL of ``request``'s portal's home page in the active language ("/" if none)."""
    territory = getattr(request, "territory", None)
    if territory is None:
        return "/"

    def compute() -> str:
        home = current_home(request)
        return (home.get_url(request) if home is not None else None) or "/"

    return generations.remembered("home-url", territory.pk, (get_language(),), compute)


@register.simple_tag(takes_context=True)
def privacy_url(context) -> str:
    """``{% privacy_url as url %}``: the portal's privacy notice in the active language (its
    default language's if it has none), for the forms whose consent refers to it; "" if none."""
    request = context.get("request")
    territory = getattr(request, "territory", None)
    if territory is None:
        return ""
    language = get_language()

    def compute() -> str:
        from portal.territories.models import SeedRecord

        for code in (language, territory.default_language):
            # the page the generator wrote for the spec's [privacy] (generator/pages.py)
            record = SeedRecord.objects.filter(key=f"{territory.slug}:page:privacy:{code}:id")
            page_id = record.values_list("value", flat=True).first()
            page = Page.objects.live().filter(pk=page_id).first() if page_id else None
            if page is not None:
                return page.get_url(request) or ""
        return ""

    return generations.remembered("privacy-url", territory.pk, (language,), compute)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap of an elided range ("…")
    href: str  # "?q=yoga&page=3": the same address, on that page
    current: bool = False


@dataclass(frozen=True)
class PageLinks:
    previous: str  # "" on the first page
    next: str  # "" on the last page
    pages: list[PageLink]


@register.simple_tag(takes_context=True)
def page_links(context, page_obj, on_each_side: int = 2) -> PageLinks:
    """``{% page_links page_obj as links %}``: the links of a paginated list, each keeping the
    address's other parameters (a search, filters). Long ranges are elided around the current
    page: 1 2 … 6 7 8 9 10 … 41 42."""
    request = context.get("request")
    others = request.GET.copy() if request is not None else QueryDict(mutable=True)
    others.pop("page", None)
    start = f"?{others.urlencode()}&page=" if others else "?page="
    paginator, number = page_obj.paginator, page_obj.number
    pages = [
        PageLink(None, "")
        if item == paginator.ELLIPSIS
        else PageLink(item, f"{start}{item}", current=item == number)
        for item in paginator.get_elided_page_range(number, on_each_side=on_each_side, on_ends=2)
    ]
    return PageLinks(
        previous=f"{start}{number - 1}" if number > 1 else "",
        next=f"{start}{number + 1}" if number < paginator.num_pages else "",
        pages=pages,
    )


def page_translations(request: HttpRequest, page: Page) -> dict[str, Page]:
    """``page`` and its live translations by language code: one query, cached on the request.

    The language switcher and the head's hreflang alternates both ask for them.
    """
    cached = request.__dict__.setdefault("_portal_translations", {})
    if page.pk not in cached:
        cached[page.pk] = {
            translated.locale.language_code: translated
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
    return cached[page.pk]


@register.simple_tag(takes_context=True)
def language_links(context, page=None) -> list[LanguageLink]:
    """``{% language_links page as links %}``: one link per language of the territory.

    Each points to ``page``'s live translation in that language, or, if there is none, to
    that language's home. Without a page (shop views) it points to the same view in that
    language. One query for the translations, whatever the number of languages.
    """
    request = context.get("request")
    territory = getattr(request, "territory", None)
    if territory is None:
        return []
    in_shop = not isinstance(page, Page) and is_shop_view(request)
    if in_shop:
        urls = {code: translate_url(request.get_full_path(), code) for code in territory.languages}
    else:
        # the same for every request of this page (or of any page that is not one): kept with
        # the portal's generation, so the switcher, outside the header's fragments, costs no query
        page_pk = page.pk if isinstance(page, Page) else None
        urls = generations.remembered(
            "language-links", territory.pk, (page_pk,), lambda: _language_urls(request, page)
        )
    active = get_language()
    links = []
    for code in territory.languages:
        url = urls.get(code)
        if not url:
            continue
        try:
            name = get_language_info(code)["name_local"]
        except KeyError:
            name = code
        links.append(LanguageLink(code, name, url, _language_matches(code, active)))
    return links


def _language_urls(request: HttpRequest, page: Page | None) -> dict[str, str | None]:
    """Per language of the portal: ``page``'s live translation, else that language's home."""
    translations = page_translations(request, page) if isinstance(page, Page) else {}
    homes = _homes(request)
    urls = {}
    for code in request.territory.languages:
        target = translations.get(code) or homes.get(code)
        urls[code] = target.get_url(request) if target is not None else None
    return urls


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page=None) -> list[Page]:
    """``{% breadcrumb_pages page as crumbs %}``: the live ancestors of ``page`` from its home.

    Empty on a home page. One query.
    """
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return list(Page.objects.ancestor_of(page).filter(depth__gte=2).live().select_related("locale"))


# Colours -----------------------------------------------------------------------------------


def _relative_luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted(
        (_relative_luminance(first), _relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _valid(colour) -> bool:
    value = str(colour or "")
    return (
        len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


DARK_TEXT = "#1b1b1b"
LIGHT_TEXT = "#ffffff"


@register.filter
@lru_cache(maxsize=256)
def on_colour(background) -> str:
    """The text colour (white or near-black) with the better contrast on ``background``."""
    if not _valid(background):
        return LIGHT_TEXT
    if contrast_ratio(background, LIGHT_TEXT) >= contrast_ratio(background, DARK_TEXT):
        return LIGHT_TEXT
    return DARK_TEXT


@register.filter
@lru_cache(maxsize=256)
def readable_on_white(colour, minimum: float = 4.5) -> str:
    """``colour``, darkened just enough to reach ``minimum`` contrast on white (for links)."""
    if not _valid(colour):
        return "#0059b3"
    value = str(colour).lower()
    red, green, blue = (int(value[i : i + 2], 16) for i in (1, 3, 5))
    factor = 1.0
    while contrast_ratio(value, LIGHT_TEXT) < float(minimum) and factor > 0:
        factor -= 0.05
        value = "#{:02x}{:02x}{:02x}".format(
            *(max(0, round(c * factor)) for c in (red, green, blue))
        )
    return value


@register.filter(is_safe=False)
def plain_text(value) -> str:
    """Rich text as plain text: tags stripped, entities decoded (autoescape re-escapes once)."""
    return html.unescape(strip_tags(str(value or "")))


@register.filter
def service_icon(product) -> str:
    """The sprite id of the icon for a service, from its (prefetched) categories."""
    return icon_for(product.categories.all()) if hasattr(product, "categories") else DEFAULT_ICON


@register.simple_tag
def data_lang(language: str = "") -> str:
    """`` lang="it"`` on an element showing data written in ``language`` (default: the
    site's, Italian: the shared catalogue's names and descriptions, a portal's tagline) on a
    page in another language, so that screen readers pronounce it as Italian (WCAG 3.1.2);
    nothing on a page in that language."""
    from django.conf import settings
    from django.utils.html import format_html

    source = (language or settings.LANGUAGE_CODE).split("-")[0]
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return "" if source == active else format_html(' lang="{}"', source)
