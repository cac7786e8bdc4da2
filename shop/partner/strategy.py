"""Prices and availability for the request's territory.

Oscar asks the strategy which stock record to sell a product from; ours picks the cheapest
available offer in the request's territory and nothing else, so a product not offered there has no
price and cannot be bought.
"""

from oscar.apps.partner.availability import Available
from oscar.apps.partner.strategy import NoTax, Structured, Unavailable
from oscar.core.loading import get_model

from shop.giftcards.pricing import price_for_options


class TerritoryStrategy(NoTax, Structured):
    """Prices include VAT (Italian consumer prices); services are not stock-limited."""

    def __init__(self, request=None, territory=None):
        super().__init__(request)
        self.territory = territory if territory is not None else getattr(request, "territory", None)
        self._offers: dict[int, list] = {}  # product id → its offers here, see preload()

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
        info = self.fetch_for_product(line.product)
        if not attributes:
            return info
        codes = self._option_codes({a.option_id for a in attributes})
        return price_for_options(info, {codes[a.option_id]: a.value for a in attributes})

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
        return TerritoryStrategy(request, territory=kwargs.get("territory"))
