"""Orders for tests, made with Oscar's own machinery (basket → OrderCreator), not the payment flow.

Placing through ``OrderCreator.place_order`` sends Oscar's ``order_placed`` signal, so the
booking receiver (routing, cooperatives' e-mails) runs exactly as after a real payment.
"""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price

from shop.booking.models import LineBooking
from shop.partner.strategy import TerritoryStrategy

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
OrderCreator = get_class("order.utils", "OrderCreator")
Free = get_class("shipping.methods", "Free")

_numbers = itertools.count(900001)


def citizen(email: str = "maria.rossi@example.it"):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(username=email, email=email, password="x")


def basket_with(territory, upcs: list[str], user=None):
    basket = Basket.objects.create(owner=user, territory=territory)
    basket.strategy = TerritoryStrategy(territory=territory)
    for upc in upcs:
        basket.add_product(Product.objects.get(upc=upc), 1)
    return basket


def book(basket, territory, **overrides) -> list[LineBooking]:
    """Booking details for every line of ``basket`` (as the checkout step saves them)."""
    bookings = []
    for line in basket.all_lines():
        data = {
            "beneficiary": LineBooking.SELF,
            "name": "Maria Rossi",
            "address": "Via Roma 1",
            "municipality": "Rho",
            "territory": territory,
            "phone": "+39 02 000000",
            "preferred_times": "martedì mattina",
            "language": "it",
            **overrides,
        }
        bookings.append(LineBooking.objects.create(basket_line=line, **data))
    return bookings


def place(basket, user=None, guest_email: str = ""):
    """Place ``basket`` as an order, as Oscar's checkout does once payment has succeeded."""
    method = Free()
    charge = method.calculate(basket)
    total = Price(
        currency=basket.currency,
        excl_tax=basket.total_excl_tax + charge.excl_tax,
        incl_tax=basket.total_incl_tax + charge.incl_tax,
    )
    kwargs = {"guest_email": guest_email} if guest_email else {}
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        order_number=str(next(_numbers)),
        territory=basket.territory,
        site=DjangoSite.objects.get(domain=f"{basket.territory.slug}.localhost"),
        **kwargs,
    )
    basket.submit()
    return order


def price_of(order) -> Decimal:
    return order.total_incl_tax
