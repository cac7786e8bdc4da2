"""The calls we make to Stripe, the same on Stripe itself and on localstripe.

A client is built per call from the settings (``STRIPE_SECRET_KEY``, ``STRIPE_API_BASE``), so
tests and the demo can point it at a localstripe on loopback without touching the library's
globals. Only what localstripe 1.15 understands is sent: no ``description`` and no
``automatic_payment_methods`` on PaymentIntents, no Checkout Sessions, no Payment Element.
Stripe 16 objects are not dicts: read them as attributes or through ``.to_dict()``.
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings

LOCALSTRIPE_JS_PATH = "/js.stripe.com/v3/"
STRIPE_JS_URL = "https://js.stripe.com/v3/"


class SetupNotConfirmed(Exception):
    """The card was not set up for this checkout: it must never be charged."""


@dataclass(frozen=True)
class CardSetup:
    customer_id: str
    setup_intent_id: str
    client_secret: str


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=0,
    )


def uses_real_stripe() -> bool:
    return settings.STRIPE_API_BASE.rstrip("/") == "https://api.stripe.com"


def stripe_js_url() -> str:
    """Stripe.js from Stripe, or localstripe's stand-in served by the fake server itself."""
    if settings.STRIPE_JS_URL:
        return settings.STRIPE_JS_URL
    if uses_real_stripe():
        return STRIPE_JS_URL
    return settings.STRIPE_API_BASE.rstrip("/") + LOCALSTRIPE_JS_PATH


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1")))


def start_card_setup(email: str, reference: str) -> CardSetup:
    """Create a Customer and a SetupIntent whose client secret the browser confirms."""
    api = client()
    customer = api.v1.customers.create(
        params={"email": email, "metadata": {"reference": reference}} if email else {}
    )
    intent = api.v1.setup_intents.create(
        params={
            "customer": customer.id,
            "usage": "on_session",
            "payment_method_types": ["card"],
            "metadata": {"reference": reference},
        }
    )
    return CardSetup(customer.id, intent.id, intent.client_secret)


def confirmed_setup(setup_intent_id: str, payment_method_id: str) -> stripe.SetupIntent:
    """The SetupIntent, if it succeeded with exactly ``payment_method_id``; else refuse.

    localstripe "succeeds" a PaymentIntent with no usable card after a declined setup, so
    the setup's own status is the only proof that the card may be charged.
    """
    intent = client().v1.setup_intents.retrieve(setup_intent_id)
    if intent.status != "succeeded":
        raise SetupNotConfirmed(f"SetupIntent {setup_intent_id} is {intent.status}")
    method = intent.payment_method
    method_id = method if isinstance(method, str) else getattr(method, "id", None)
    if not payment_method_id or method_id != payment_method_id:
        raise SetupNotConfirmed(f"SetupIntent {setup_intent_id} did not set up that card")
    return intent


def charge(
    *,
    customer_id: str,
    payment_method_id: str,
    amount: Decimal,
    currency: str,
    order_number: str,
    idempotency_key: str,
) -> stripe.PaymentIntent:
    """Create and confirm a PaymentIntent for the card set up in this checkout.

    Raises ``stripe.CardError`` when the bank declines (the PaymentIntent is in the error);
    the result's status is ``succeeded`` or ``requires_action`` (3-D Secure in the browser).
    """
    return client().v1.payment_intents.create(
        params={
            "amount": to_cents(amount),
            "currency": currency.lower(),
            "customer": customer_id,
            "payment_method": payment_method_id,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": {"order_number": order_number},
        },
        options={"idempotency_key": idempotency_key},
    )


def payment_intent(payment_intent_id: str) -> stripe.PaymentIntent:
    return client().v1.payment_intents.retrieve(payment_intent_id)


def cancel(payment_intent_id: str) -> stripe.PaymentIntent:
    """Cancel an abandoned attempt (e.g. 3-D Secure never completed); return the intent as
    Stripe has it afterwards: it may have succeeded meanwhile, and then it is not canceled."""
    try:
        return client().v1.payment_intents.cancel(payment_intent_id)
    except stripe.InvalidRequestError:  # already succeeded, failed or canceled
        return payment_intent(payment_intent_id)


def refund(payment_intent_id: str, amount: Decimal, idempotency_key: str) -> stripe.Refund:
    return client().v1.refunds.create(
        params={"payment_intent": payment_intent_id, "amount": to_cents(amount)},
        options={"idempotency_key": idempotency_key},
    )
