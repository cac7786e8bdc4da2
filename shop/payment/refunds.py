"""Refunds (full or partial) of an order's card payment, through Stripe, recorded on the order.

The order's card ``Source`` row is locked while refunding, so two staff clicking at once
cannot refund more than was paid; Stripe gets an idempotency key made of the order and the
amount already refunded.
"""

from decimal import Decimal

import stripe
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from . import gateway
from .models import StripePayment

Source = get_model("payment", "Source")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

REFUNDED_EVENT = "Refunded"


class RefundRefused(Exception):
    """A refund that cannot be made; the message is for the staff member."""


def refund_order(order, amount: Decimal, user=None) -> PaymentEvent:
    """Refund ``amount`` of ``order``'s card payment; returns the order's payment event."""
    if amount <= 0:
        raise RefundRefused(_("The amount to refund must be more than zero."))
    payment = StripePayment.objects.filter(order=order).first()
    if payment is None:
        raise RefundRefused(_("This order was not paid by card."))
    with transaction.atomic():
        source = (
            Source.objects.select_for_update()
            .filter(order=order, reference=payment.payment_intent_id)
            .first()
        )
        if source is None:
            raise RefundRefused(_("This order was not paid by card."))
        if amount > source.amount_available_for_refund:
            raise RefundRefused(
                _("At most %(amount)s can still be refunded.")
                % {"amount": source.amount_available_for_refund}
            )
        key = f"refund-{order.number}-{source.amount_refunded}-{amount}"
        try:
            refund = gateway.refund(payment.payment_intent_id, amount, idempotency_key=key)
        except stripe.StripeError as error:
            raise RefundRefused(
                _("Stripe refused the refund: %(error)s") % {"error": error}
            ) from error
        source.refund(amount, reference=refund.id, status=refund.status or "")
        event_type, _created = PaymentEventType.objects.get_or_create(name=REFUNDED_EVENT)
        event = PaymentEvent.objects.create(
            order=order, event_type=event_type, amount=amount, reference=refund.id
        )
        if amount == order.total_incl_tax:
            for line in order.lines.all():
                PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
        return event
