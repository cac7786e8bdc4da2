"""The products a territory offers: the one queryset every public shop view starts from."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from oscar.core.loading import get_model

from portal.territories.models import Territory

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def offered_in(territory: Territory | None) -> QuerySet:
    """Public, canonical products with at least one offer in ``territory``.

    Prefetches only that territory's stock records, so the strategy prices a whole page of
    products without a query per product.
    """
    if territory is None:
        return Product.objects.none()
    offers = StockRecord.objects.filter(territory=territory)
    return (
        Product.objects.browsable()
        .filter(Exists(offers.filter(product=OuterRef("pk"))))
        .select_related("product_class")
        .prefetch_related(
            Prefetch("stockrecords", queryset=offers.select_related("partner")),
            "categories",
        )
    )
