"""An employer's money on the ledger: its funding, its employees' credit, what comes back.

Money enters through the employer's bank account on the ledger (the outside world's side,
which may go below zero like every funding account) into its funding account, which may not,
when a platform admin records the bank transfer (:func:`record_funding`, once per
reference). :func:`credit_all` then moves each employee's credit from the funding account
into their wallet for the plan, once per employee and plan, all or nothing. Unspent credit
goes back to the funding account when an employee leaves (:func:`mark_left`) or the plan
year ends (:func:`close_year`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account, Transfer
from portal.ledger.transfers import (
    InsufficientFunds,
    LedgerError,
    lock_accounts,
    money,
    transfer,
    transfer_many,
)

from .models import Employee, EmployeeWallet, Employer, WelfarePlan

FUNDING_KIND = "employer-funding"  # bank → funding
CREDIT_KIND = "employer-credit"  # funding → wallet
RETURN_KIND = "employer-credit-return"  # wallet → funding


def bank_account(employer: Employer) -> Account:
    """Where the employer's money comes from: its bank, outside the ledger."""
    return system_account(
        f"employer:{employer.slug}:bank",
        name=_("%(employer)s: bank") % {"employer": employer.name},
        kind=Account.Kind.FUNDING,
        allow_negative=True,
    )


def create_employer(*, slug: str, name: str, kind: str = Employer.Kind.COMPANY, territory=None):
    """A new employer with its admins' group and its funding account."""
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=f"Welfare aziendale: {slug}"[:150])
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        account = system_account(
            f"employer:{slug}:funds",
            name=_("%(employer)s: welfare funds") % {"employer": name},
            kind=Account.Kind.FUNDING,
        )
        return Employer.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            territory=territory,
            admins=group,
            funding_account=account,
        )


def funding_key(employer: Employer, reference: str) -> str:
    return f"employer-funding:{employer.slug}:{reference.strip()}"


def record_funding(employer: Employer, amount: Decimal, *, reference: str, day: date) -> Transfer:
    """The employer's bank transfer arrived: ``amount`` into its funding account, once per
    ``reference`` (the bank's). The same reference with another amount is refused."""
    amount = money(amount)
    reference = reference.strip()
    if not reference:
        raise LedgerError(_("The bank transfer's reference is required."))
    key = funding_key(employer, reference)
    done = Transfer.objects.filter(key=key).first()
    if done is not None and done.amount != amount:
        raise LedgerError(
            _("The transfer %(reference)s was already recorded, for %(amount)s €.")
            % {"reference": reference, "amount": done.amount}
        )
    return transfer(
        bank_account(employer),
        employer.funding_account,
        amount,
        kind=FUNDING_KIND,
        reference=f"{reference} ({day:%d/%m/%Y})",
        key=key,
    )


def wallet_code(plan: WelfarePlan, employee: Employee) -> str:
    return f"employer:{plan.employer.slug}:plan:{plan.year}:wallet:{employee.pk}"


def credit_key(plan: WelfarePlan, employee_id: int) -> str:
    return f"employer-credit:plan:{plan.pk}:employee:{employee_id}"


def _wallet_name(plan: WelfarePlan, employee: Employee) -> str:
    return (_("%(plan)s: wallet of %(tax_code)s") % {"plan": plan, "tax_code": employee.tax_code})[
        :200
    ]


def wallets_for(plan: WelfarePlan, employees: list[Employee]) -> dict[int, EmployeeWallet]:
    """Each employee's wallet for ``plan`` by employee pk, opened in bulk where missing."""
    have = {
        w.employee_id: w
        for w in EmployeeWallet.objects.filter(plan=plan, employee__in=employees).select_related(
            "account"
        )
    }
    missing = [e for e in employees if e.pk not in have]
    if missing:
        accounts = Account.objects.bulk_create(
            [
                Account(
                    code=wallet_code(plan, e),
                    name=_wallet_name(plan, e),
                    kind=Account.Kind.WALLET,
                    territory_id=plan.employer.territory_id,
                )
                for e in missing
            ],
            batch_size=1000,
        )
        made = EmployeeWallet.objects.bulk_create(
            [
                EmployeeWallet(plan=plan, employee=e, account=a)
                for e, a in zip(missing, accounts, strict=True)
            ],
            batch_size=1000,
        )
        for wallet, account in zip(made, accounts, strict=True):
            wallet.account = account
            have[wallet.employee_id] = wallet
    return have


def wallet_for(plan: WelfarePlan, employee: Employee) -> EmployeeWallet:
    with transaction.atomic():
        return wallets_for(plan, [employee])[employee.pk]


@dataclass
class CreditResult:
    credited: int = 0  # employees credited now
    already: int = 0  # employees credited before
    amount: Decimal = Decimal("0.00")


def creditable(plan: WelfarePlan):
    """The employees ``plan`` credits: started by its end and not left before the year began."""
    return (
        Employee.objects.filter(employer=plan.employer, started_on__lte=plan.ends_on)
        .exclude(left_on__lte=timezone.localdate())
        .order_by("pk")
    )


