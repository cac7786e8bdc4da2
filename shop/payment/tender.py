"""Split tender: an income band's reduction is paid by its programme's budget
(``portal.welfare.funding``; the prices are already reduced); then programme wallets first
(eligible lines only), then gift vouchers, the rest by card.

The wallets' side lives in ``portal.programmes.checkout`` (what each wallet pays of which
line, held per line, captured with each line's cooperative) and the citizen's choice not to
use one in ``shop.checkout.wallets``; the vouchers' side in ``shop.giftcards``
(``session.applied_cards`` and ``redemption.plan_tender / hold_for_order /
capture_for_order / release_for_order``), imported lazily so the card payment still works
where that app is not installed: the card then pays the rest and the hooks do nothing.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.http import HttpRequest
from oscar.core.loading import get_model

from portal.welfare import funding

from . import wallets

ZERO = Decimal("0.00")
LEDGER_SOURCE = "Buono regalo"  # a SourceType name is data, shown in the dashboard
WALLET_SOURCE = wallets.SOURCE_NAME  # one Source per wallet, referenced by its programme


@dataclass(frozen=True)
class Tender:
    """How an order total is paid: ``ledger`` from wallets and vouchers, ``card`` by card."""

    ledger: Decimal
    card: Decimal
    plan: Any = None  # the vouchers' own plan (shop.giftcards.redemption.TenderPlan)
    wallets: Any = None  # the wallets' plan (portal.programmes.checkout.WalletPlan)
    bands: Any = None  # the income band reductions' plan (portal.welfare.funding.BandPlan)

    @property
    def wallet_amount(self) -> Decimal:
        return self.wallets.covered if self.wallets is not None else ZERO

    @property
    def voucher_amount(self) -> Decimal:
        return self.plan.covered if self.plan is not None else ZERO


def _giftcards(module: str):
    try:
        return import_module(f"shop.giftcards.{module}")
    except ImportError:
        return None


def plan(request: HttpRequest, basket: Any, total: Decimal) -> Tender:
    """The citizen's wallets pay their eligible lines first, then the vouchers applied pay
    what is left (never more than the total); the card the rest."""
    total = Decimal(total)
    band_plan = funding.plan_for_basket(basket)
    paid = _plan(request, basket, total)
    return replace(paid, bands=band_plan if band_plan.lines else None)


def _plan(request: HttpRequest, basket: Any, total: Decimal) -> Tender:
    wallet_plan = wallets.plan_for(request, basket, total)
    paid_by_wallets = wallet_plan.covered if wallet_plan is not None else ZERO
    redemption, session = _giftcards("redemption"), _giftcards("session")
    cards = session.applied_cards(request) if redemption and session else []
    if not cards:
        return Tender(ledger=paid_by_wallets, card=total - paid_by_wallets, wallets=wallet_plan)
    lines = redemption.tender_lines_for_basket(basket)
    if wallet_plan is not None:  # the vouchers see what the wallets left of each line
        lines = [
            replace(line, amount=line.amount - wallet_plan.amount_for(n))
            for n, line in enumerate(lines, start=1)
        ]
    voucher_plan = redemption.plan_tender(total - paid_by_wallets, cards, lines)
    return Tender(
        ledger=paid_by_wallets + voucher_plan.covered,
        card=voucher_plan.remainder,
        plan=voucher_plan,
        wallets=wallet_plan,
    )


class VouchersChanged(Exception):
    """A voucher no longer covers its share (spent elsewhere meanwhile, or expired)."""


class WalletsChanged(VouchersChanged):
    """A wallet no longer pays what the payment page said (its balance changed, it expired)."""


class BandsChanged(VouchersChanged):
    """An income band reduction is no longer what the payment page said (the band expired,
    the programme's budget ran out): the prices must be shown again before charging."""


def hold(order_number: str, tender: Tender, territory: Any = None) -> None:
    """Set the wallets' and vouchers' shares aside before the card is charged (all or
    nothing: if one cannot be held, none is)."""
    from django.db import transaction

    from portal.ledger.transfers import LedgerError

    if tender.wallet_amount <= ZERO and tender.bands is None:
        _hold_vouchers(order_number, tender)
        return
    with transaction.atomic():
        if tender.bands is not None:
            try:
                funding.hold_for_order(order_number, tender.bands)
            except LedgerError as error:
                raise BandsChanged(str(error)) from error
        if tender.wallet_amount <= ZERO:
            _hold_vouchers(order_number, tender)
            return
        try:
            wallets.hold(order_number, tender.wallets, territory)
        except LedgerError as error:
            raise WalletsChanged(str(error)) from error
        _hold_vouchers(order_number, tender)


def _hold_vouchers(order_number: str, tender: Tender) -> None:
    if tender.plan is None or tender.voucher_amount <= ZERO:
        return
    from portal.ledger.transfers import LedgerError

    redemption = _giftcards("redemption")
    try:
        redemption.hold_for_order(order_number, tender.plan)
    except (LedgerError, redemption.GiftCardNotFound) as error:
        raise VouchersChanged(str(error)) from error


def capture(order_number: str) -> None:
    """The order is placed: the held band reductions, wallet and voucher money are spent."""
    funding.capture_for_order(order_number)
    wallets.capture(order_number)
    if redemption := _giftcards("redemption"):
        redemption.capture_for_order(order_number)


def release(order_number: str) -> None:
    """The card failed or was abandoned: give any held band reduction, wallet and voucher
    money back."""
    funding.release_for_order(order_number)
    wallets.release(order_number)
    if redemption := _giftcards("redemption"):
        redemption.release_for_order(order_number)


def paid_sources(order_number: str) -> list:
    """The order's payment sources for what wallets and vouchers pay (unsaved
    ``payment.Source`` rows, one per wallet, referenced by its programme, and one per voucher,
    referenced by the code's last four characters): the dashboard then shows how the total
    was paid, and a refund knows which part went by card."""
    sources = wallets.paid_sources(order_number)
    redemption = _giftcards("redemption")
    if redemption is None:
        return sources
    shares = redemption.shares_for_order(order_number)
    if not shares:
        return sources
    Source, SourceType = get_model("payment", "Source"), get_model("payment", "SourceType")
    source_type, _created = SourceType.objects.get_or_create(name=LEDGER_SOURCE)
    return sources + [
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
    wallets.forget(request)
    if session := _giftcards("session"):
        session.forget_cards(request)
