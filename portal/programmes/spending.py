"""Spending a programme wallet: what it may buy, and the money's way on the ledger.

A wallet's credit goes to the programme's "spent" account of the cooperative it was spent
with (one account per programme and cooperative), so what a programme paid each cooperative
is that account's inflow, and the dashboard reads it from the ledger:

- at the counter, a direct transfer wallet → spent (:func:`spend`);
- at checkout, a hold on the wallet while the card is charged, captured into the spent
  account of the line's cooperative (:func:`hold_spend`, :func:`capture_spend`), released
  back to the wallet when the card fails (``portal.ledger.transfers.release_hold``);
- a refund of an eligible line, spent → wallet (:func:`refund_spend`);
- expiry, wallet → the programme's budget (kind :data:`EXPIRY_KIND`, elsewhere).

Every function takes an idempotency key, so a repeated webhook or double submit moves
nothing twice, and refuses an expired or other-territory wallet with :class:`WalletRefused`.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import LedgerError, capture_hold, hold, money, transfer
from shop.giftcards.products import VOUCHER_CLASS  # a gift voucher is never bought by a wallet

from .models import Programme, Wallet

SPEND_KIND = "programme-spend"  # wallet → spent, at the counter
CAPTURE_KIND = "capture"  # hold → spent, at checkout (the ledger's own kind for captures)
REFUND_KIND = "programme-spend-refund"  # spent → wallet
EXPIRY_KIND = "programme-credit-expiry"  # wallet → budget


class WalletRefused(LedgerError):
    """The wallet may not pay for this (expired, another portal, not eligible)."""


def spent_account(programme: Programme, partner) -> Account:
    """What ``programme``'s wallets spent with cooperative ``partner`` (opened on first use)."""
    territory = programme.territory
    return system_account(
        f"{territory.slug}:programme:{programme.slug}:spent:{partner.pk}",
        name=_("%(programme)s: spent with %(cooperative)s")
        % {"programme": programme.title, "cooperative": partner.name},
        kind=Account.Kind.INCOME,
        territory=territory,
    )


def is_expired(programme: Programme, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return programme.credit_expires_on is not None and today > programme.credit_expires_on


def may_buy(programme: Programme, product, partner, category_slugs: set[str]) -> bool:
    """Whether ``programme``'s credit may pay for ``product`` sold by ``partner``.

    Never a gift voucher; the cooperative must be one of the programme's (when it names any)
    and one of the product's category slugs one of the programme's (when it names any).
    ``category_slugs`` are the product's categories' slugs, ancestors included, which the
    caller reads in one query for all lines.
    """
    product_class = getattr(product, "get_product_class", lambda: None)()
    if product_class is not None and product_class.slug == VOUCHER_CLASS:
        return False
    cooperative_ids = {p.pk for p in programme.cooperatives.all()}
    if cooperative_ids and (partner is None or partner.pk not in cooperative_ids):
        return False
    if programme.categories and not set(programme.categories) & category_slugs:
        return False
    return True


def check_usable(wallet: Wallet, territory=None, today: date | None = None) -> None:
    """Raise :class:`WalletRefused` if ``wallet`` cannot be spent now (on ``territory``)."""
    programme = wallet.programme
    if territory is not None and programme.territory_id != territory.pk:
        raise WalletRefused(_("This credit cannot be used on this portal."))
    if is_expired(programme, today):
        raise WalletRefused(
            _("This credit expired on %(date)s.")
            % {"date": programme.credit_expires_on.strftime("%d/%m/%Y")}
        )


def spend(
    wallet: Wallet, amount: Decimal, partner, *, reference: str, key: str, territory=None
) -> Transfer:
    """Spend ``amount`` of ``wallet`` with ``partner`` now (the counter)."""
    check_usable(wallet, territory)
    return transfer(
        wallet.account,
        spent_account(wallet.programme, partner),
        money(amount),
        kind=SPEND_KIND,
        reference=reference,
        key=key,
    )


def hold_spend(
    wallet: Wallet, amount: Decimal, *, reference: str, key: str, territory=None
) -> Hold:
    """Set ``amount`` of ``wallet`` aside for a checkout while the card is charged."""
    check_usable(wallet, territory)
    return hold(wallet.account, money(amount), reference=reference, key=key)


def capture_spend(held: Hold, wallet: Wallet, partner) -> Transfer:
    """The order is placed: the held credit is spent with ``partner``. Repeating is a no-op."""
    return capture_hold(held, spent_account(wallet.programme, partner))


def refund_spend(wallet: Wallet, amount: Decimal, partner, *, reference: str, key: str) -> Transfer:
    """Give ``amount`` spent with ``partner`` back to ``wallet`` (a refunded line), once per key.

    The credit comes back even if the wallet expired meanwhile; the expiry job returns it to
    the budget on its next run.
    """
    return transfer(
        spent_account(wallet.programme, partner),
        wallet.account,
        money(amount),
        kind=REFUND_KIND,
        reference=reference,
        key=key,
    )
