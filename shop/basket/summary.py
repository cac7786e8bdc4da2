"""The mini basket's line ("Carrello: 2 servizi · 48,00 €") without loading the basket.

Every shop page shows it. Reading it from ``request.basket`` loads the basket, its lines,
their options, offers and vouchers and applies Oscar's offers: about half of a listing's or
a product page's time for a visitor with a session (bench/README.md). The summary is kept in
the cache under a key of everything it depends on:

- whose basket: the signed-in citizen on this portal, or the anonymous basket's id (from its
  signed cookie);
- the basket's revision: a random token renewed whenever that basket, one of its lines, a
  line's options or its vouchers change (the signals in :func:`connect`, on every change and
  again when it commits), so that a change made on another device or by another process
  shows on the next page;
- the portal's generation (its offers' prices, the shared catalogue: generations.py);
- the offers' revision: Oscar's offers, their conditions, benefits and ranges, vouchers;
- this citizen's prices (``strategy.pricing_key``: the income band's reductions and what
  their budgets have left).

A missing token (new, evicted) is a miss: the basket is loaded as before and its summary
kept. What is never kept: a basket loaded while a frozen one waits to be settled (a card
payment left open: the next page must settle it, ``shop.checkout.abandonment``), a citizen
who has just signed in with an anonymous basket to merge. A summary lives at most
``PORTAL_FRAGMENT_CACHE_SECONDS``: an offer that ends on its own shows in the mini basket
after that, on the basket page and at checkout at once (those load the basket).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.utils.functional import SimpleLazyObject, empty

from portal.defaults import setting
from portal.territories.generations import generation, renew, token

REVISION = "basket:revision:"  # + whose basket
OFFERS_REVISION = "basket:offers-revision"
SUMMARY = "basket:mini:"
_EMPTY = "empty"  # kept for a basket with nothing to show (a citizen who bought nothing yet)


@dataclass(frozen=True)
class MiniBasket:
    """What the shop bar says of a basket with something in it."""

    num_items: int
    total: Decimal
    currency: str


def _whose(request) -> str | None:
    """Whose basket this request shows, as a key's part; None when its summary is not kept
    (a merge to make, a forged cookie to delete: the full load does both)."""
    territory = getattr(request, "territory", None)
    has_cookie = settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES
    if request.user.is_authenticated:
        if has_cookie or territory is None:
            return None  # just signed in: the anonymous basket is merged by the full load
        return owner_key(request.user.pk, territory.pk)
    if not has_cookie:
        return None  # a basket this request made: not kept until its cookie comes back
    try:
        basket_id = int(Signer().unsign(request.COOKIES[settings.OSCAR_BASKET_COOKIE_OPEN]))
    except (BadSignature, ValueError):
        return None
    return basket_key(basket_id)


def owner_key(user_id: int, territory_id: int | None) -> str:
    return f"owner:{user_id}:{territory_id}"


def basket_key(basket_id: int) -> str:
    return f"basket:{basket_id}"


def summary_key(request, whose: str) -> str:
    """The cache key of ``whose`` basket's summary for this request (its every dimension)."""
    territory = request.territory
    return ":".join(
        [
            SUMMARY + whose,
            token(REVISION + whose),
            generation(territory.pk),
            token(OFFERS_REVISION),
            request.strategy.pricing_key,
        ]
    )


def _summarise(basket) -> MiniBasket | None:
    if not basket.id or not basket.num_items:
        return None
    total = basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax
    return MiniBasket(basket.num_items, total, basket.currency)


def mini_basket(request) -> MiniBasket | None:
    """The mini basket of this request's visitor: None when there is nothing to show."""
    basket = getattr(request, "basket", None)
    if basket is None:
        return None
    loaded = not (isinstance(basket, SimpleLazyObject) and basket._wrapped is empty)
    if (
        not loaded
        and not request.user.is_authenticated
        and settings.OSCAR_BASKET_COOKIE_OPEN not in request.COOKIES
    ):
        return None  # no cookie, no basket: nothing to build for them
    whose = _whose(request)
    if whose is None:
        return _summarise(basket)
    seconds = setting("PORTAL_FRAGMENT_CACHE_SECONDS")
    if not seconds:
        return _summarise(basket)
    key = summary_key(request, whose)  # read before the basket, so a change meanwhile misses
    if not loaded:
        kept = cache.get(key)
        if kept is not None:
            return None if kept == _EMPTY else MiniBasket(*kept)
    summary = _summarise(basket)
    if not getattr(request, "_basket_frozen_left", False):
        value = _EMPTY if summary is None else (summary.num_items, summary.total, summary.currency)
        cache.set(key, value, timeout=seconds)
    return summary


def basket_changed(basket) -> None:
    """A basket changed (its lines, options, vouchers, status or owner): its summaries go."""
    whose = [basket_key(basket.pk)]
    if basket.owner_id:
        whose.append(owner_key(basket.owner_id, basket.territory_id))
    renew(*(REVISION + w for w in whose))


def _offers_changed(**_kwargs) -> None:
    renew(OFFERS_REVISION)


def connect() -> None:
    """Called from the basket app's ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from oscar.core.loading import get_model

    Basket = get_model("basket", "Basket")
    Line = get_model("basket", "Line")
    LineAttribute = get_model("basket", "LineAttribute")

    def on_basket(sender, instance, **kwargs):
        if instance.pk is not None:
            basket_changed(instance)

    def on_line(sender, instance, **kwargs):
        try:
            basket = instance.basket  # the line's basket is usually at hand (no query)
        except Basket.DoesNotExist:  # deleted with its basket
            return
        basket_changed(basket)

    def on_line_attribute(sender, instance, **kwargs):
        try:
            basket = instance.line.basket
        except (Line.DoesNotExist, Basket.DoesNotExist):
            return
        basket_changed(basket)

    def on_vouchers(sender, instance, **kwargs):
        if isinstance(instance, Basket):
            basket_changed(instance)
        else:  # a voucher's baskets changed from its side: every summary goes
            _offers_changed()

    uid = "basket-summary"
    for signal in (post_save, post_delete):
        signal.connect(on_basket, sender=Basket, weak=False, dispatch_uid=f"{uid}-basket")
        signal.connect(on_line, sender=Line, weak=False, dispatch_uid=f"{uid}-line")
        signal.connect(
            on_line_attribute, sender=LineAttribute, weak=False, dispatch_uid=f"{uid}-attr"
        )
        for model in (
            ("offer", "ConditionalOffer"),
            ("offer", "Condition"),
            ("offer", "Benefit"),
            ("offer", "Range"),
            ("offer", "RangeProduct"),
            ("voucher", "Voucher"),
            ("voucher", "VoucherSet"),
        ):
            signal.connect(
                _offers_changed, sender=get_model(*model), dispatch_uid=f"{uid}-{model[1]}"
            )
    m2m_changed.connect(
        on_vouchers, sender=Basket.vouchers.through, weak=False, dispatch_uid=f"{uid}-v"
    )
    Range = get_model("offer", "Range")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Voucher = get_model("voucher", "Voucher")
    for field in (
        Range.included_products,
        Range.excluded_products,
        Range.classes,
        Range.included_categories,
        Range.excluded_categories,
        ConditionalOffer.combinations,
        Voucher.offers,
    ):
        m2m_changed.connect(
            _offers_changed, sender=field.through, dispatch_uid=f"{uid}-{field.through.__name__}"
        )
