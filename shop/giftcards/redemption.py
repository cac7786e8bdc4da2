"""Spending gift vouchers at checkout: find a card, plan what it covers, hold, capture, release.

The checkout (the payments code) calls these; they never talk to Stripe. The flow::

    cards = applied_cards(request)                       # shop.giftcards.session
    plan = plan_tender(total, cards, tender_lines_for_basket(basket))
    hold_for_order(order_number, plan)                   # before asking for the card payment
    ... card payment of plan.remainder ...
    capture_for_order(order_number)                      # payment succeeded: spend it
    release_for_order(order_number)                      # payment failed: give it back

Holds are ledger holds (:mod:`portal.ledger.transfers`): the held money leaves the card's
account at once, so two checkouts can never both spend the same euro, and a failed payment
puts it back. Every function is safe to call twice.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.ledger.models import Hold, Transfer
from portal.ledger.transfers import capture_hold, hold, lock_accounts, release_hold
from portal.territories.models import Territory

from . import codes
from .accounts import spent_account
from .models import GiftCard

ZERO = Decimal("0.00")


class GiftCardNotFound(Exception):
    """No usable voucher has this code here. Deliberately says no more than that.

    A wrong code, an expired voucher and another portal's voucher all raise this, with the
    same message, so the error teaches a guesser nothing.
    """

    message = _("This code does not match a valid gift voucher of this portal.")

    def __init__(self):
        super().__init__(str(self.message))


class GiftCardSpent(Exception):
    """The voucher exists here but has nothing left to spend (its owner knows the code)."""

    message = _("This gift voucher has already been spent: nothing is left on it.")

    def __init__(self):
        super().__init__(str(self.message))


def find_card(territory: Territory, code: str) -> GiftCard:
    """The unexpired voucher of ``territory`` with ``code`` (typed in any case, with or
    without spaces and dashes), or :class:`GiftCardNotFound`."""
    normalised = codes.normalise(code)
    if normalised is None or territory is None:
        raise GiftCardNotFound()
    card = (
        GiftCard.objects.select_related("account", "cooperative")
        .filter(code_digest=codes.digest(normalised), territory=territory)
        .first()
    )
    if card is None or card.is_expired:
        raise GiftCardNotFound()
    return card


def available_balance(card: GiftCard) -> Decimal:
    """What the voucher can still pay: its balance, or nothing once expired."""
    return ZERO if card.is_expired else card.account.balance


@dataclass(frozen=True)
class TenderLine:
    """A basket or order line as the vouchers see it: who provides it, what it costs."""

    partner_id: int | None
    amount: Decimal
    is_voucher: bool = False  # a gift voucher bought: never paid by another voucher


def is_voucher_line(line) -> bool:
    """Whether a basket or order line buys a gift voucher."""
    return line.product_id is not None and hasattr(line.product, "voucher")


def tender_lines_for_basket(basket) -> list[TenderLine]:
    return [
        TenderLine(
            line.stockrecord.partner_id,
            line.line_price_incl_tax_incl_discounts,
            is_voucher_line(line),
        )
        for line in basket.all_lines()
    ]


def tender_lines_for_order(order) -> list[TenderLine]:
    return [
        TenderLine(line.partner_id, line.line_price_incl_tax, is_voucher_line(line))
        for line in order.lines.all()
    ]


@dataclass
class TenderPlan:
    """How a total is paid: ``covers`` is (card, amount) for each voucher used, in the order
    they are spent; ``remainder`` is left for the card payment."""

    total: Decimal
    covers: list[tuple[GiftCard, Decimal]] = field(default_factory=list)

    @property
    def covered(self) -> Decimal:
        return sum((amount for _card, amount in self.covers), ZERO)

    @property
    def remainder(self) -> Decimal:
        return self.total - self.covered

    def amount_for(self, card: GiftCard) -> Decimal:
        return sum((a for c, a in self.covers if c.pk == card.pk), ZERO)


def plan_tender(
    total: Decimal, cards: Sequence[GiftCard], lines: Iterable[TenderLine]
) -> TenderPlan:
    """What each voucher pays of ``total``, and what remains for the card.

    A voucher limited to a cooperative pays only for that cooperative's lines; those are
    spent first, so the portal-wide vouchers are left for the rest. Within each kind, the
    voucher that expires first is spent first. Gift vouchers in the basket are never paid
    by vouchers (money would only change card): they are left for the card. Nothing is
    written.
    """
    total = Decimal(total)
    left = total
    left_by_partner: dict[int | None, Decimal] = {}
    for line in lines:
        if line.is_voucher:
            left -= Decimal(line.amount)
            continue
        left_by_partner[line.partner_id] = left_by_partner.get(line.partner_id, ZERO) + Decimal(
            line.amount
        )
    plan = TenderPlan(total=total)
    ordered = sorted(cards, key=lambda c: (c.cooperative_id is None, c.expires_on, c.pk))
    seen: set[int] = set()
    for card in ordered:
        if card.pk in seen or left <= 0:
            continue
        seen.add(card.pk)
        if card.cooperative_id is None:
            reachable = left
        else:
            reachable = min(left, left_by_partner.get(card.cooperative_id, ZERO))
        amount = min(available_balance(card), reachable)
        if amount <= 0:
            continue
        plan.covers.append((card, amount))
        left -= amount
        if card.cooperative_id is not None:
            left_by_partner[card.cooperative_id] -= amount
    return plan


def _reference(order_number: str) -> str:
    return f"order:{order_number}"


def holds_for_order(order_number: str):
    return Hold.objects.filter(reference=_reference(order_number)).select_related("source")


def shares_for_order(order_number: str) -> list[tuple[GiftCard, Decimal]]:
    """What each voucher pays of order ``order_number`` (held or captured, not released),
    for the order's payment sources. One query."""
    holds = (
        holds_for_order(order_number)
        .exclude(status=Hold.Status.RELEASED)
        .select_related("source__giftcard")
        .order_by("pk")
    )
    return [(held.source.giftcard, held.amount) for held in holds]


