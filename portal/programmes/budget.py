"""A programme's money on the ledger: its budget account, its funding, its citizens' wallets.

Money enters through the programme's funding account (the municipality's side, which may go
below zero like every funding account) into its budget account, which may not; an approval
moves the granted amount from the budget account into the citizen's wallet for the
programme. What is left is the budget account's balance, nothing kept beside it.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account, Transfer
from portal.ledger.transfers import lock_accounts, transfer
from portal.territories.models import Territory

from .models import Programme, Wallet

FUNDING_KIND = "programme-budget"
REFUND_KIND = "programme-budget-return"


def _code(territory: Territory, slug: str, part: str) -> str:
    return f"{territory.slug}:programme:{slug}:{part}"


def funds_account(programme: Programme) -> Account:
    """Where the programme's money comes from (the funder's side of the ledger)."""
    return system_account(
        _code(programme.territory, programme.slug, "funds"),
        name=_("%(programme)s: funds") % {"programme": programme.title},
        kind=Account.Kind.FUNDING,
        territory=programme.territory,
        allow_negative=True,
    )


def create_programme(
    territory: Territory,
    *,
    slug: str,
    title: str,
    kind: str,
    budget: Decimal,
    opens_on: date,
    closes_on: date,
    **fields,
) -> Programme:
    """A new programme with its budget account, funded with ``budget``."""
    with transaction.atomic():
        account = system_account(
            _code(territory, slug, "budget"),
            name=_("%(programme)s: budget") % {"programme": title},
            kind=Account.Kind.FUNDING,
            territory=territory,
        )
        programme = Programme.objects.create(
            territory=territory,
            slug=slug,
            title=title,
            kind=kind,
            budget=budget,
            budget_account=account,
            opens_on=opens_on,
            closes_on=closes_on,
            **fields,
        )
        fund(programme)
    return programme


def funded(programme: Programme) -> Decimal:
    """What the funding account has put into the budget, net of what was given back."""
    account = programme.budget_account
    moved_in = (
        Transfer.objects.filter(destination=account, kind=FUNDING_KIND).aggregate(s=Sum("amount"))[
            "s"
        ]
        or 0
    )
    moved_out = (
        Transfer.objects.filter(source=account, kind=REFUND_KIND).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return Decimal(moved_in) - Decimal(moved_out)


def fund(programme: Programme) -> Decimal:
    """Bring the budget account in line with ``programme.budget``; return the change.

    A larger budget is topped up from the funding account; a smaller one gives back what is
    still unspent (:class:`~portal.ledger.transfers.InsufficientFunds` when more was already
    granted than the new budget allows). The budget account's row is locked first, so two
    saves at once never fund it twice.
    """
    with transaction.atomic():
        lock_accounts(programme.budget_account)
        difference = programme.budget - funded(programme)
        if difference > 0:
            transfer(
                funds_account(programme),
                programme.budget_account,
                difference,
                kind=FUNDING_KIND,
                reference=programme.slug,
            )
        elif difference < 0:
            transfer(
                programme.budget_account,
                funds_account(programme),
                -difference,
                kind=REFUND_KIND,
                reference=programme.slug,
            )
    programme.budget_account.refresh_from_db(fields=["balance"])
    return difference


def budget_left(programme: Programme) -> Decimal:
    """The budget account's balance as the database holds it now."""
    return Account.objects.values_list("balance", flat=True).get(pk=programme.budget_account_id)


def wallet_for(programme: Programme, owner) -> Wallet:
    """``owner``'s wallet for ``programme``, opened on first use (safe when racing).

    Opening one is two inserts in a savepoint: the wallet account (its code unique) and the
    wallet (unique per programme and owner); whoever loses a race reads the winner's.
    """
    wallets = Wallet.objects.select_related("account")
    try:
        return wallets.get(programme=programme, owner=owner)
    except Wallet.DoesNotExist:
        pass
    code = _code(programme.territory, programme.slug, f"wallet:{owner.pk}")
    name = _("%(programme)s: wallet of %(owner)s") % {
        "programme": programme.title,
        "owner": owner.get_username(),
    }
    try:
        with transaction.atomic():
            account = Account.objects.create(
                code=code, name=name, kind=Account.Kind.WALLET, territory=programme.territory
            )
            return Wallet.objects.create(programme=programme, owner=owner, account=account)
    except IntegrityError:  # opened meanwhile, or an account left without its wallet
        account = system_account(
            code, name=name, kind=Account.Kind.WALLET, territory=programme.territory
        )
        wallet, _created = Wallet.objects.get_or_create(
            programme=programme, owner=owner, defaults={"account": account}
        )
        return wallet
