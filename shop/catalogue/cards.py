"""Service cards: what a listing shows of each service, computed in Python, once per list.

A listing page shows up to 24 cards. Rendering each through its own include with Oscar's
``purchase_info_for_product`` tag, an HTML parser for the summary and Babel for the price
cost more than the rest of the page together; here each card is a small frozen record
built from the prefetched products, and the themes print its fields in one loop.
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language, to_locale
from oscar.core.loading import get_model

ProductCategory = get_model("catalogue", "ProductCategory")

SUMMARY_WORDS = 30

# Icons of the Bootstrap Italia sprite shown on service cards, by category slug.
CATEGORY_ICONS = {
    "educazione": "it-pencil",
    "famiglia-e-genitorialita": "it-user",
    "anziani-e-domiciliarita": "it-map-marker-circle",
    "salute-e-benessere": "it-plus-circle",
    "disabilita": "it-hearing",
    "casa-e-servizi-pratici": "it-tool",
    "cultura-e-tempo-libero": "it-bookmark",
    "inclusione": "it-comment",
}
DEFAULT_ICON = "it-check-circle"

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ServiceCard:
    upc: str
    title: str
    url: str
    summary: str  # plain text, autoescaped by the template
    icon: str  # sprite id
    category: str  # the first category's name, or ""
    price: Decimal | None  # None: not offered here
    price_text: str  # "25 €", "Gratuito"… formatted for the active language
    delivery: tuple[str, ...] = ()  # how it is delivered: "Online", "A domicilio"…


@lru_cache(maxsize=4096)
def summary_of(description: str, words: int = SUMMARY_WORDS) -> str:
    """The first ``words`` words of a rich-text description, as plain text."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", description))).strip()
    return Truncator(text).words(words, truncate="…")


@lru_cache(maxsize=4096)
def format_price(amount: Decimal, currency: str, language: str) -> str:
    """``amount`` as the shop shows money (Oscar's ``currency`` filter, memoised)."""
    options = {"format": settings.OSCAR_CURRENCY_FORMAT}
    if isinstance(settings.OSCAR_CURRENCY_FORMAT, dict):
        options = settings.OSCAR_CURRENCY_FORMAT.get(currency, {})
    return format_currency(amount, currency=currency, locale=to_locale(language), **options)


def icon_for(categories) -> str:
    for category in categories:
        if category.slug in CATEGORY_ICONS:
            return CATEGORY_ICONS[category.slug]
    return DEFAULT_ICON


def categories_of(product_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The first category (name, slug) of each product, in the catalogue's tree order."""
    first: dict[int, tuple[str, str]] = {}
    if not product_ids:
        return first
    rows = (
        ProductCategory.objects.filter(product_id__in=product_ids)
        .order_by("category__path")
        .values_list("product_id", "category__name", "category__slug")
    )
    for product_id, name, slug in rows:
        first.setdefault(product_id, (name, slug))
    return first


def service_cards(
    products, strategy, free_label: str, from_label: str = "%(price)s"
) -> list[ServiceCard]:
    """One card per product, priced by ``strategy`` (the request's territory).

    Two queries whatever the number of products: the offers (``strategy.preload``) and the
    categories.
    """
    language = get_language() or settings.LANGUAGE_CODE
    products = list(products)
    if hasattr(strategy, "preload"):
        strategy.preload(products)
    categories = categories_of([p.pk for p in products])
    cards = []
    for product in products:
        first = categories.get(product.pk)
        if product.is_parent:
            # sold in packages: the cheapest package here (offered_in's from_price), with
            # no query for the packages themselves
            amount = getattr(product, "from_price", None)
            currency = settings.OSCAR_DEFAULT_CURRENCY
        else:
            price = strategy.fetch_for_product(product).price
            amount = price.incl_tax if price.exists else None
            currency = price.currency
        if amount is None:
            price_text = ""
        elif amount == 0:
            price_text = str(free_label)
        else:
            price_text = format_price(amount, currency, language)
            if product.is_parent:
                price_text = from_label % {"price": price_text}
        cards.append(
            ServiceCard(
                upc=product.upc or "",
                title=product.get_title(),
                url=product.get_absolute_url(),
                summary=summary_of(product.description or ""),
                icon=CATEGORY_ICONS.get(first[1], DEFAULT_ICON) if first else DEFAULT_ICON,
                category=first[0] if first else "",
                price=amount,
                price_text=price_text,
                delivery=tuple(product.delivery_labels),
            )
        )
    return cards
