"""Credit that was not spent in time goes back to its programme; its owners are warned first.

A programme's ``credit_expires_on`` is the last day its wallets may be spent. From the day
after, :func:`return_expired_credit` moves each wallet's unspent balance back into the
programme's budget account with one ledger transfer keyed by wallet and expiry date, under
the wallet account's row lock, so a repeated run (cron and Celery beat both, two workers at
once) moves nothing twice. Credit that comes back to an expired wallet later (a refunded
line, a checkout hold released) is returned by the next run, with the next key.
:func:`send_expiry_notices` e-mails each owner of a wallet with money left, in their language,
once per expiry date, when the date is a week away or nearer.

Both run from ``manage.py expire_credits`` (cron) and the Celery task
``portal.programmes.tasks.expire_credits`` (beat, see settings).
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.defaults import setting
from portal.ledger.models import Transfer
from portal.ledger.transfers import lock_accounts, transfer

from .models import Application, Wallet
from .spending import EXPIRY_KIND

logger = logging.getLogger(__name__)


def expiry_key(wallet: Wallet, expires_on: date, returned_before: int = 0) -> str:
    """The key of the transfer that gives ``wallet``'s credit back for ``expires_on``: one,
    and one more for each later refund or released hold that brought credit back after it."""
    key = f"programme-expiry:{wallet.pk}:{expires_on.isoformat()}"
    return f"{key}:{returned_before + 1}" if returned_before else key


@dataclass
class ExpiryReport:
    """What a run did, for the command's output and the task's result."""

    returned_wallets: int = 0
    returned_amount: Decimal = Decimal("0.00")
    programmes: set[int] = field(default_factory=set)
    notices: int = 0

    def __str__(self) -> str:
        return (
            f"{self.returned_wallets} wallet(s) of {len(self.programmes)} programme(s) "
            f"returned {self.returned_amount:.2f} EUR of unspent credit to their budgets; "
            f"{self.notices} expiry notice(s) sent."
        )


def _return_one(wallet: Wallet) -> Decimal:
    """Give ``wallet``'s balance back to its programme's budget; the amount moved (0: none)."""
    programme = wallet.programme
    with transaction.atomic():
        fresh = lock_accounts(wallet.account, programme.budget_account)[wallet.account_id]
        if fresh.balance <= 0:
            return Decimal("0.00")
        # under the wallet's lock: the returns already made for this expiry name the next one
        returned_before = Transfer.objects.filter(
            source=wallet.account,
            kind=EXPIRY_KIND,
            key__startswith=expiry_key(wallet, programme.credit_expires_on),
        ).count()
        key = expiry_key(wallet, programme.credit_expires_on, returned_before)
        transfer(
            wallet.account,
            programme.budget_account,
            fresh.balance,
            kind=EXPIRY_KIND,
            reference=programme.slug,
            key=key,
        )
        return fresh.balance


def return_expired_credit(today: date | None = None, report: ExpiryReport | None = None):
    """Every expired wallet with money left gives it back to its programme's budget, once."""
    today = today or timezone.localdate()
    report = report or ExpiryReport()
    wallets = (
        Wallet.objects.filter(programme__credit_expires_on__lt=today, account__balance__gt=0)
        .select_related("programme__budget_account", "account")
        .order_by("pk")
    )
    for wallet in wallets.iterator(chunk_size=500):
        moved = _return_one(wallet)
        if moved:
            report.returned_wallets += 1
            report.returned_amount += moved
            report.programmes.add(wallet.programme_id)
    return report


def _notice(wallet: Wallet, language: str) -> EmailMessage:
    programme = wallet.programme
    site = programme.territory.site
    with translation.override(language):
        url = site.root_url.rstrip("/") + reverse("programmes:my-wallet")
        body = render_to_string(
            "programmes/email/expiry_notice.txt",
            {
                "wallet": wallet,
                "programme": programme,
                "owner": wallet.owner,
                "balance": wallet.account.balance,
                "url": url,
            },
        )
        subject = _("Your credit from “%(programme)s” expires on %(date)s") % {
            "programme": programme.title,
            "date": programme.credit_expires_on.strftime("%d/%m/%Y"),
        }
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[wallet.owner.email],
    )


def send_expiry_notices(today: date | None = None, report: ExpiryReport | None = None):
    """Warn, once per expiry date, each owner of a wallet with money left that expires soon."""
    today = today or timezone.localdate()
    report = report or ExpiryReport()
    days = setting("PORTAL_CREDIT_EXPIRY_NOTICE_DAYS")
    language = Application.objects.filter(
        programme=OuterRef("programme"), applicant=OuterRef("owner")
    ).values("language")[:1]
    wallets = (
        Wallet.objects.filter(
            programme__credit_expires_on__gte=today,
            programme__credit_expires_on__lte=today + timedelta(days=days),
            account__balance__gt=0,
        )
        .exclude(owner__email="")
        .select_related("programme__territory__site", "account", "owner")
        .annotate(language=Subquery(language))
        .order_by("pk")
    )
    for wallet in wallets.iterator(chunk_size=500):
        expires_on = wallet.programme.credit_expires_on
        if wallet.expiry_notice_for == expires_on:
            continue
        # claim the notice first: of two runs at once, one sends it
        claimed = (
            Wallet.objects.filter(pk=wallet.pk)
            .exclude(expiry_notice_for=expires_on)
            .update(expiry_notice_for=expires_on)
        )
        if not claimed:
            continue
        territory = wallet.programme.territory
        try:
            _notice(wallet, wallet.language or territory.default_language).send()
        except Exception:
            Wallet.objects.filter(pk=wallet.pk).update(expiry_notice_for=wallet.expiry_notice_for)
            logger.exception(
                "expiry notice to wallet %s not sent; retried on the next run", wallet.pk
            )
            continue
        report.notices += 1
    return report


def expire_credits(today: date | None = None) -> ExpiryReport:
    """One run: give back what expired, then warn of what expires soon."""
    report = return_expired_credit(today)
    return send_expiry_notices(today, report)
