"""Refunds (full or partial) of an order's card payment, through Stripe, recorded on the order
and on the ledger.

The order's card ``Source`` row is locked while refunding, so two staff clicking at once
cannot refund more than was paid. Only the card's part can be refunded here: what gift
vouchers paid is not given back by card. A refunded *line* (:func:`refund_line`) gives what
programme wallets paid of it back to those wallets, and the rest of it by card.

A refund request carries a key (the dashboard form makes one each time it is shown): the
same request sent twice (a double click, a reload) finds the ledger transfer written the
first time, keyed by it, and refunds nothing more, on Stripe or on localstripe (which
ignores Stripe's idempotency keys). Without a request key the transfer is keyed by Stripe's
refund id.
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from portal.ledger.models import Transfer
from portal.ledger.transfers import transfer

from . import gateway, tender
from .accounts import card_payments_account, card_refunds_account
from .models import StripePayment

Source = get_model("payment", "Source")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

REFUNDED_EVENT = "Refunded"


class RefundRefused(Exception):
    """A refund that cannot be made; the message is for the staff member."""


@dataclass(frozen=True)
class CardRefundSummary:
    """What the refund form tells staff: what the card paid and can still get back, and
    what gift vouchers paid (not refundable by card)."""

    card_paid: Decimal
    card_refundable: Decimal
    vouchers_paid: Decimal
    wallets_paid: Decimal = Decimal("0.00")  # programme credit: refunded per line


def card_refund_summary(order) -> CardRefundSummary | None:
    """None when ``order`` was not paid by card."""
    payment = StripePayment.objects.filter(order=order).first()
    if payment is None:
        return None
    card = Decimal("0.00")
    refundable = Decimal("0.00")
    vouchers = Decimal("0.00")
    wallets = Decimal("0.00")
    for source in order.sources.select_related("source_type"):
        if source.reference == payment.payment_intent_id:
            card += source.amount_debited
            refundable += source.amount_available_for_refund
        elif source.source_type.name == tender.LEDGER_SOURCE:
            vouchers += source.amount_debited
        elif source.source_type.name == tender.WALLET_SOURCE:
            wallets += source.amount_debited
    return CardRefundSummary(card, refundable, vouchers, wallets)


def _ledger_key(order, request_key: str, refund_id: str) -> str:
    if request_key:
        return f"card-refund:{order.number}:{request_key}"
    return f"card-refund:{refund_id}"


def refund_order(order, amount: Decimal, user=None, request_key: str = "") -> PaymentEvent:
    """Refund ``amount`` of ``order``'s card payment; returns the order's payment event.

    With ``request_key``, a request already made returns its event and refunds nothing.
    """
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
        if request_key:  # the same request again waits for the lock above, then finds it
            done = Transfer.objects.filter(key=_ledger_key(order, request_key, "")).first()
            if done is not None:
                return PaymentEvent.objects.get(order=order, reference=done.reference)
        if amount > source.amount_available_for_refund:
            raise RefundRefused(
                _("At most %(amount)s can still be refunded.")
                % {"amount": source.amount_available_for_refund}
            )
        if request_key:
            key = f"refund-{order.number}-{request_key}"
        else:
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
        transfer(
            card_payments_account(order.territory),
            card_refunds_account(order.territory),
            amount,
            kind="card-refund",
            reference=refund.id,
            key=_ledger_key(order, request_key, refund.id),
        )
        return event


@dataclass(frozen=True)
class LineRefund:
    """What a line refund gave back: to the wallets (programmes', employers'), and by card."""

    wallets: Decimal
    card: Decimal


def refund_line(order, line, user=None, request_key: str = "") -> LineRefund:
    """Refund order line ``line``: an income band's reduction of it goes back to its
    programme's budget, what wallets paid of it goes back to each wallet (once:
    repeating it changes nothing), the rest of the line by card, as far as the card can
    still be refunded. The wallets' sources and a "Refunded" event record it on the order.
    """
    from portal.welfare.funding import refund_line as band_refund

    from .wallets import SOURCE_NAMES, line_shares, refund_line_share, source_reference

    zero = Decimal("0.00")
    with transaction.atomic():
        wallet_sources = {
            s.reference: s
            for s in Source.objects.select_for_update().filter(
                order=order, source_type__name__in=SOURCE_NAMES
            )
        }
        share = sum((held.amount for held, _w in line_shares(order, line)), zero)
        given_back = zero
        for wallet, made, is_new in refund_line_share(order, line):
            if not is_new:
                continue
            given_back += made.amount
            if source := wallet_sources.get(source_reference(wallet)):
                source.refund(made.amount, reference=made.key or "")
        if given_back:
            event_type, _created = PaymentEventType.objects.get_or_create(name=REFUNDED_EVENT)
            event = PaymentEvent.objects.create(
                order=order,
                event_type=event_type,
                amount=given_back,
                reference=f"wallet-refund:line:{line.pk}",
            )
            PaymentEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
        band_refund(order, line)  # what the programme's budget paid of it, back to the budget
        card_part = line.line_price_incl_tax - share
        summary = card_refund_summary(order)
        card = zero
        request_key = request_key or f"line-{line.pk}"
        done = Transfer.objects.filter(key=_ledger_key(order, request_key, "")).exists()
        if card_part > 0 and summary is not None and not done:
            card = min(card_part, summary.card_refundable)
            if card > 0:
                refund_order(order, card, user, request_key=request_key)
        return LineRefund(wallets=given_back, card=card)