def credit_all(
    plan: WelfarePlan,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2000,
) -> CreditResult:
    """Credit every current employee of ``plan``'s employer with their credit, once each.

    All or nothing: :class:`~portal.ledger.transfers.InsufficientFunds` when the funding
    account cannot pay all the credit still due (nothing is written then); a repeat credits
    nobody twice (each transfer has the key :func:`credit_key`). ``progress(done, total)`` is
    called after each chunk of employees.
    """
    if plan.status != WelfarePlan.Status.ACTIVE:
        raise LedgerError(_("Only an active plan can be credited."))
    result = CreditResult()
    with transaction.atomic():
        # the funding account's lock first: a second run at once waits here, then finds the
        # keys the first one used, and credits nobody twice
        source = lock_accounts(plan.employer.funding_account)[plan.employer.funding_account_id]
        employees = list(creditable(plan).only("pk", "tax_code", "grade", "employer_id"))
        keys = {credit_key(plan, e.pk): e for e in employees}
        done = set()
        key_list = list(keys)
        for start in range(0, len(key_list), 5000):
            done |= set(
                Transfer.objects.filter(key__in=key_list[start : start + 5000]).values_list(
                    "key", flat=True
                )
            )
        due = [e for k, e in keys.items() if k not in done]
        result.already = len(employees) - len(due)
        amounts = {e.pk: plan.credit_for(e.grade) for e in due}
        total = sum(amounts.values(), Decimal("0.00"))
        if source.balance < total:
            raise InsufficientFunds(source, total, source.balance)
        for start in range(0, len(due), chunk):
            batch = due[start : start + chunk]
            wallets = wallets_for(plan, batch)
            transfer_many(
                source,
                [
                    (wallets[e.pk].account, amounts[e.pk], credit_key(plan, e.pk))
                    for e in batch
                    if amounts[e.pk] > 0
                ],
                kind=CREDIT_KIND,
                reference=f"{plan.employer.slug}:{plan.year}",
            )
            result.credited += len(batch)
            if progress is not None:
                progress(min(start + chunk, len(due)), len(due))
    result.amount = total
    plan.employer.funding_account.refresh_from_db(fields=["balance"])
    return result


def return_unspent(wallet: EmployeeWallet, *, reason: str) -> Transfer | None:
    """Move what is left on ``wallet`` back to the employer's funding account (None: nothing left).

    Safe to repeat: under the wallet's lock, the balance is what is returned, and each return
    has its own key (a refund after a return is returned by the next one).
    """
    with transaction.atomic():
        locked = lock_accounts(wallet.account)[wallet.account_id]
        if locked.balance <= 0:
            return None
        n = Transfer.objects.filter(source=locked, kind=RETURN_KIND).count()
        return transfer(
            locked,
            wallet.plan.employer.funding_account,
            locked.balance,
            kind=RETURN_KIND,
            reference=reason,
            key=f"employer-return:wallet:{wallet.pk}:{n + 1}",
        )


def mark_left(employee: Employee, day: date) -> Decimal:
    """``employee`` left on ``day``: their unspent credit goes back to the employer; the total."""
    returned = Decimal("0.00")
    with transaction.atomic():
        Employee.objects.filter(pk=employee.pk).update(left_on=day)
        employee.left_on = day
        if day <= timezone.localdate():
            for wallet in employee.wallets.select_related("plan__employer", "account"):
                made = return_unspent(wallet, reason=f"left:{day:%Y-%m-%d}")
                if made is not None:
                    returned += made.amount
    return returned


def close_year(today: date | None = None, *, plans=None) -> dict[WelfarePlan, Decimal]:
    """Plans whose credit ended before ``today``: unspent credit back to each employer; the
    plans closed; and the credit of employees whose leaving day has come since they were
    marked. Repeating it returns only what came back since (a refund)."""
    today = today or timezone.localdate()
    plans = plans if plans is not None else WelfarePlan.objects.filter(ends_on__lt=today)
    returned: dict[WelfarePlan, Decimal] = {}
    for plan in plans.select_related("employer"):
        total = Decimal("0.00")
        wallets = plan.wallets.filter(account__balance__gt=0).select_related(
            "account", "plan__employer"
        )
        for wallet in wallets.iterator():
            made = return_unspent(wallet, reason=f"plan-year-end:{plan.year}")
            if made is not None:
                total += made.amount
        if plan.status != WelfarePlan.Status.CLOSED:
            WelfarePlan.objects.filter(pk=plan.pk).update(
                status=WelfarePlan.Status.CLOSED, closed_at=timezone.now()
            )
        returned[plan] = total
    leavers = EmployeeWallet.objects.filter(
        account__balance__gt=0, employee__left_on__lte=today
    ).select_related("account", "plan__employer", "employee")
    for wallet in leavers.iterator():  # left on a day that was still to come when marked
        made = return_unspent(wallet, reason=f"left:{wallet.employee.left_on:%Y-%m-%d}")
        if made is not None:
            returned[wallet.plan] = returned.get(wallet.plan, Decimal("0.00")) + made.amount
    return returned
