"""Which of a person's saved products (wish-list lines, stock alerts) a portal shows.

Wish lists and alerts are the person's, across portals; a portal shows and accepts only the
products it offers, so a service sold only in Sondrio never appears, nor can be added, in
Napoli's account pages.
"""

from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from portal.territories.models import Territory
from shop.catalogue.scoping import offered_in

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def offered_products(territory: Territory | None) -> QuerySet:
    """Every product a person can save on ``territory``'s portal: the services it lists
    (a service sold in packages included) and the packages it sells."""
    if territory is None:
        return Product.objects.none()
    packages = StockRecord.objects.filter(territory=territory, available=True)
    return Product.objects.filter(
        Q(pk__in=offered_in(territory).values("pk"))
        | Q(pk__in=packages.values("product_id"), parent__is_public=True)
    )


def saved_here(queryset: QuerySet, territory: Territory | None) -> QuerySet:
    """The rows of ``queryset`` (with a ``product``) whose product ``territory`` offers."""
    return queryset.filter(product__in=offered_products(territory).values("pk"))
