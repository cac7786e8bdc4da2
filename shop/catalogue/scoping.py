"""The products a territory offers: the one queryset every public shop view starts from."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from oscar.core.loading import get_model

from portal.territories import generations
from portal.territories.models import Territory

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def offered_in(territory: Territory | None) -> QuerySet:
    """Public, canonical products with at least one offer in ``territory``.

    Nothing is prefetched: a listing prices its page of products with one query
    (``TerritoryStrategy.preload``) and gets their categories with another (cards.py);
    Django's generic prefetching costs more than the rest of the listing together.

    A service sold in packages (a parent product) is offered when one of its packages is;
    ``from_price`` is its cheapest package's price here, so a listing shows it without
    loading the packages.
    """
    if territory is None:
        return Product.objects.none()
    offers = StockRecord.objects.filter(territory=territory, available=True)
    # a service sold in packages is offered through its children (the packages)
    package_offers = offers.filter(product__parent=OuterRef("pk"), product__is_public=True)
    return (
        Product.objects.browsable()
        .filter(Exists(offers.filter(product=OuterRef("pk"))) | Exists(package_offers))
        .annotate(
            from_price=Subquery(package_offers.order_by("price").values("price")[:1]),
        )
        .select_related("product_class")
    )


def categories_offered_in(territory: Territory | None) -> list:
    """The categories with at least one service on offer in ``territory``, by name.

    The listing's side navigation: remembered until a stock record, category or territory
    changes (portal/territories/generations.py), so a listing page does not pay for it.
    """
    if territory is None:
        return []

    def compute() -> list:
        return list(
            Category.objects.filter(product__in=offered_in(territory)).distinct().order_by("name")
        )

    return generations.remembered("categories", territory.pk, (), compute)