def hold_for_order(order_number: str, plan: TenderPlan) -> list[Hold]:
    """Set aside what each voucher of ``plan`` pays for order ``order_number``.

    All or nothing: if one voucher no longer holds enough (spent meanwhile in another
    checkout), :class:`~portal.ledger.transfers.InsufficientFunds` is raised and nothing is
    held; an expired voucher raises :class:`GiftCardNotFound`. Calling it again with the same
    plan returns the same holds; with a different plan (the basket changed) the old holds
    are released and new ones made.
    """
    reference = _reference(order_number)
    wanted = {card.account_id: amount for card, amount in plan.covers if amount > 0}
    for card, _amount in plan.covers:
        if card.is_expired:
            raise GiftCardNotFound()
    with transaction.atomic():
        # one order's checkouts queue here, so a double submit cannot hold twice
        lock_accounts(*[card.account for card, _a in plan.covers])
        current = list(
            Hold.objects.select_for_update().filter(reference=reference, status=Hold.Status.HELD)
        )
        if len(current) == len(wanted) and {h.source_id: h.amount for h in current} == wanted:
            return current
        for held in current:
            release_hold(held)
        return [
            hold(card.account, amount, reference=reference)
            for card, amount in sorted(plan.covers, key=lambda c: c[0].account_id)
            if amount > 0
        ]


def capture_for_order(order_number: str) -> list[Transfer]:
    """The order is paid: spend its held voucher money (into the territory's spent account).

    Repeating it changes nothing. Returns one transfer per voucher.
    """
    transfers = []
    with transaction.atomic():
        for held in holds_for_order(order_number).exclude(status=Hold.Status.RELEASED):
            card = GiftCard.objects.select_related("territory").get(account_id=held.source_id)
            transfers.append(capture_hold(held, spent_account(card.territory)))
    return transfers


def release_for_order(order_number: str) -> list[Transfer]:
    """The payment failed or was abandoned: give the held money back to the vouchers.

    Repeating it changes nothing; captured holds are left alone.
    """
    with transaction.atomic():
        return [
            release_hold(held)
            for held in holds_for_order(order_number).filter(status=Hold.Status.HELD)
        ]
