"""A citizen's programme wallets at checkout: which wallet pays how much of which line.

The shop's split tender (``shop.payment.tender``) asks this module first, then the gift
vouchers, then the card::

    plan = plan_wallets(user, territory, wallet_lines_for_basket(basket), declined=…)
    hold_for_order(order_number, plan, territory)   # before the card is charged
    capture_for_order(order_number)                 # placed: spent with each line's cooperative
    release_for_order(order_number)                 # the card failed or was abandoned
    refund_line_share(order, line)                  # a refunded line: back to its wallet

A wallet pays only the lines its programme may buy (:func:`spending.may_buy`: never a gift
voucher, the programme's cooperatives and categories), the wallet that expires first first.
Each hold is one wallet's share of one line, referenced ``order:<number>:wallet:<position>``
(the line's place in the basket, which is its place in the order: Oscar writes the order's
lines in basket order), so the capture knows the line's cooperative and a refund of that
line knows what to give back to which wallet, from the ledger alone.

Another kind of wallet (an employer's welfare wallet, ``portal.employers.at_checkout``) takes
part in the same tender through a :class:`WalletKind`: what it may pay, how it is held,
captured and refunded. The functions below take the kinds in play (``kinds``; the
programmes' alone by default) and tell a wallet's kind by its model.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from portal.ledger.accounts import order_number_in  # noqa: F401  (read from here too)
from portal.ledger.models import Hold, Transfer
from portal.ledger.transfers import lock_accounts, release_hold

from . import spending
from .models import Wallet

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class WalletLine:
    """A basket line as the wallets see it."""

    position: int  # 1-based: the line's place in the basket and in the order
    description: str
    product: Any
    partner: Any
    amount: Decimal
    category_slugs: frozenset[str] = frozenset()


class WalletKind(Protocol):
    """What the tender needs of one kind of wallet (its model has an ``account``)."""

    model: type

    def key(self, wallet) -> int | str:
        """The wallet's id on the payment page and in the session (unique across kinds)."""

    def title(self, wallet) -> str: ...

    def refusal(self, wallet, territory) -> str:
        """Why ``wallet`` cannot pay anything on ``territory`` now; "" when it can."""

    def why_not(self, wallet, line: WalletLine) -> str:
        """Why ``wallet`` may not pay ``line``; "" when it may."""

    def hold(self, wallet, amount: Decimal, *, reference: str, key: str, territory) -> Hold: ...

    def capture(self, held: Hold, wallet, order_line) -> Transfer: ...

    def refund(self, held: Hold, wallet, order_line, *, reference: str, key: str) -> Transfer: ...

    def wallets_of(self, account_ids: set[int]) -> dict[int, Any]:
        """This kind's wallets of those ledger accounts, by account id."""


class ProgrammeWallets:
    """A programme's wallet: pays on its own portal, for the programme's services."""

    model = Wallet

    def key(self, wallet) -> int:
        return wallet.pk

    def title(self, wallet) -> str:
        return wallet.programme.title

    def refusal(self, wallet, territory) -> str:
        try:
            spending.check_usable(wallet, territory)
        except spending.WalletRefused as refusal:
            return str(refusal)
        return ""

    def why_not(self, wallet, line: WalletLine) -> str:
        if spending.may_buy(wallet.programme, line.product, line.partner, line.category_slugs):
            return ""
        return why_not(wallet.programme, line)

    def hold(self, wallet, amount, *, reference, key, territory) -> Hold:
        return spending.hold_spend(
            wallet, amount, reference=reference, key=key, territory=territory
        )

    def capture(self, held, wallet, order_line) -> Transfer:
        return spending.capture_spend(held, wallet, order_line.partner)

    def refund(self, held, wallet, order_line, *, reference, key) -> Transfer:
        return spending.refund_spend(
            wallet, held.amount, order_line.partner, reference=reference, key=key
        )

    def wallets_of(self, account_ids) -> dict[int, Wallet]:
        wallets = Wallet.objects.filter(account_id__in=account_ids).select_related(
            "programme__territory"
        )
        return {w.account_id: w for w in wallets}


PROGRAMME = ProgrammeWallets()
KINDS: tuple[WalletKind, ...] = (PROGRAMME,)


def kind_of(wallet, kinds=KINDS) -> WalletKind:
    return next(kind for kind in kinds if isinstance(wallet, kind.model))


@dataclass
class WalletUse:
    """One wallet at this checkout: what it pays per line, what it may not pay and why."""

    wallet: Any
    available: Decimal
    covers: list[tuple[WalletLine, Decimal]] = field(default_factory=list)
    not_covered: list[tuple[WalletLine, str]] = field(default_factory=list)
    refused: str = ""  # why it cannot pay anything here (expired, another portal)
    declined: bool = False  # the citizen chose not to use it for this order
    kind: WalletKind = PROGRAMME

    @property
    def key(self) -> int | str:
        return self.kind.key(self.wallet)

    @property
    def title(self) -> str:
        return self.kind.title(self.wallet)

    @property
    def programme(self):
        return getattr(self.wallet, "programme", None)

    @property
    def amount(self) -> Decimal:
        return sum((amount for _line, amount in self.covers), ZERO)


