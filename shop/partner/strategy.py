"""Prices and availability for the request's territory.

Oscar asks the strategy which stock record to sell a product from; ours picks the cheapest
available offer in the request's territory and nothing else, so a product not offered there has no
price and cannot be bought.
"""

from decimal import Decimal

from oscar.apps.partner.availability import Available
from oscar.apps.partner.prices import FixedPrice
from oscar.apps.partner.strategy import NoTax, Structured, Unavailable
from oscar.core.loading import get_model

from shop.giftcards.pricing import price_for_options

ZERO = Decimal("0.00")


class BandPrice(FixedPrice):
    """A price for a citizen with a verified income band: reduced (``band`` says by what
    and who pays), or full with a ``notice`` saying why no reduction applies."""

    def __init__(self, currency, excl_tax, tax=None, *, band=None, notice: str = ""):
        super().__init__(currency, excl_tax, tax)
        self.band = band  # portal.welfare.pricing.Applied, or None
        self.notice = notice

    @property
    def full_incl_tax(self):
        return self.band.full if self.band is not None else self.incl_tax

    @property
    def why(self) -> str:
        return self.band.why if self.band is not None else ""


class TerritoryStrategy(NoTax, Structured):
    """Prices include VAT (Italian consumer prices); services are not stock-limited."""

    def __init__(self, request=None, territory=None, *, user=None, placing=None):
        super().__init__(request)
        self.territory = territory if territory is not None else getattr(request, "territory", None)
        if user is not None:
            self.user = user
        # a StripePayment being placed: its band prices are those of the day it was charged,
        # with what it holds on the budgets counted as still there (see band_terms)
        self._placing = placing
        self._offers: dict[int, list] = {}  # product id → its offers here, see preload()
        self._terms = None  # the citizen's income band terms, read once (band_terms)
        self._slugs: dict[int, frozenset[str]] = {}  # product id → category slugs
        self._line_prices: dict = {}  # basket line → its band price, see fetch_for_line()

    @property
    def band_terms(self):
        """The signed-in citizen's income band here today: one query per request, on first
        use (none for a visitor)."""
        if self._terms is None:
            from django.utils import timezone

            from portal.welfare.pricing import band_terms

            placing = self._placing
            self._terms = band_terms(
                getattr(self, "user", None),
                self.territory,
                timezone.localdate(placing.created) if placing else timezone.localdate(),
                held_for=placing.order_number if placing else None,
            )
        return self._terms

    @property
    def pricing_key(self) -> str:
        """What this request's prices depend on besides the territory: "" for everyone's
        prices; the band's reductions and budgets for a citizen with a band (a key of every
        cached fragment or card showing prices)."""
        user = getattr(self, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return self.band_terms.key

    def _band_needs_slugs(self) -> bool:
        return any(r.categories for r in self.band_terms.reductions)

    def know_category_slugs(self, slugs: dict[int, set[str]]) -> None:
        """Category slugs a listing read already (shop/catalogue/cards.py), by product id."""
        for pk, found in slugs.items():
            self._slugs.setdefault(pk, frozenset(found))

    def load_category_slugs(self, products) -> None:
        """The category slugs of many products in one query (only for a citizen with a
        category reduction)."""
        # kept by all that is asked, not by what this request misses of it: the same list
        # finds the same entry whatever else the request priced before (its basket's lines)
        wanted = {p.parent_id or p.pk for p in products}
        if not wanted - self._slugs.keys() or not self._band_needs_slugs():
            return
        from portal.programmes.checkout import category_slugs
        from portal.territories.generations import remembered

        # kept until the portal's generation changes (a catalogue change bumps it)
        found = remembered(
            "band-slugs",
            self.territory.pk,
            tuple(sorted(wanted)),
            lambda: category_slugs(wanted),
        )
        for pk in wanted:
            self._slugs[pk] = found.get(pk, frozenset())

    def category_slugs_of(self, product_id: int) -> frozenset[str]:
        """The category slugs (ancestors included) of a parent or standalone product, as
        :meth:`load_category_slugs` read them: what its band reduction is matched against."""
        return self._slugs.get(product_id, frozenset())

    def pricing_policy(self, product, stockrecord):
        price = super().pricing_policy(product, stockrecord)
        user = getattr(self, "user", None)
        if not stockrecord or user is None or not user.is_authenticated:
            return price
        terms = self.band_terms
        if not terms.active:
            return BandPrice(price.currency, price.excl_tax, price.tax, notice=terms.notice)
        own = product.parent_id or product.pk
        if own not in self._slugs:
            self.load_category_slugs([product])
        reduction = terms.reduction_for(product, self.category_slugs_of(own))
        if reduction is None:
            return BandPrice(price.currency, price.excl_tax, price.tax)
        applied, notice = terms.apply(reduction, price.incl_tax)
        if applied is None:
            return BandPrice(price.currency, price.excl_tax, price.tax, notice=notice)
        return BandPrice(price.currency, price.excl_tax - applied.off, price.tax, band=applied)

    def preload(self, products) -> None:
        """Fetch the offers in this territory of many products in one query.

        Listings call it before pricing a page of products; without it each product's
        offers are read from ``product.stockrecords`` (prefetched or one query each).
        """
        if self.territory is None:
            return
        wanted = [p.pk for p in products if p.pk not in self._offers]
        if not wanted:
            return
        for product_id in wanted:
            self._offers[product_id] = []
        StockRecord = get_model("partner", "StockRecord")
        offers = StockRecord.objects.filter(
            territory=self.territory, product_id__in=wanted, available=True
        )
        for offer in offers:
            self._offers[offer.product_id].append(offer)

    def select_stockrecord(self, product):
        if self.territory is None:
            return None
        offers = self._offers.get(product.pk)
        if offers is None:
            # .all() so that a prefetched list is used without a query
            offers = [
                s
                for s in product.stockrecords.all()
                if s.territory_id == self.territory.pk and s.available
            ]
        return min(offers, key=lambda s: s.price, default=None)

    def fetch_for_line(self, line, stockrecord=None):
        """A line's options may set its price: a gift voucher costs the amount chosen."""
        attributes = list(line.attributes.all())  # prefetched by Basket.all_lines
        if getattr(line, "basket", None) is not None and line.basket_id:
            self.load_category_slugs([ln.product for ln in line.basket.all_lines()])
        info = self._band_line(line, self.fetch_for_product(line.product))
        if not attributes:
            return info
        codes = self._option_codes({a.option_id for a in attributes})
        return price_for_options(info, {codes[a.option_id]: a.value for a in attributes})

    def _band_line(self, line, info):
        """A band reduction of a line needs the budget for all its units, and the basket's
        lines together never more than the budget left: else the line is at full price,
        with the notice why."""
        price = info.price
        band = getattr(price, "band", None)
        if band is None:
            return info
        from portal.welfare.pricing import exhausted_notice

        others = sum(
            (
                off
                for key, (programme_id, off) in self._line_prices.items()
                if key != line.pk and programme_id == band.programme_id
            ),
            ZERO,
        )
        left = self.band_terms.budgets.get(band.programme_id, ZERO) - others
        if band.off * line.quantity > left:
            self._line_prices.pop(line.pk, None)
            full = BandPrice(
                price.currency,
                price.excl_tax + band.off,
                price.tax,
                notice=exhausted_notice(band.programme_title),
            )
            return info._replace(price=full)
        self._line_prices[line.pk] = (band.programme_id, band.off * line.quantity)
        return info

    def fetch_for_product_with_options(self, product, options):
        """Like :meth:`fetch_for_line`, for a line about to be added (``options`` as Oscar's)."""
        info = self.fetch_for_product(product)
        return price_for_options(info, {o["option"].code: o["value"] for o in options})

    def _option_codes(self, option_ids: set[int]) -> dict[int, str]:
        """Option codes by id, read once per request for all lines."""
        cache = self.__dict__.setdefault("_option_code_cache", {})
        missing = option_ids - cache.keys()
        if missing:
            Option = get_model("catalogue", "Option")
            cache.update(Option.objects.filter(pk__in=missing).values_list("pk", "code"))
        return cache

    def availability_policy(self, product, stockrecord):
        return Available() if stockrecord else Unavailable()

    def parent_pricing_policy(self, product, children_stock):
        """A service sold in packages costs "from" its cheapest package here (Oscar: the first)."""
        offers = [stockrecord for _child, stockrecord in children_stock if stockrecord]
        return self.pricing_policy(product, min(offers, key=lambda s: s.price, default=None))

    def parent_availability_policy(self, product, children_stock):
        if any(stockrecord for _child, stockrecord in children_stock):
            return Available()
        return Unavailable()


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        strategy = TerritoryStrategy(request, territory=kwargs.get("territory"))
        if user is not None and getattr(strategy, "user", None) is None:
            strategy.user = user  # an offline process pricing for a citizen
        return strategy
