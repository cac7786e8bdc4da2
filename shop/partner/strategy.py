"""Prices and availability for the request's territory.

Oscar asks the strategy which stock record to sell a product from; ours picks the cheapest
offer in the request's territory and nothing else, so a product not offered there has no
price and cannot be bought.
"""

from oscar.apps.partner.availability import Available
from oscar.apps.partner.strategy import NoTax, Structured, Unavailable


class TerritoryStrategy(NoTax, Structured):
    """Prices include VAT (Italian consumer prices); services are not stock-limited."""

    def __init__(self, request=None, territory=None):
        super().__init__(request)
        self.territory = territory if territory is not None else getattr(request, "territory", None)

    def select_stockrecord(self, product):
        if self.territory is None:
            return None
        # .all() so that a prefetched list is used without a query
        offers = [s for s in product.stockrecords.all() if s.territory_id == self.territory.pk]
        return min(offers, key=lambda s: s.price, default=None)

    def availability_policy(self, product, stockrecord):
        return Available() if stockrecord else Unavailable()

    def parent_availability_policy(self, product, children_stock):
        if any(stockrecord for _child, stockrecord in children_stock):
            return Available()
        return Unavailable()


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return TerritoryStrategy(request, territory=kwargs.get("territory"))
