"""Band-funded checkouts racing for a programme's last budget (PostgreSQL, real threads): 20
checkouts each hold a 48 € reduction on a budget of 240 €; five get it, the fifteen others are
told the prices changed (nothing held for them), and the budget never goes below zero."""

import os
import threading
from decimal import Decimal

import pytest
from django.db import connections

pytestmark = pytest.mark.postgres
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL row locks and real concurrency (set DATABASE_URL); SQLite has none",
)
CHECKOUTS = 20
REDUCTION = Decimal("48.00")
BUDGET = REDUCTION * 5


@pytest.fixture
def committed_fund(django_db_setup, django_db_blocker):
    """A committed programme of Sondrio with a budget of exactly five reductions."""
    from portal.territories.models import Territory
    from tests.programmes_support import open_programme

    with django_db_blocker.unblock():
        sondrio = Territory.objects.get(slug="sondrio")
        programme = open_programme(sondrio, budget=str(BUDGET), title="Fondo concorrenza")
        programme.budget_account.refresh_from_db()
        assert programme.budget_account.balance == BUDGET
        yield programme


@needs_postgres
def test_concurrent_band_orders_never_overspend_the_budget(committed_fund):
    from portal.ledger.models import Account, Hold
    from portal.welfare.funding import BandLine, BandPlan, holds_for_order
    from shop.payment import tender

    programme = committed_fund
    barrier = threading.Barrier(CHECKOUTS)
    held, refused = [], []

    def checkout(n: int):
        plan = BandPlan(
            lines=[BandLine(1, "Servizio", programme.pk, REDUCTION, "−50% con la fascia B")]
        )
        number = f"RACE{programme.pk}-{n:02d}"
        try:
            barrier.wait()
            try:
                tender.hold(number, tender.Tender(ledger=Decimal(0), card=REDUCTION, bands=plan))
                held.append(number)
            except tender.BandsChanged:
                refused.append(number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(n,)) for n in range(CHECKOUTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    budget = Account.objects.get(pk=programme.budget_account_id)
    print(f"{CHECKOUTS} concurrent checkouts: {len(held)} held, {len(refused)} refused")
    assert (len(held), len(refused)) == (5, CHECKOUTS - 5)
    assert budget.balance == 0
    assert all(not holds_for_order(number).exists() for number in refused)
    kept = Hold.objects.filter(source=budget, status=Hold.Status.HELD)
    assert sum(h.amount for h in kept) == BUDGET
