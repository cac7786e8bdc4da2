"""From "Stripe says paid" to exactly one order, whoever says it first and however often.

Both the return page and the ``payment_intent.succeeded`` webhook call :func:`fulfil`. The
payment row is locked (``select_for_update``) and its ``order`` is a unique one-to-one, the
order number is unique in Oscar: a second caller waits for the first, then finds the order
already there and returns it. Only the placement that wrote the order sends the e-mail.
"""

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import translation
from oscar.core.loading import get_model

from shop.checkout.placement import OrderPlacement, rebuilt_request

from . import tender
from .gateway import to_cents
from .models import StripePayment

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


class PaymentMismatch(Exception):
    """Stripe's PaymentIntent does not match the payment we recorded: place nothing."""


def fulfil(intent: Any, request: HttpRequest | None = None) -> Order | None:
    """Place the order paid by ``intent`` (a Stripe PaymentIntent) once; return it.

    ``intent`` comes from Stripe (retrieved, or inside a verified event). ``request`` is the
    citizen's own on the return page; the webhook passes none and one is rebuilt from the
    payment row. Returns None when the intent has not succeeded or is not one of ours.
    """
    if intent.status != "succeeded":
        return None
    try:
        with transaction.atomic():
            payment = (
                StripePayment.objects.select_for_update(of=("self",))
                .select_related("basket", "territory", "site", "user", "order")
                .filter(payment_intent_id=intent.id)
                .first()
            )
            if payment is None:
                logger.warning("PaymentIntent %s succeeded but is not ours", intent.id)
                return None
            if payment.order_id:
                return payment.order
            if intent.amount != to_cents(payment.amount) or (
                intent.currency.lower() != payment.currency.lower()
            ):
                raise PaymentMismatch(f"{intent.id}: amount or currency differ from ours")
            placement_request = request or rebuilt_request(payment)
            with translation.override(payment.language or None):
                order = OrderPlacement(placement_request).place_paid_order(payment, intent.id)
            payment.order = order
            payment.status = StripePayment.Status.SUCCEEDED
            payment.save(update_fields=["order", "status", "updated"])
            tender.capture(payment.order_number)
            return order
    except IntegrityError:
        # someone else placed it between our lock and our write (SQLite has no row locks)
        return Order.objects.filter(stripe_payment__payment_intent_id=intent.id).first()


def record_failure(intent: Any) -> StripePayment | None:
    """The card payment failed: no order, and any ledger hold is given back."""
    with transaction.atomic():
        payment = (
            StripePayment.objects.select_for_update(of=("self",))
            .filter(payment_intent_id=intent.id, order__isnull=True)
            .first()
        )
        if payment is None:
            return None
        error = getattr(intent, "last_payment_error", None) or {}
        code = error.get("code", "") if hasattr(error, "get") else ""
        payment.status = StripePayment.Status.FAILED
        payment.failure_code = code or "payment_failed"
        payment.save(update_fields=["status", "failure_code", "updated"])
        tender.release(payment.order_number)
        payment.basket.thaw()
        return payment
