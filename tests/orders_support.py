"""Orders for tests, made with Oscar's own machinery (basket → OrderCreator), not the payment flow.

Placing through ``OrderCreator.place_order`` sends Oscar's ``order_placed`` signal, so the
booking receiver (routing, cooperatives' e-mails) runs exactly as after a real payment.
"""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from shop.booking.models import LineBooking
from shop.order.demo import place_basket
from shop.partner.strategy import TerritoryStrategy

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")

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
    return place_basket(basket, user=user, number=str(next(_numbers)), guest_email=guest_email)


def price_of(order) -> Decimal:
    return order.total_incl_tax
