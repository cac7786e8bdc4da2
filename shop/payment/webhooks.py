"""Stripe webhook events: verified by signature, de-duplicated by id, one handler per type.

An event is written to ``StripeEvent`` (unique ``event_id``) in the same transaction as its
handling: a repeated delivery finds the row and does nothing; a handling that fails rolls the
row back so that Stripe's retry handles it again.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from .fulfilment import fulfil, record_failure
from .models import StripeEvent

logger = logging.getLogger(__name__)


class InvalidEvent(Exception):
    """Not a genuine Stripe event for this endpoint: answer 400 and write nothing."""


TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE


def verified_event(payload: bytes, signature: str | None) -> stripe.Event:
    """Check the ``Stripe-Signature`` header (HMAC-SHA256, timestamp tolerance) and parse.

    The library refuses a signature older than the tolerance only; one dated further ahead
    than the tolerance (signed in advance by whoever got hold of the secret, or by a clock
    gone wrong) is refused here too.
    """
    try:
        event = stripe.Webhook.construct_event(
            payload, signature or "", settings.STRIPE_WEBHOOK_SECRET, TOLERANCE_SECONDS
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidEvent(str(error)) from error
    if _signed_at(signature or "") > time.time() + TOLERANCE_SECONDS:
        raise InvalidEvent("Timestamp in the future, outside the tolerance zone")
    return event


def _signed_at(signature: str) -> int:
    for item in signature.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return 0


def payment_intent_succeeded(intent: Any) -> None:
    fulfil(intent)


def payment_intent_payment_failed(intent: Any) -> None:
    record_failure(intent)


def payment_intent_canceled(intent: Any) -> None:
    """Canceled at Stripe (by us when an attempt is abandoned, or from Stripe's dashboard)."""
    record_failure(intent, default_code="canceled")


HANDLERS: dict[str, Callable[[Any], None]] = {
    "payment_intent.succeeded": payment_intent_succeeded,
    "payment_intent.payment_failed": payment_intent_payment_failed,
    "payment_intent.canceled": payment_intent_canceled,
}


def handle(event: stripe.Event) -> bool:
    """Handle ``event`` once; False when it was already handled or is of no interest."""
    handler = HANDLERS.get(event.type)
    if handler is None:
        return False
    obj = event.data.object
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event.id,
                type=event.type,
                payment_intent_id=getattr(obj, "id", "") or "",
            )
            handler(obj)
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event.id).exists():
            return False  # delivered before (or concurrently): already handled
        raise
    return True
