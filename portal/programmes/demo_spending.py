"""Demo spending for `make demo` (never used in production): enough for the charts.

Every open programme whose wallets have spent nothing yet gets six more households, approved
and spending part of their credit with the programme's cooperatives on the day they were
approved, over the days since it opened (two weeks at most), and again today, through the
same functions the portal uses (:func:`~portal.programmes.applications.approve`,
:func:`~portal.programmes.spending.spend`),
so the dashboard and /trasparenza/ read real ledger movements. Six households: above the
transparency page's threshold of five, so its figures are shown.

The clock is set back to each household's day while its steps run (the ledger stamps its
transfers with the time they are made): a demo's history, never a real one.
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from shop.partner.models import Partner

from .applications import ProgrammeError, approve, move, start, submit
from .budget import wallet_for
from .demo import _tax_code, officer_email
from .figures import spent_accounts
from .models import Application, Programme
from .spending import spend

S = Application.Status
HOUSEHOLDS = 6
FIRST = 10  # the demo's tax codes 10…15 (demo.py uses 0…6)


def _cooperatives(programme: Programme) -> list:
    chosen = list(programme.cooperatives.order_by("pk"))
    return chosen or list(Partner.objects.filter(territories=programme.territory).order_by("pk"))


def _spend(wallet, credit: Decimal, share: str, cooperative, i: int) -> None:
    amount = (credit * Decimal(share)).quantize(Decimal("0.01"))
    spend(
        wallet,
        amount,
        cooperative,
        reference=f"DEMO-{wallet.programme.territory.slug.upper()}-{i + 1}-{share}",
        key=f"demo-spend:{wallet.programme_id}:{i}:{share}",
    )


def load_spends(ensure_user: Callable) -> int:
    """Approved, spending households for each open programme without spends; how many."""
    User = get_user_model()
    today = timezone.localdate()
    made = 0
    for programme in Programme.objects.select_related("territory", "budget_account"):
        cooperatives = _cooperatives(programme)
        if not cooperatives or spent_accounts(programme) or not programme.is_open(today):
            continue
        officer = User.objects.filter(email__iexact=officer_email(programme.territory)).first()
        if officer is None:
            continue
        first_day = max(programme.opens_on, today - timedelta(days=13))
        span = (today - first_day).days
        for i in range(HOUSEHOLDS):
            day = first_day + timedelta(days=span * i // max(HOUSEHOLDS - 1, 1))
            moment = timezone.make_aware(datetime.combine(day, time(10 + i, 15)))
            email = f"famiglia{i + 1}.{programme.territory.slug}@example.it"
            ensure_user(email)
            applicant = User.objects.get(email__iexact=email)
            with mock.patch("django.utils.timezone.now", return_value=moment):
                try:
                    application = start(programme, applicant, _tax_code(FIRST + i))
                except ProgrammeError:
                    continue  # applied already, or the budget is spent
                application.household_size = 1 + i % 4
                application.municipality = programme.municipalities[
                    i % len(programme.municipalities)
                ]
                application.income_band = "isee-fino-15000"
                application.save(update_fields=["household_size", "municipality", "income_band"])
                submit(application, applicant)
                move(application, officer, S.IN_REVIEW, officer=True)
                try:
                    approve(application, officer, "Requisiti verificati.")
                except ProgrammeError:
                    continue
                wallet = wallet_for(programme, applicant)
                _spend(wallet, application.amount, "0.4", cooperatives[i % len(cooperatives)], i)
            # and again today, with the other cooperative: every month has six people spending
            _spend(wallet, application.amount, "0.2", cooperatives[(i + 1) % len(cooperatives)], i)
            made += 1
    return made