@dataclass
class WalletPlan:
    uses: list[WalletUse] = field(default_factory=list)

    @property
    def covered(self) -> Decimal:
        return sum((use.amount for use in self.uses), ZERO)

    @property
    def has_employer(self) -> bool:
        """Whether a wallet of another kind than the programmes' takes part (the page's title)."""
        return any(use.kind is not PROGRAMME for use in self.uses)

    @property
    def paying(self) -> list[WalletUse]:
        return [use for use in self.uses if use.amount > 0]

    def amount_for(self, position: int) -> Decimal:
        return sum(
            (a for use in self.uses for line, a in use.covers if line.position == position), ZERO
        )

    @property
    def token(self) -> str:
        """What the payment page showed, to compare with what is about to be held."""
        return ",".join(
            f"{use.key}:{line.position}:{amount}"
            for use in self.paying
            for line, amount in use.covers
        )


def category_slugs(product_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Each product's category slugs, ancestors included (one query; two for nested trees)."""
    ProductCategory = get_model("catalogue", "ProductCategory")
    Category = get_model("catalogue", "Category")
    rows = list(
        ProductCategory.objects.filter(product_id__in=set(product_ids)).values_list(
            "product_id", "category__slug", "category__path", "category__depth"
        )
    )
    ancestors: dict[str, str] = {}
    paths = {path[: Category.steplen * d] for _p, _s, path, depth in rows for d in range(1, depth)}
    if paths:
        ancestors = dict(Category.objects.filter(path__in=paths).values_list("path", "slug"))
    found: dict[int, set[str]] = {}
    for product_id, slug, path, depth in rows:
        slugs = found.setdefault(product_id, set())
        slugs.add(slug)
        for d in range(1, depth):
            if up := ancestors.get(path[: Category.steplen * d]):
                slugs.add(up)
    return {pk: frozenset(slugs) for pk, slugs in found.items()}


def wallet_lines_for_basket(basket) -> list[WalletLine]:
    """The basket's lines with their cooperatives and categories (two queries in all)."""
    lines = list(basket.all_lines())
    slugs = category_slugs(line.product.parent_id or line.product_id for line in lines)
    Partner = get_model("partner", "Partner")
    partners = Partner.objects.in_bulk({line.stockrecord.partner_id for line in lines})
    return [
        WalletLine(
            position=n,
            description=line.description,
            product=line.product,
            partner=partners.get(line.stockrecord.partner_id),
            amount=line.line_price_incl_tax_incl_discounts,
            category_slugs=slugs.get(line.product.parent_id or line.product_id, frozenset()),
        )
        for n, line in enumerate(lines, start=1)
    ]


def why_not(programme, line: WalletLine) -> str:
    """Why ``programme``'s credit may not pay ``line`` (for the payment page)."""
    product_class = line.product.get_product_class()
    if product_class is not None and product_class.slug == spending.VOUCHER_CLASS:
        return _("Gift vouchers cannot be bought with programme credit.")
    return _("Not covered by programme %(programme)s.") % {"programme": programme.title}


def usable_wallets(user, territory=None) -> list[Wallet]:
    """``user``'s wallets with money on them, the one that expires first first: only those of
    ``territory``'s programmes when given (a portal's checkout shows no other portal's)."""
    if user is None or not user.is_authenticated:
        return []
    wallets = Wallet.objects.filter(owner=user, account__balance__gt=0)
    if territory is not None:
        wallets = wallets.filter(programme__territory=territory)
    wallets = wallets.select_related("programme__territory", "account").prefetch_related(
        "programme__cooperatives"
    )
    return sorted(
        wallets,
        key=lambda w: (w.programme.credit_expires_on is None, w.programme.credit_expires_on, w.pk),
    )


def plan_wallets(
    wallets: list[Wallet],
    territory,
    lines: Iterable[WalletLine],
    *,
    total: Decimal,
    declined: Iterable[int | str] = (),
    kinds: tuple[WalletKind, ...] = KINDS,
) -> WalletPlan:
    """What each wallet pays of each line (never more than the lines nor ``total``).

    Nothing is written. A wallet of another portal or expired is listed with the reason it
    pays nothing; one the citizen declined pays nothing either.
    """
    lines = list(lines)
    declined = set(declined)
    left = {line.position: Decimal(line.amount) for line in lines}
    left_total = Decimal(total)
    plan = WalletPlan()
    for wallet in wallets:
        kind = kind_of(wallet, kinds)
        use = WalletUse(wallet=wallet, available=wallet.account.balance, kind=kind)
        plan.uses.append(use)
        if refusal := kind.refusal(wallet, territory):
            use.refused = refusal
            continue
        use.declined = use.key in declined
        balance = use.available
        for line in lines:
            if reason := kind.why_not(wallet, line):
                use.not_covered.append((line, reason))
                continue
            amount = min(balance, left[line.position], left_total)
            if use.declined or amount <= 0:
                continue
            use.covers.append((line, amount))
            balance -= amount
            left[line.position] -= amount
            left_total -= amount
    return plan


def _reference(order_number: str, position: int | None = None) -> str:
    base = f"order:{order_number}:wallet:"
    return base if position is None else f"{base}{position}"


def _position(held: Hold) -> int:
    return int(held.reference.rsplit(":", 1)[1])


def holds_for_order(order_number: str):
    return Hold.objects.filter(reference__startswith=_reference(order_number))


def hold_for_order(order_number: str, plan: WalletPlan, territory) -> list[Hold]:
    """Set aside each wallet's share of each line for order ``order_number``.

    All or nothing: an expired wallet raises :class:`~portal.programmes.spending.WalletRefused`,
    one spent meanwhile :class:`~portal.ledger.transfers.InsufficientFunds`, and nothing is
    held. The same plan again returns the same holds; another plan (the basket or a balance
    changed) releases the old holds and makes new ones.
    """
    wanted = {
        (use.wallet.account_id, line.position): amount
        for use in plan.paying
        for line, amount in use.covers
    }
    with transaction.atomic():
        lock_accounts(*[use.wallet.account for use in plan.paying])
        current = list(
            holds_for_order(order_number).select_for_update().filter(status=Hold.Status.HELD)
        )
        if {(h.source_id, _position(h)): h.amount for h in current} == wanted:
            return current
        for held in current:
            release_hold(held)
        attempt = holds_for_order(order_number).count()
        return [
            use.kind.hold(
                use.wallet,
                amount,
                reference=_reference(order_number, line.position),
                key=f"{_reference(order_number, line.position)}:{use.key}:{attempt}",
                territory=territory,
            )
            for use in sorted(plan.paying, key=lambda u: u.wallet.account_id)
            for line, amount in use.covers
        ]


def _wallets_of(holds: list[Hold], kinds=KINDS) -> dict[int, tuple[WalletKind, Any]]:
    """The wallet (and its kind) each hold was taken from, by ledger account."""
    accounts = {h.source_id for h in holds}
    found: dict[int, tuple[WalletKind, Any]] = {}
    for kind in kinds:
        found.update(
            (account, (kind, wallet)) for account, wallet in kind.wallets_of(accounts).items()
        )
        if len(found) == len(accounts):
            break
    return found


def capture_for_order(order_number: str, kinds=KINDS) -> list[Transfer]:
    """The order is placed: each held share is spent with its line's cooperative (into the
    programme's spent account for it). Repeating it changes nothing."""
    holds = list(holds_for_order(order_number).exclude(status=Hold.Status.RELEASED))
    if not holds:
        return []
    Line = get_model("order", "Line")
    lines = list(
        Line.objects.filter(order__number=order_number)
        .select_related("partner", "product")
        .order_by("pk")
    )
    wallets = _wallets_of(holds, kinds)
    with transaction.atomic():
        made = []
        for held in holds:
            kind, wallet = wallets[held.source_id]
            made.append(kind.capture(held, wallet, lines[_position(held) - 1]))
        return made


def release_for_order(order_number: str) -> list[Transfer]:
    """The payment failed or was abandoned: the held shares go back to their wallets."""
    with transaction.atomic():
        return [
            release_hold(held)
            for held in holds_for_order(order_number).filter(status=Hold.Status.HELD)
        ]


def shares_for_order(order_number: str, kinds=KINDS) -> list[tuple[Any, Decimal]]:
    """What each wallet pays of order ``order_number`` (held or captured), in wallet order:
    (wallet, amount), the wallet's kind at ``kind_of(wallet, kinds)``."""
    holds = list(holds_for_order(order_number).exclude(status=Hold.Status.RELEASED).order_by("pk"))
    wallets = {a: w for a, (_k, w) in _wallets_of(holds, kinds).items()} if holds else {}
    shares: dict[int, Decimal] = {}
    for held in holds:
        shares[held.source_id] = shares.get(held.source_id, ZERO) + held.amount
    return [(wallets[account_id], amount) for account_id, amount in shares.items()]


def line_shares(order, line, kinds=KINDS) -> list[tuple[Hold, Any]]:
    """The captured wallet shares of ``line`` (an order line of ``order``)."""
    position = list(order.lines.order_by("pk").values_list("pk", flat=True)).index(line.pk) + 1
    holds = list(
        Hold.objects.filter(
            reference=_reference(order.number, position), status=Hold.Status.CAPTURED
        ).order_by("pk")
    )
    wallets = _wallets_of(holds, kinds) if holds else {}
    return [(held, wallets[held.source_id][1]) for held in holds]


def refund_line_share(order, line, kinds=KINDS) -> list[tuple[Any, Transfer, bool]]:
    """Give what wallets paid of ``line`` back to them, once: (wallet, transfer, whether it
    was made now). A repeat returns the same transfers and moves nothing."""
    refunds = []
    for held, wallet in line_shares(order, line, kinds):
        key = f"wallet-refund:hold:{held.pk}"
        done = Transfer.objects.filter(key=key).first()
        made = done or kind_of(wallet, kinds).refund(
            held, wallet, line, reference=f"order:{order.number}:refund", key=key
        )
        refunds.append((wallet, made, done is None))
    return refunds
