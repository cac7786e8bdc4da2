"""The ledger: transfers move money, balances never go below zero, holds capture or release.

The concurrency test needs PostgreSQL (row locks); on SQLite it is skipped. Its rows are
committed for real from threads with their own connections (the racing threads must see
them) and deleted afterwards: a ``transaction=True`` test would flush the portals every
other test relies on.
"""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import (
    HoldSettled,
    InsufficientFunds,
    InvalidAmount,
    capture_hold,
    hold,
    release_hold,
    transfer,
)
from tests.conftest import portal_client

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL row locks: run with DATABASE_URL=postgres://… (see .ci/run)",
)


def account(name: str, balance: str = "0", **kwargs) -> Account:
    """An account holding ``balance``, funded by a transfer like any real one."""
    acc = Account.objects.create(name=name, kind=Account.Kind.WALLET, **kwargs)
    if Decimal(balance):
        funding = Account.objects.create(
            name=f"{name} funding", kind=Account.Kind.FUNDING, allow_negative=True
        )
        transfer(funding, acc, Decimal(balance), kind="test-funding")
    return acc


def balance_of(acc: Account) -> Decimal:
    return Account.objects.get(pk=acc.pk).balance


@pytest.mark.django_db
class TestTransfer:
    def test_moves_money_and_records_the_transfer(self):
        anna, bruno = account("Anna", "50.00"), account("Bruno")
        made = transfer(anna, bruno, Decimal("20.50"), kind="gift", reference="birthday")
        assert balance_of(anna) == Decimal("29.50")
        assert balance_of(bruno) == Decimal("20.50")
        assert (anna.balance, bruno.balance) == (Decimal("29.50"), Decimal("20.50"))
        assert (made.source, made.destination, made.amount) == (anna, bruno, Decimal("20.50"))
        assert made.reference == "birthday"

    def test_insufficient_funds_changes_nothing(self):
        anna, bruno = account("Anna", "10.00"), account("Bruno")
        transfers = Transfer.objects.count()
        with pytest.raises(InsufficientFunds, match="10.00"):
            transfer(anna, bruno, Decimal("10.01"), kind="gift")
        assert balance_of(anna) == Decimal("10.00")
        assert balance_of(bruno) == 0
        assert Transfer.objects.count() == transfers

    @pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc", "NaN"])
    def test_a_bad_amount_is_refused_and_changes_nothing(self, amount):
        anna, bruno = account("Anna", "10.00"), account("Bruno")
        transfers = Transfer.objects.count()
        with pytest.raises(InvalidAmount):
            transfer(anna, bruno, amount, kind="gift")
        assert (balance_of(anna), balance_of(bruno)) == (Decimal("10.00"), 0)
        assert Transfer.objects.count() == transfers

    def test_the_same_key_moves_money_once(self):
        anna, bruno = account("Anna", "50.00"), account("Bruno")
        first = transfer(anna, bruno, Decimal("5"), kind="gift", key="webhook-evt-1")
        again = transfer(anna, bruno, Decimal("5"), kind="gift", key="webhook-evt-1")
        assert first.pk == again.pk
        assert balance_of(anna) == Decimal("45.00")

    def test_a_funding_account_may_go_below_zero(self):
        funding = account("Fund", allow_negative=True)
        wallet = account("Wallet")
        transfer(funding, wallet, Decimal("100"), kind="funding")
        assert balance_of(funding) == Decimal("-100.00")

    def test_the_database_refuses_a_negative_balance_even_bypassing_the_functions(self):
        anna = account("Anna", "10.00")
        with pytest.raises(IntegrityError), transaction.atomic():
            Account.objects.filter(pk=anna.pk).update(balance=Decimal("-0.01"))
        assert balance_of(anna) == Decimal("10.00")

    def test_the_database_refuses_a_transfer_of_nothing(self):
        anna, bruno = account("Anna", "10.00"), account("Bruno")
        with pytest.raises(IntegrityError), transaction.atomic():
            Transfer.objects.create(source=anna, destination=bruno, amount=0, kind="x")


