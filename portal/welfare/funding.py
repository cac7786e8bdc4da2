"""Income band reductions on the ledger: the programme's budget pays what the band took off.

The shop's split tender (``shop.payment.tender``) asks this module before the wallets::

    plan = plan_for_basket(basket)                 # which line the band reduced, by how much
    hold_for_order(order_number, plan)             # before the card is charged
    capture_for_order(order_number)                # placed: to each line's cooperative
    release_for_order(order_number)                # the card failed or was abandoned
    refund_line(order, line)                       # a refunded line: back to the budget

Each hold is the reduction of one line (units × what the band took off a unit), on the
budget of the programme that pays for it, referenced ``order:<number>:band:<position>`` (the
line's place in the basket and in the order, as the wallets do), so the capture knows the
line's cooperative and a refund what to give back, from the ledger alone. The budget's
account cannot go below zero: two orders racing for the last euros wait for each other in
``lock_accounts`` and the second gets :class:`~portal.ledger.transfers.InsufficientFunds`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import hold, lock_accounts, release_hold, transfer
from portal.programmes.models import Programme
from portal.programmes.spending import capture_spend, spent_account

ZERO = Decimal("0.00")
REFUND_KIND = "band-reduction-refund"


@dataclass(frozen=True)
class BandLine:
    position: int
    description: str
    programme_id: int
    amount: Decimal  # what the budget pays of the line
    why: str


@dataclass
class BandPlan:
    lines: list[BandLine] = field(default_factory=list)

    @property
    def covered(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def token(self) -> str:
        """What the payment page showed, to compare with what is about to be held."""
        return ",".join(f"{ln.position}:{ln.programme_id}:{ln.amount}" for ln in self.lines)


def plan_for_basket(basket) -> BandPlan:
    """The band reductions of ``basket``'s lines as priced now (no query: the lines and
    their prices are the basket's)."""
    plan = BandPlan()
    for position, line in enumerate(basket.all_lines(), start=1):
        band = getattr(line.purchase_info.price, "band", None)
        if band is not None:
            plan.lines.append(
                BandLine(
                    position=position,
                    description=line.description,
                    programme_id=band.programme_id,
                    amount=band.off * line.quantity,
                    why=band.why,
                )
            )
    return plan


def _reference(order_number: str, position: int | None = None) -> str:
    base = f"order:{order_number}:band:"
    return base if position is None else f"{base}{position}"


def _position(held: Hold) -> int:
    return int(held.reference.rsplit(":", 1)[1])


def holds_for_order(order_number: str):
    return Hold.objects.filter(reference__startswith=_reference(order_number))


def hold_for_order(order_number: str, plan: BandPlan) -> list[Hold]:
    """Set each line's reduction aside on its programme's budget; all or nothing.

    Raises :class:`~portal.ledger.transfers.InsufficientFunds` (nothing held) when a budget
    does not hold enough. The same plan again returns the same holds; another plan releases
    the old holds and makes new ones.
    """
    programmes = Programme.objects.in_bulk({ln.programme_id for ln in plan.lines})
    wanted = {
        (programmes[ln.programme_id].budget_account_id, ln.position): ln.amount for ln in plan.lines
    }
    with transaction.atomic():
        budgets = lock_accounts(*[p.budget_account for p in programmes.values()])
        current = list(
            holds_for_order(order_number).select_for_update().filter(status=Hold.Status.HELD)
        )
        if {(h.source_id, _position(h)): h.amount for h in current} == wanted:
            return current
        for held in current:
            release_hold(held)
        attempt = holds_for_order(order_number).count()
        return [
            hold(
                budgets[programmes[ln.programme_id].budget_account_id],
                ln.amount,
                reference=_reference(order_number, ln.position),
                key=f"{_reference(order_number, ln.position)}:{attempt}",
            )
            for ln in sorted(plan.lines, key=lambda ln: ln.position)
        ]


def held_by_budget(order_number: str) -> dict[int, Decimal]:
    """What order ``order_number`` holds now on each budget account (by account id)."""
    held: dict[int, Decimal] = {}
    rows = holds_for_order(order_number).filter(status=Hold.Status.HELD)
    for source_id, amount in rows.values_list("source_id", "amount"):
        held[source_id] = held.get(source_id, ZERO) + amount
    return held


def _programmes_of(holds: list[Hold]) -> dict[int, Programme]:
    found = Programme.objects.filter(budget_account_id__in={h.source_id for h in holds})
    return {p.budget_account_id: p for p in found.select_related("territory")}


class _Payer:
    """What ``capture_spend`` needs of a wallet: its programme."""

    def __init__(self, programme: Programme):
        self.programme = programme


def capture_for_order(order_number: str) -> list[Transfer]:
    """The order is placed: each held reduction goes to its line's cooperative (the
    programme's account for that cooperative). Repeating it changes nothing."""
    holds = list(holds_for_order(order_number).exclude(status=Hold.Status.RELEASED))
    if not holds:
        return []
    Line = get_model("order", "Line")
    partners = [
        line.partner
        for line in Line.objects.filter(order__number=order_number)
        .select_related("partner")
        .order_by("pk")
    ]
    programmes = _programmes_of(holds)
    with transaction.atomic():
        return [
            capture_spend(held, _Payer(programmes[held.source_id]), partners[_position(held) - 1])
            for held in holds
        ]


def release_for_order(order_number: str) -> list[Transfer]:
    """The payment failed or was abandoned: the held reductions go back to the budgets."""
    with transaction.atomic():
        return [
            release_hold(held)
            for held in holds_for_order(order_number).filter(status=Hold.Status.HELD)
        ]


def line_reductions(order) -> dict[int, tuple[Hold, Programme]]:
    """The reductions of ``order``'s lines (held or captured), by line position (1-based)."""
    holds = list(holds_for_order(order.number).exclude(status=Hold.Status.RELEASED).order_by("pk"))
    programmes = _programmes_of(holds) if holds else {}
    return {_position(h): (h, programmes[h.source_id]) for h in holds}


def refund_line(order, line) -> Transfer | None:
    """Give what the budget paid of ``line`` back to it, once (a repeat moves nothing)."""
    positions = list(order.lines.order_by("pk").values_list("pk", flat=True))
    found = line_reductions(order).get(positions.index(line.pk) + 1)
    if found is None or found[0].status != Hold.Status.CAPTURED:
        return None
    held, programme = found
    key = f"band-refund:hold:{held.pk}"
    done = Transfer.objects.filter(key=key).first()
    if done is not None:
        return done
    budget = Account.objects.get(pk=programme.budget_account_id)
    return transfer(
        spent_account(programme, line.partner),
        budget,
        held.amount,
        kind=REFUND_KIND,
        reference=f"order:{order.number}:band-refund",
        key=key,
    )
