"""An employer's welfare wallet in the shop's split tender (``portal.programmes.checkout``).

Unlike a programme's wallet it pays on every portal, for the services its plan's TUIR
categories cover (:func:`.spending.eligible`); the money moves through :mod:`.spending`,
which also writes the employer's aggregate rows (:class:`.models.Spend`).
"""

from decimal import Decimal

from portal.ledger.models import Hold, Transfer
from portal.programmes.checkout import WalletLine, category_slugs

from . import spending
from .models import EmployeeWallet, Spend

KEY_PREFIX = "employer-"  # a programme wallet's key is its number: the two never meet


class EmployerWallets:
    model = EmployeeWallet

    def key(self, wallet: EmployeeWallet) -> str:
        return f"{KEY_PREFIX}{wallet.pk}"

    def title(self, wallet: EmployeeWallet) -> str:
        return f"{wallet.plan.employer.name} – {wallet.plan.title}"

    def refusal(self, wallet: EmployeeWallet, territory) -> str:
        try:
            spending.check_usable(wallet)  # any portal: the territory does not matter
        except spending.WalletRefused as refusal:
            return str(refusal)
        return ""

    def why_not(self, wallet: EmployeeWallet, line: WalletLine) -> str:
        return spending.eligible(wallet.plan, line.product, line.category_slugs).reason

    def hold(self, wallet, amount: Decimal, *, reference: str, key: str, territory) -> Hold:
        return spending.hold_spend(wallet, amount, reference=reference, key=key)

    def capture(self, held: Hold, wallet: EmployeeWallet, order_line) -> Transfer:
        product = order_line.product
        slugs = category_slugs([product.parent_id or product.pk]).get(
            product.parent_id or product.pk, frozenset()
        )
        code = spending.eligible(wallet.plan, product, slugs).code
        return spending.capture_spend(held, wallet, order_line.partner, tuir_code=code)

    def refund(self, held: Hold, wallet, order_line, *, reference: str, key: str) -> Transfer:
        # the letter the line was bought under, as its capture recorded it
        code = (
            Spend.objects.filter(transfer__key=f"capture:hold:{held.pk}")
            .values_list("tuir_code", flat=True)
            .first()
        ) or ""
        return spending.refund_spend(
            wallet,
            held.amount,
            order_line.partner,
            tuir_code=code,
            reference=reference,
            key=key,
        )

    def wallets_of(self, account_ids) -> dict[int, EmployeeWallet]:
        wallets = EmployeeWallet.objects.filter(account_id__in=account_ids).select_related(
            "plan__employer", "employee"
        )
        return {w.account_id: w for w in wallets}


EMPLOYER = EmployerWallets()


def wallet_of(user, key: str) -> EmployeeWallet | None:
    """``user``'s employer wallet named ``key`` on the payment page, or None."""
    number = key.removeprefix(KEY_PREFIX)
    if not key.startswith(KEY_PREFIX) or not number.isdigit():
        return None
    return EmployeeWallet.objects.filter(pk=int(number), employee__user=user).first()


def wallets_with_credit(user) -> list[EmployeeWallet]:
    """``user``'s employer wallets with money on them, first ending first — also those that
    cannot pay now (plan ended, employee left), which the payment page shows with the reason."""
    if user is None or not user.is_authenticated:
        return []
    wallets = EmployeeWallet.objects.filter(
        employee__user=user, account__balance__gt=0
    ).select_related("plan__employer", "employee", "account")
    return sorted(wallets, key=lambda w: (w.plan.ends_on, w.pk))