@pytest.mark.django_db
class TestHolds:
    def test_a_hold_sets_money_aside_and_capture_spends_it_once(self):
        card, shop = account("Card", "30.00"), account("Shop")
        held = hold(card, Decimal("12.00"), reference="order:1001")
        assert balance_of(card) == Decimal("18.00")
        assert balance_of(held.account) == Decimal("12.00")

        capture_hold(held, shop)
        capture_hold(held, shop)  # a repeated confirmation changes nothing
        assert balance_of(shop) == Decimal("12.00")
        assert balance_of(held.account) == 0
        assert Hold.objects.get(pk=held.pk).status == Hold.Status.CAPTURED
        with pytest.raises(HoldSettled):
            release_hold(held)
        assert balance_of(card) == Decimal("18.00")

    def test_release_gives_the_money_back_once(self):
        card, shop = account("Card", "30.00"), account("Shop")
        held = hold(card, Decimal("30.00"), reference="order:1002")
        assert balance_of(card) == 0
        release_hold(held)
        release_hold(held)
        assert balance_of(card) == Decimal("30.00")
        with pytest.raises(HoldSettled):
            capture_hold(held, shop)
        assert balance_of(shop) == 0

    def test_a_hold_beyond_the_balance_changes_nothing(self):
        card = account("Card", "5.00")
        accounts, holds = Account.objects.count(), Hold.objects.count()
        with pytest.raises(InsufficientFunds):
            hold(card, Decimal("5.01"), reference="order:1003")
        assert balance_of(card) == Decimal("5.00")
        assert (Account.objects.count(), Hold.objects.count()) == (accounts, holds)

    def test_the_same_key_holds_once(self):
        card = account("Card", "20.00")
        first = hold(card, Decimal("8"), reference="order:1004", key="k1")
        again = hold(card, Decimal("8"), reference="order:1004", key="k1")
        assert first.pk == again.pk
        assert balance_of(card) == Decimal("12.00")


@pytest.mark.django_db
def test_the_admin_lists_the_ledger_read_only():
    admin = get_user_model().objects.create_superuser("ledger-admin", "l@example.it", "demo")
    anna = account("Conto di prova Anna", "10.00")
    client = portal_client("sondrio")
    client.force_login(admin)
    listing = client.get("/admin/ledger_accounts/")
    assert listing.status_code == 200
    assert "Conto di prova Anna" in listing.content.decode()
    assert client.get(f"/admin/ledger_accounts/edit/{anna.pk}/").status_code in (302, 403)
    assert client.post("/admin/ledger_accounts/new/", {"name": "x"}).status_code in (302, 403)
    assert Account.objects.filter(name="x").count() == 0
    assert client.get(f"/admin/ledger_accounts/inspect/{anna.pk}/").status_code == 200


def run_at_once(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; returns results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001  (the test counts each kind)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def in_own_connection(work):
    """Run ``work()`` in a thread with its own connection, committing for real.

    The test itself runs in a transaction that is rolled back; rows the racing threads must
    see are written (and deleted afterwards) from a connection of their own. Under READ
    COMMITTED the test's connection sees them too.
    """
    result = run_at_once(1, lambda _i: work())[0]
    if isinstance(result, Exception):
        raise result
    return result


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_twenty_concurrent_spends_never_exceed_the_balance():
    def open_accounts():
        funding = Account.objects.create(name="conc-fund", kind="funding", allow_negative=True)
        card = Account.objects.create(name="conc-card", kind="giftcard")
        shop = Account.objects.create(name="conc-shop", kind="income")
        transfer(funding, card, Decimal("50.00"), kind="test-funding")
        return funding, card, shop

    funding, card, shop = in_own_connection(open_accounts)
    try:
        results = run_at_once(
            20, lambda i: transfer(card, shop, Decimal("10.00"), kind="spend", reference=str(i))
        )
        done = [r for r in results if isinstance(r, Transfer)]
        refused = [r for r in results if isinstance(r, InsufficientFunds)]
        assert (len(done), len(refused)) == (5, 15), results
        assert balance_of(card) == 0
        assert balance_of(shop) == Decimal("50.00")
        assert sum(t.amount for t in Transfer.objects.filter(source=card)) == Decimal("50.00")
    finally:

        def clean_up():
            Transfer.objects.filter(source__in=[funding, card, shop]).delete()
            Account.objects.filter(pk__in=[funding.pk, card.pk, shop.pk]).delete()

        in_own_connection(clean_up)
