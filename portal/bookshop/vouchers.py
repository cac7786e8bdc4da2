"""The gift voucher a reading tip points to: sold by ``shop.giftcards``, found in the shop."""

from django.db.models import Case, IntegerField, Value, When

from portal.territories.models import Territory
from shop.catalogue.scoping import offered_in

VOUCHER_CLASS = "buono-regalo"  # the product class slug of shop.giftcards


def gift_voucher_for(territory: Territory | None, bookshop=None):
    """The territory's gift voucher product: the one spendable at ``bookshop`` first, then
    one spendable anywhere in the territory; None if the territory sells no voucher."""
    products = offered_in(territory).filter(product_class__slug=VOUCHER_CLASS)
    if bookshop is not None:
        products = products.annotate(
            at_bookshop=Case(
                When(voucher__cooperative=bookshop, then=Value(0)),
                When(voucher__cooperative=None, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("at_bookshop", "pk")
    else:
        products = products.order_by("pk")
    return products.first()
