"""Spending an employer wallet: what it may buy, and the money's way on the ledger.

Unlike a programme's wallet, an employer's is usable on every portal: the line is paid to the
cooperative that sells it, wherever it is. The money moves as a programme wallet's does:

- at checkout, a hold on the wallet while the card is charged (:func:`hold_spend`), captured
  into the plan's "spent" account of the line's cooperative (:func:`capture_spend`) or
  released back to the wallet (:func:`release_spend`) when the card fails;
- a refund of a line, spent → wallet (:func:`refund_spend`).

Every function takes or derives an idempotency key. A capture or refund also writes one
:class:`~portal.employers.models.Spend` (plan, TUIR letter, month, amount), which is what the
employer's aggregates read: never who bought what.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import LedgerError, capture_hold, hold, money, release_hold, transfer
from shop.giftcards.products import VOUCHER_CLASS

from .models import EmployeeWallet, Spend, WelfarePlan
from .tuir import code_name, tuir_codes_for

REFUND_KIND = "employer-spend-refund"  # spent → wallet


class WalletRefused(LedgerError):
    """The employer wallet may not pay for this now (plan ended, employee left)."""


@dataclass(frozen=True)
class Eligibility:
    """Whether a plan's credit may buy a product: ``code`` is the TUIR letter it is bought under."""

    ok: bool
    code: str = ""
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


def eligible(plan: WelfarePlan, product, category_slugs: Iterable[str]) -> Eligibility:
    """Whether ``plan``'s credit may pay for ``product`` (its categories' slugs, ancestors
    included, as ``portal.programmes.checkout.category_slugs`` reads them), and why not."""
    product_class = getattr(product, "get_product_class", lambda: None)()
    if product_class is not None and product_class.slug == VOUCHER_CLASS:
        return Eligibility(False, reason=_("Gift vouchers cannot be bought with welfare credit."))
    codes = tuir_codes_for(product, category_slugs)
    if not codes:
        return Eligibility(False, reason=_("This service is not a welfare benefit (art. 51 TUIR)."))
    allowed = [code for code in codes if code in (plan.categories or [])]
    if not allowed:
        return Eligibility(
            False,
            reason=_("Your plan %(plan)s does not cover %(category)s.")
            % {"plan": plan.title, "category": code_name(codes[0])},
        )
    return Eligibility(True, code=allowed[0])


def is_ended(plan: WelfarePlan, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return plan.status == WelfarePlan.Status.CLOSED or today > plan.ends_on


def check_usable(wallet: EmployeeWallet, today: date | None = None) -> None:
    """Raise :class:`WalletRefused` if ``wallet`` cannot be spent now (on any portal)."""
    today = today or timezone.localdate()
    plan, employee = wallet.plan, wallet.employee
    if plan.status == WelfarePlan.Status.DRAFT:
        raise WalletRefused(_("This welfare plan is not active yet."))
    if is_ended(plan, today):
        raise WalletRefused(
            _("This welfare credit could be used until %(date)s.")
            % {"date": plan.ends_on.strftime("%d/%m/%Y")}
        )
    if employee.has_left(today):
        raise WalletRefused(
            _("This welfare credit ended when you left %(employer)s.")
            % {"employer": plan.employer.name}
        )


def usable_wallets(user, today: date | None = None) -> list[EmployeeWallet]:
    """``user``'s employer wallets with money on them and usable now, first ending first."""
    if user is None or not user.is_authenticated:
        return []
    wallets = EmployeeWallet.objects.filter(
        employee__user=user, account__balance__gt=0
    ).select_related("plan__employer", "employee", "account")
    usable = []
    for wallet in wallets:
        try:
            check_usable(wallet, today)
        except WalletRefused:
            continue
        usable.append(wallet)
    return sorted(usable, key=lambda w: (w.plan.ends_on, w.pk))


def spent_account(plan: WelfarePlan, partner) -> Account:
    """What ``plan``'s wallets spent with cooperative ``partner`` (opened on first use)."""
    return system_account(
        f"employer:{plan.employer.slug}:plan:{plan.year}:spent:{partner.pk}",
        name=_("%(plan)s: spent with %(cooperative)s")
        % {"plan": plan, "cooperative": partner.name},
        kind=Account.Kind.INCOME,
    )


def hold_spend(
    wallet: EmployeeWallet, amount: Decimal, *, reference: str, key: str, today=None
) -> Hold:
    """Set ``amount`` of ``wallet`` aside for a checkout while the card is charged.

    Raises :class:`WalletRefused` (plan ended, employee left) or
    :class:`~portal.ledger.transfers.InsufficientFunds`; nothing is held then.
    """
    check_usable(wallet, today)
    return hold(wallet.account, money(amount), reference=reference, key=key)


def _month(day: date) -> date:
    return day.replace(day=1)


def _record(wallet: EmployeeWallet, made: Transfer, amount: Decimal, code: str) -> Spend:
    spend, _created = Spend.objects.get_or_create(
        transfer=made,
        defaults={
            "plan_id": wallet.plan_id,
            "wallet": wallet,
            "employee_id": wallet.employee_id,
            "tuir_code": code,
            "month": _month(timezone.localdate(made.created_at)),
            "amount": amount,
        },
    )
    return spend


def capture_spend(held: Hold, wallet: EmployeeWallet, partner, *, tuir_code: str) -> Transfer:
    """The order is placed: the held credit is spent with ``partner`` under ``tuir_code`` (the
    letter :func:`eligible` gave). Repeating it is a no-op (one transfer, one Spend)."""
    with transaction.atomic():
        made = capture_hold(held, spent_account(wallet.plan, partner))
        _record(wallet, made, made.amount, tuir_code)
    return made


def release_spend(held: Hold) -> Transfer:
    """The card failed or the checkout was abandoned: the held credit goes back. Once."""
    return release_hold(held)


def refund_spend(
    wallet: EmployeeWallet, amount: Decimal, partner, *, tuir_code: str, reference: str, key: str
) -> Transfer:
    """Give ``amount`` spent with ``partner`` back to ``wallet`` (a refunded line), once per key.

    The credit comes back even after the plan ended; the year-end job returns it to the
    employer on its next run.
    """
    with transaction.atomic():
        made = transfer(
            spent_account(wallet.plan, partner),
            wallet.account,
            money(amount),
            kind=REFUND_KIND,
            reference=reference,
            key=key,
        )
        _record(wallet, made, -made.amount, tuir_code)
    return made
