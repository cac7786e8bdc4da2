"""Our own double-entry ledger: accounts with a balance, and transfers between them.

Every movement of stored value (gift vouchers today, welfare wallets tomorrow) is a
:class:`Transfer` from one account to another, so the sum of all balances is always zero and
every euro can be traced. A balance may never go below zero unless the account is a funding
account (``allow_negative``): the database enforces it, not just the code. Write through
:mod:`portal.ledger.transfers`, which locks the rows it changes.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.defaults import setting

MONEY = {"max_digits": 12, "decimal_places": 2}


class Account(models.Model):
    """A pot of money in one currency, optionally belonging to one territory."""

    class Kind(models.TextChoices):
        GIFTCARD = "giftcard", _("gift voucher")
        FUNDING = "funding", _("funding")
        INCOME = "income", _("income")
        HOLD = "hold", _("hold")
        WALLET = "wallet", _("wallet")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A stable name for system accounts, e.g. 'sondrio:giftcard-sales'."),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )
    currency = models.CharField(_("currency"), max_length=3, default=setting("PORTAL_CURRENCY"))
    balance = models.DecimalField(_("balance"), default=Decimal("0.00"), **MONEY)
    allow_negative = models.BooleanField(
        _("may go below zero"),
        default=False,
        help_text=_("Only for funding accounts, where money enters the ledger."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance__gte=0),
                name="ledger_account_balance_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Transfer(models.Model):
    """Money moved from one account to another; never edited, never deleted."""

    source = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    kind = models.CharField(_("kind"), max_length=40)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A second transfer with the same key returns the first instead."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("destination")), name="ledger_transfer_two_accounts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.source} → {self.destination}"


class Hold(models.Model):
    """Money set aside from an account while a payment is pending.

    The money moves into an account of its own, so it can be spent by nobody else; when the
    payment succeeds the hold is captured (moved on to where it was spent), when it fails it
    is released (moved back). Either happens once: the status changes under a row lock.
    """

    class Status(models.TextChoices):
        HELD = "held", _("held")
        CAPTURED = "captured", _("captured")
        RELEASED = "released", _("released")

    source = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="holds", verbose_name=_("held from")
    )
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="hold", verbose_name=_("hold account")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=200, db_index=True)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True, null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_hold_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_status_display()}): {self.reference}"
