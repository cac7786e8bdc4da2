"""A card attempt the citizen walked away from gives their basket back.

Paying by card freezes the basket (Oscar's ``freeze_basket``) while the bank may still ask
for 3-D Secure. A citizen who leaves the bank's modal for the basket or the catalogue would
otherwise find an empty basket (a frozen basket is not "open") until the sweep
(``settle_abandoned_payments``) ends the attempt, and a guest would lose it for good (the
basket cookie points to a basket that is not open, and is dropped). So when the visitor's own
basket is found frozen by a live card attempt, the attempt is ended at Stripe first: canceled,
its voucher holds released and the basket reopened; or, if the bank said yes meanwhile, the
order is placed (the money was taken).
"""

import logging
from dataclasses import dataclass

import stripe
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)
Basket = get_model("basket", "Basket")


@dataclass(frozen=True)
class Reopening:
    """What became of a frozen basket: reopened, paid (``order``) or still with the bank."""

    reopened: bool
    order: object = None


def reopen_frozen(basket: Basket) -> Reopening:
    """End the live card attempt that froze ``basket`` (one of the visitor's own)."""
    from shop.payment.fulfilment import settle_unfinished
    from shop.payment.models import StripePayment

    payment = (
        StripePayment.objects.filter(
            basket=basket, status=StripePayment.Status.PENDING, order__isnull=True
        )
        .order_by("-pk")
        .first()
    )
    if payment is None:  # frozen by a placement under way in another request: leave it
        return Reopening(reopened=False)
    try:
        order = settle_unfinished(payment, "abandoned")
    except stripe.StripeError:
        logger.warning("Payment %s: Stripe did not answer; the basket stays frozen", payment.pk)
        return Reopening(reopened=False)
    if order is not None:
        return Reopening(reopened=False, order=order)
    basket.refresh_from_db(fields=["status"])
    return Reopening(reopened=basket.status == Basket.OPEN)


def welcome_back(request, basket: Basket) -> bool:
    """The visitor's frozen ``basket`` is settled and they are told how; True when it is
    theirs to use again (open), False when it was paid or the bank has not answered."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    outcome = reopen_frozen(basket)
    if outcome.reopened:
        messages.info(
            request,
            _(
                "Your card payment was not completed. No payment has been taken: your basket "
                "is as you left it."
            ),
        )
    elif outcome.order is not None:
        from oscar.core.loading import get_class

        from .views import finish_checkout

        CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
        finish_checkout(request, CheckoutSessionData(request), outcome.order)
        messages.success(
            request,
            _("Your payment went through: order %(number)s is placed.")
            % {"number": outcome.order.number},
        )
    return outcome.reopened
