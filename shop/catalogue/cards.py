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
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, override, to_locale
from oscar.core.loading import get_model

from .facets import DELIVERY

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


@dataclass(frozen=True, eq=False)
class ServiceCard:
    """A card is compared and hashed by identity: ``card_for`` gives the same object for the
    same service on the same terms, and its HTML is remembered by that object
    (``service_cards.rendered_card``), without hashing every field of every card of every
    list again."""

    upc: str
    title: str
    url: str
    summary: str  # plain text, autoescaped by the template
    icon: str  # sprite id
    category: str  # the first category's name, or ""
    price: Decimal | None  # None: not offered here
    price_text: str  # "25 €", "Gratuito"… formatted for the active language
    delivery: tuple[str, ...] = ()  # how it is delivered: "Online", "A domicilio"…
    full_price_text: str = ""  # the price before an income band's reduction, or ""
    why: str = ""  # "−50% with band B, paid by …" (portal.welfare.pricing), or ""
    pk: int = 0  # the product's id (an income band's reduction looks at all its categories)


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


def categories_of(
    product_ids: list[int], slugs: dict[int, set[str]] | None = None
) -> dict[int, tuple[str, str]]:
    """The first category (name, slug) of each product, in the catalogue's tree order;
    ``slugs``, when given, gets every category slug of each product (same query)."""
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
        if slugs is not None:
            slugs.setdefault(product_id, set()).add(slug)
    return first


@lru_cache(maxsize=4096)
def card_for(
    *,
    pk: int,
    slug: str,
    upc: str | None,
    title: str,
    description: str | None,
    category: tuple[str, str] | None,
    amount: Decimal | None,
    is_parent: bool,
    delivery_modes: str,
    shared: "CardList",
    full_amount: Decimal | None = None,
    why: str = "",
) -> ServiceCard:
    """One service's card. ``amount`` is its price here (None: not offered here); for a
    service sold in packages (``is_parent``), its cheapest package, shown "from …".

    ``full_amount`` and ``why``: the price before a citizen's income band reduction and
    the reduction's reason (part of the key: a reduced card is never another's).

    Remembered: the same arguments give the same card object (see ``ServiceCard``)."""
    language = shared.language
    if amount is None:
        price_text = ""
    elif amount == 0:
        price_text = shared.free_label
    else:
        price_text = format_price(amount, settings.OSCAR_DEFAULT_CURRENCY, language)
        if is_parent:
            price_text = shared.from_label % {"price": price_text}
    return ServiceCard(
        upc=upc or "",
        title=title,
        url=product_url(slug, pk, language, shared.script_prefix, shared.urlconf),
        summary=summary_of(description or ""),
        icon=CATEGORY_ICONS.get(category[1], DEFAULT_ICON) if category else DEFAULT_ICON,
        category=category[0] if category else "",
        price=amount,
        price_text=price_text,
        delivery=delivery_labels(delivery_modes or "", language),
        full_price_text=(
            format_price(full_amount, settings.OSCAR_DEFAULT_CURRENCY, language)
            if full_amount is not None and why
            else ""
        ),
        why=why,
        pk=pk,
    )


@lru_cache(maxsize=4096)
def product_url(slug: str, pk: int, language: str, script_prefix: str, urlconf: str | None) -> str:
    """A product page's address in ``language`` (``Product.get_absolute_url``: "/en/shop/…"
    in English), remembered: reversing it was a third of a listing's time. Everything the
    address depends on is part of the key: the language (its prefix), the script prefix and
    the URLconf."""
    with override(language):
        return reverse("catalogue:detail", kwargs={"product_slug": slug, "pk": pk}, urlconf=urlconf)


@lru_cache(maxsize=256)
def delivery_labels(stored: str, language: str) -> tuple[str, ...]:
    """How a service is delivered ("Online", "A domicilio"…), in ``language`` (the active one)."""
    return tuple(DELIVERY.labels(stored))


@dataclass(frozen=True, eq=False)
class CardList:
    """What every card of one list shares, read once per list: the active language, the
    words around a price in it, and where the shop's addresses start. Part of the key of
    every remembered card (``card_for``), by identity: ``now()`` gives one object per
    language and prefix."""

    language: str
    free_label: str
    from_label: str
    script_prefix: str
    urlconf: str | None

    @classmethod
    def now(cls) -> "CardList":
        return _card_list(
            get_language() or settings.LANGUAGE_CODE, get_script_prefix(), get_urlconf()
        )


