"""Split tender: gift-voucher balance first (our ledger), the rest by card.

The ledger side lives in ``shop.giftcards`` (``session.applied_cards`` and
``redemption.plan_tender / hold_for_order / capture_for_order / release_for_order``); it is
imported lazily so the card payment still works where that app is not installed: the card
then pays everything and the hooks do nothing.
"""

from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.http import HttpRequest
from oscar.core.loading import get_model

ZERO = Decimal("0.00")
LEDGER_SOURCE = "Buono regalo"  # a SourceType name is data, shown in the dashboard


@dataclass(frozen=True)
class Tender:
    """How an order total is paid: ``ledger`` from vouchers, ``card`` by card."""

    ledger: Decimal
    card: Decimal
    plan: Any = None  # the vouchers' own plan (shop.giftcards.redemption.TenderPlan)


def _giftcards(module: str):
    try:
        return import_module(f"shop.giftcards.{module}")
    except ImportError:
        return None


def plan(request: HttpRequest, basket: Any, total: Decimal) -> Tender:
    """The vouchers the citizen applied pay first (never more than the total); the card the rest."""
    redemption, session = _giftcards("redemption"), _giftcards("session")
    if redemption is None or session is None:
        return Tender(ledger=ZERO, card=total)
    cards = session.applied_cards(request)
    if not cards:
        return Tender(ledger=ZERO, card=total)
    voucher_plan = redemption.plan_tender(total, cards, redemption.tender_lines_for_basket(basket))
    return Tender(ledger=voucher_plan.covered, card=voucher_plan.remainder, plan=voucher_plan)


class VouchersChanged(Exception):
    """A voucher no longer covers its share (spent elsewhere meanwhile, or expired)."""


def hold(order_number: str, tender: Tender) -> None:
    """Set the vouchers' share aside before the card is charged (all or nothing)."""
    if tender.plan is None or tender.ledger <= ZERO:
        return
    from portal.ledger.transfers import LedgerError

    redemption = _giftcards("redemption")
    try:
        redemption.hold_for_order(order_number, tender.plan)
    except (LedgerError, redemption.GiftCardNotFound) as error:
        raise VouchersChanged(str(error)) from error


def capture(order_number: str) -> None:
    """The order is placed: the held voucher money is spent on it."""
    if redemption := _giftcards("redemption"):
        redemption.capture_for_order(order_number)


def release(order_number: str) -> None:
    """The card failed or was abandoned: give any held voucher money back."""
    if redemption := _giftcards("redemption"):
        redemption.release_for_order(order_number)


def paid_sources(order_number: str) -> list:
    """The order's payment sources for what vouchers pay (unsaved ``payment.Source`` rows,
    one per voucher, referenced by the code's last four characters): the dashboard then
    shows how the total was paid, and a refund knows which part went by card."""
    redemption = _giftcards("redemption")
    if redemption is None:
        return []
    shares = redemption.shares_for_order(order_number)
    if not shares:
        return []
    Source, SourceType = get_model("payment", "Source"), get_model("payment", "SourceType")
    source_type, _created = SourceType.objects.get_or_create(name=LEDGER_SOURCE)
    return [
        Source(
            source_type=source_type,
            amount_allocated=amount,
            amount_debited=amount,
            reference=f"…{card.code_last4}",
        )
        for card, amount in shares
    ]


def forget(request: HttpRequest) -> None:
    """The order is placed: the vouchers applied in this session are not reused next time."""
    if session := _giftcards("session"):
        session.forget_cards(request)
