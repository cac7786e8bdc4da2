"""From "Stripe says paid" to exactly one order, whoever says it first and however often.

Both the return page and the ``payment_intent.succeeded`` webhook call :func:`fulfil`. The
payment row is locked (``select_for_update``) and its ``order`` is a unique one-to-one, the
order number is unique in Oscar: a second caller waits for the first, then finds the order
already there and returns it. Only the placement that wrote the order sends the e-mail.
"""

import logging
from datetime import timedelta
from typing import Any

import stripe
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from oscar.core.loading import get_model

from shop.checkout.placement import OrderPlacement, rebuilt_request

from . import gateway, tender
from .gateway import to_cents
from .models import StripePayment

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


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
            payment = _locked_payment_of(intent)
            if payment is None:
                logger.warning("PaymentIntent %s succeeded but is not ours", intent.id)
                return None
            if payment.order_id:
                return payment.order
            if intent.amount != to_cents(payment.amount) or (
                intent.currency.lower() != payment.currency.lower()
            ):
                # never an order for what was not asked; a person must look (and refund)
                logger.error("PaymentIntent %s: amount or currency differ from ours", intent.id)
                mark_failed(payment, "amount_mismatch")
                return None
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


def _locked_payment_of(intent: Any) -> StripePayment | None:
    """Our payment row for ``intent``, locked. An event can arrive before the charge's answer
    has been saved on the row: it is then found by the order number in the intent's metadata
    (and gets the intent's id), so a real payment is never dropped as "not ours"."""
    payments = StripePayment.objects.select_for_update(of=("self",)).select_related(
        "basket", "territory", "site", "user", "order"
    )
    payment = payments.filter(payment_intent_id=intent.id).first()
    metadata = getattr(intent, "metadata", None) or {}
    order_number = metadata.get("order_number") if hasattr(metadata, "get") else None
    if payment is None and order_number:
        payment = (
            payments.filter(order_number=order_number, payment_intent_id__isnull=True)
            .exclude(status=StripePayment.Status.FAILED)
            .first()
        )
        if payment is not None:
            payment.payment_intent_id = intent.id
            payment.save(update_fields=["payment_intent_id", "updated"])
    return payment


def mark_failed(payment: StripePayment, code: str) -> None:
    """No order for this attempt: marked failed, voucher holds given back, basket reopened."""
    payment.status = StripePayment.Status.FAILED
    payment.failure_code = code[:64]
    payment.save(update_fields=["status", "failure_code", "payment_intent_id", "updated"])
    tender.release(payment.order_number)
    payment.basket.thaw()


def settle_unfinished(payment: StripePayment, code: str) -> Order | None:
    """End an attempt that did not succeed (declined, 3-D Secure abandoned, left open).

    Its PaymentIntent is canceled first; if Stripe says it succeeded meanwhile, the order is
    placed instead (the money was taken), never marked failed.
    """
    if payment.payment_intent_id:
        intent = gateway.cancel(payment.payment_intent_id)
        if intent.status == "succeeded":
            return fulfil(intent)
        if intent.status == "processing":  # the bank has not answered: its webhook will
            return None
    with transaction.atomic():
        locked = StripePayment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
        if locked.order_id is None and locked.status != StripePayment.Status.FAILED:
            locked.payment_intent_id = payment.payment_intent_id or locked.payment_intent_id
            mark_failed(locked, code)
    return None


def settle_abandoned(older_than: timedelta) -> tuple[int, int]:
    """End the card attempts left open for longer than ``older_than`` (3-D Secure never
    answered, the tab closed): without this their voucher holds and frozen baskets would
    stay so for good. Returns (orders placed because Stripe had taken the money after all,
    attempts ended). One that Stripe cannot answer for now is left for the next run."""
    cutoff = timezone.now() - older_than
    placed = ended = 0
    stale = StripePayment.objects.filter(
        status=StripePayment.Status.PENDING, order__isnull=True, updated__lt=cutoff
    ).order_by("pk")
    for payment in stale:
        try:
            order = settle_unfinished(payment, "abandoned")
        except stripe.StripeError:
            logger.warning("Payment %s: Stripe did not answer; settled next time", payment.pk)
            continue
        payment.refresh_from_db(fields=["status"])
        placed += order is not None
        ended += order is None and payment.status == StripePayment.Status.FAILED
    return placed, ended


def record_failure(intent: Any, default_code: str = "payment_failed") -> StripePayment | None:
    """The card payment failed or was canceled: no order, and any ledger hold is given back."""
    with transaction.atomic():
        payment = (
            StripePayment.objects.select_for_update(of=("self",))
            .filter(payment_intent_id=intent.id, order__isnull=True)
            .exclude(status=StripePayment.Status.FAILED)
            .first()
        )
        if payment is None:
            return None
        error = getattr(intent, "last_payment_error", None) or {}
        code = error.get("code", "") if hasattr(error, "get") else ""
        mark_failed(payment, code or default_code)
        return payment