@lru_cache(maxsize=64)
def _card_list(language: str, script_prefix: str, urlconf: str | None) -> CardList:
    """One ``CardList`` per language and address prefix (the words are ``language``'s, read
    once per process)."""
    with override(language):
        return CardList(
            language=language,
            free_label=gettext("Free"),
            # Translators: the price of a service sold in packages: its cheapest package
            from_label=gettext("from %(price)s"),
            script_prefix=script_prefix,
            urlconf=urlconf,
        )


def service_cards(products, strategy) -> list[ServiceCard]:
    """One card per product, priced by ``strategy`` (the request's territory).

    Two queries whatever the number of products: the offers (``strategy.preload``) and the
    categories (which the strategy uses too for a citizen's income band reductions).
    """
    shared = CardList.now()
    products = list(products)
    if hasattr(strategy, "preload"):
        strategy.preload(products)
    slugs: dict[int, set[str]] = {}
    categories = categories_of([p.pk for p in products], slugs)
    if hasattr(strategy, "know_category_slugs"):  # an income band's category reductions
        strategy.know_category_slugs({p.pk: slugs.get(p.pk, set()) for p in products})
    cards = []
    for product in products:
        if product.is_parent:
            # sold in packages: the cheapest package here (offered_in's from_price), with
            # no query for the packages themselves
            amount = getattr(product, "from_price", None)
            full, why = None, ""
        else:
            price = strategy.fetch_for_product(product).price
            amount = price.incl_tax if price.exists else None
            why = getattr(price, "why", "")
            full = price.full_incl_tax if why else None
        cards.append(
            card_for(
                pk=product.pk,
                slug=product.slug,
                upc=product.upc,
                title=product.get_title(),
                description=product.description,
                category=categories.get(product.pk),
                amount=amount,
                is_parent=product.is_parent,
                delivery_modes=product._own_or_parent("delivery_modes"),
                shared=shared,
                full_amount=full,
                why=why,
            )
        )
    return cards


def banded_cards(cards: list[ServiceCard], strategy) -> list[ServiceCard]:
    """``cards`` as the request's citizen pays them: a card their income band reduces shows
    the reduced price, the full one and why (``portal.welfare.pricing``); everyone else's
    cards are returned as they are, with no query (the band is read once per request, by
    the strategy)."""
    user = getattr(strategy, "user", None)
    if user is None or not user.is_authenticated or not hasattr(strategy, "band_terms"):
        return cards
    terms = strategy.band_terms
    if not terms.active:
        return cards
    shared = CardList.now()
    priced = [c for c in cards if not c.why and c.price is not None and c.price > 0]
    # all the categories of each product, as its page matches them (one query, kept)
    strategy.load_category_slugs([_CardProduct(pk=c.pk, upc=c.upc) for c in priced])
    priced = set(priced)  # cards are hashed by identity
    out = []
    for card in cards:
        if card not in priced:
            out.append(card)
            continue
        product = _CardProduct(pk=card.pk, upc=card.upc)
        reduction = terms.reduction_for(product, strategy.category_slugs_of(card.pk))
        applied = terms.apply(reduction, card.price)[0] if reduction is not None else None
        out.append(card if applied is None else _banded(card, applied, shared))
    return out


@dataclass(frozen=True)
class _CardProduct:
    """What an income band's reduction looks at of a listed service: its id (for its
    categories) and its reference."""

    pk: int
    upc: str
    parent_id: None = None


@lru_cache(maxsize=4096)
def _banded(card: ServiceCard, applied, shared: CardList) -> ServiceCard:
    """``card`` reduced by ``applied`` (remembered: the same card object for the same terms,
    whose HTML is remembered by it)."""
    from dataclasses import replace

    amount = card.price - applied.off
    with override(shared.language):
        why = applied.why
    if amount == 0:
        price_text = shared.free_label
    else:
        price_text = format_price(amount, settings.OSCAR_DEFAULT_CURRENCY, shared.language)
        full_text = format_price(card.price, settings.OSCAR_DEFAULT_CURRENCY, shared.language)
        if card.price_text == shared.from_label % {"price": full_text}:  # sold in packages
            price_text = shared.from_label % {"price": price_text}
    return replace(
        card,
        price=amount,
        price_text=price_text,
        full_price_text=format_price(card.price, settings.OSCAR_DEFAULT_CURRENCY, shared.language),
        why=why,
    )
