"""Placing a paid order with Oscar's own machinery, from a view or from a webhook.

``OrderPlacement`` is Oscar's ``OrderPlacementMixin`` (payment sources and events recorded
with ``add_payment_source`` / ``add_payment_event``, ``handle_order_placement``, the
``order_placed`` signal, the confirmation e-mail) working on a request that may be the
citizen's (the return page) or rebuilt from the payment row (the webhook has no session).
Steps that add data to the order (booking details…) extend this class: whatever they kept in
the checkout session is available as ``self.checkout_session`` in both cases.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from oscar.core.loading import get_class, get_model

from shop.partner.strategy import TerritoryStrategy
from shop.payment import tender

OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")

CARD_SOURCE = "Carta (Stripe)"  # a SourceType name is data, shown in the dashboard
PAID_EVENT = "Paid"


class OrderPlacement(OrderPlacementMixin):
    """Oscar's order placement outside a checkout view."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.checkout_session = CheckoutSessionData(request)
        self.order = None

    def place_paid_order(self, payment, card_reference: str) -> object:
        """Write the order for ``payment`` (a locked StripePayment) and return it."""
        basket = payment.basket
        basket.strategy = TerritoryStrategy(
            territory=payment.territory, user=payment.user, placing=payment
        )
        self.request.basket = basket
        submission = self.build_submission(basket=basket, user=self.request.user)
        source_type, _ = SourceType.objects.get_or_create(name=CARD_SOURCE)
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=payment.currency,
                amount_allocated=payment.amount,
                amount_debited=payment.amount,
                reference=card_reference,
            )
        )
        self.add_payment_event(PAID_EVENT, payment.amount, reference=card_reference)
        if payment.amount < submission["order_total"].incl_tax:  # vouchers paid the rest
            for source in tender.paid_sources(payment.order_number):
                self.add_payment_source(source)
        order_kwargs = submission["order_kwargs"]
        if payment.guest_email and not self.request.user.is_authenticated:
            order_kwargs["guest_email"] = payment.guest_email
        if payment.site_id:
            order_kwargs["site"] = payment.site
        self.handle_order_placement(
            payment.order_number,
            submission["user"],
            basket,
            submission["shipping_address"],
            submission["shipping_method"],
            submission["shipping_charge"],
            submission["billing_address"],
            submission["order_total"],
            surcharges=submission["surcharges"],
            **order_kwargs,
        )
        return self.order

    def handle_successful_order(self, order):
        self.order = order
        return super().handle_successful_order(order)

    def send_order_placed_email(self, order):
        """After commit, and only by the placement that wrote the order."""
        transaction.on_commit(lambda: super(OrderPlacement, self).send_order_placed_email(order))


def rebuilt_request(payment) -> HttpRequest:
    """A request standing for the citizen's, for a placement the webhook triggers."""
    request = HttpRequest()
    request.method = "POST"
    if payment.site_id:
        request.META["HTTP_HOST"] = payment.site.domain
    request.META["SERVER_NAME"] = "localhost"
    request.META["SERVER_PORT"] = "80"
    request.session = SessionBase()
    request.session[CheckoutSessionData.SESSION_KEY] = dict(payment.checkout_data)
    request.user = payment.user or AnonymousUser()
    request.territory = payment.territory
    request.LANGUAGE_CODE = payment.language
    return request
