"""The Stripe webhook: signed events place the order exactly once; forged ones write nothing.

Events are signed here as Stripe signs them (``Stripe-Signature: t=<ts>,v1=<HMAC-SHA256>``
with the endpoint's secret): localstripe does not send ``payment_intent.*`` events reliably.
The PaymentIntents themselves are real, created on localstripe through our checkout.
"""

import os
import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold, Transfer
from shop.giftcards.models import GiftCard
from shop.payment import gateway
from shop.payment.models import StripeEvent, StripePayment
from tests.stripe_support import (
    CARD_3DS,
    CARD_OK,
    checkout_client,
    confirm_card_payment,
    event_payload,
    localstripe_url,  # noqa: F401  (fixture)
    pay_by_card,
    service_and_voucher_client,
    signed,
    stripe_settings,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("stripe_settings")
# Decided before the database is touched: a transactional test empties the (reused) database.
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL row locks and real concurrency (set DATABASE_URL); SQLite has none",
)
Order = get_model("order", "Order")
WEBHOOK = "/shop/payment/stripe/webhook/"


def post_event(payload: bytes, signature: str, host: str = "sondrio.localhost"):
    return Client(HTTP_HOST=host).post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def paid_awaiting_3ds(
    territories, email: str, with_voucher: bool = False
) -> tuple[Client, dict, dict]:
    """A checkout whose 3-D Secure was just completed in the browser: Stripe has the money,
    we have no order yet (neither the return page nor the webhook has arrived). With
    ``with_voucher`` the basket also holds a 50 € gift voucher for giulia@example.it."""
    if with_voucher:
        client, _offer = service_and_voucher_client(territories, email)
    else:
        client, _offer = checkout_client(territories, email=email)
    _setup, answer = pay_by_card(client, CARD_3DS)
    confirm_card_payment(answer["client_secret"])
    intent = gateway.payment_intent(answer["client_secret"].split("_secret_")[0])
    assert intent.status == "succeeded"
    return client, answer, intent.to_dict()


@pytest.mark.django_db
def test_webhook_first_then_return_page_one_order(territories, django_capture_on_commit_callbacks):
    client, answer, intent = paid_awaiting_3ds(territories, "olga@example.it")

    payload = event_payload("payment_intent.succeeded", intent)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(payload, signed(payload)).status_code == 200
    assert Order.objects.filter(guest_email="olga@example.it").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(answer["return_url"])
    assert response["Location"] == "/shop/checkout/thank-you/"
    thanks = client.get("/shop/checkout/thank-you/").content.decode()
    order = Order.objects.get(guest_email="olga@example.it")
    assert order.number in thanks
    assert order.territory == territories["sondrio"]
    assert order.site.domain == "sondrio.localhost"
    assert sum("olga@example.it" in m.to for m in mail.outbox) == 1


@pytest.mark.django_db
def test_return_page_first_then_webhook_one_order(territories, django_capture_on_commit_callbacks):
    client, answer, intent = paid_awaiting_3ds(territories, "pia@example.it")
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_after")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(answer["return_url"])
        assert post_event(payload, signed(payload), host="rho.localhost").status_code == 200
        assert post_event(payload, signed(payload)).status_code == 200  # Stripe's retry
    assert Order.objects.filter(guest_email="pia@example.it").count() == 1
    assert StripeEvent.objects.filter(event_id="evt_after").count() == 1
    assert sum("pia@example.it" in m.to for m in mail.outbox) == 1


@pytest.mark.django_db
def test_payment_failed_event_leaves_no_order(territories):
    client, _offer = checkout_client(territories, email="rita@example.it")
    _setup, answer = pay_by_card(client, CARD_3DS)
    intent_id = answer["client_secret"].split("_secret_")[0]
    confirm_card_payment(answer["client_secret"], success=False)
    intent = gateway.payment_intent(intent_id).to_dict()
    payload = event_payload("payment_intent.payment_failed", intent, event_id="evt_failed")

    assert post_event(payload, signed(payload)).status_code == 200

    payment = StripePayment.objects.get(payment_intent_id=intent_id)
    assert (payment.status, payment.order_id) == ("failed", None)
    assert payment.basket.status == "Open"  # the citizen can pay again
    assert not Order.objects.filter(guest_email="rita@example.it").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "tampered body",
        "wrong secret",
        "stale timestamp",
        "future timestamp",
        "no signature",
        "not json",
    ],
)
def test_forged_events_are_refused_and_write_nothing(territories, case):
    client, _offer = checkout_client(territories, email="sara@example.it")
    _setup, answer = pay_by_card(client, CARD_3DS)
    confirm_card_payment(answer["client_secret"])
    intent = gateway.payment_intent(answer["client_secret"].split("_secret_")[0]).to_dict()
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_forged")
    signature = signed(payload)
    if case == "tampered body":
        payload = payload.replace(b'"evt_forged"', b'"evt_forged2"')
    elif case == "wrong secret":
        signature = signed(payload, secret="whsec_someone_else")
    elif case == "stale timestamp":
        signature = signed(payload, timestamp=int(time.time()) - 3600)
    elif case == "future timestamp":  # signed in advance: replayable for an hour otherwise
        signature = signed(payload, timestamp=int(time.time()) + 3600)
    elif case == "no signature":
        signature = ""
    elif case == "not json":
        payload = b"not json"
        signature = signed(payload)

    response = post_event(payload, signature)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert not Order.objects.filter(guest_email="sara@example.it").exists()


@pytest.mark.django_db
def test_a_webhook_for_someone_elses_intent_places_nothing(territories):
    """A genuine event for a PaymentIntent that is not ours (another shop on the account)."""
    client, _offer = checkout_client(territories, email="tina@example.it")
    pay_by_card(client, CARD_OK)
    intent = gateway.payment_intent(StripePayment.objects.get().payment_intent_id).to_dict()
    intent["id"] = "pi_not_ours"
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_other")
    assert post_event(payload, signed(payload)).status_code == 200
    assert Order.objects.count() == 1


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed rows (the threads' own connections must see them), removed afterwards.

    Not ``transaction=True``: that empties the whole database, portals included. Vouchers
    issued meanwhile go with their ledger accounts, transfers and holds, and the balances of
    accounts that existed before (a territory's voucher sales) are put back.
    """
    from portal.territories.models import Territory

    with django_db_blocker.unblock():
        Basket = get_model("basket", "Basket")
        LineBooking = get_model("booking", "LineBooking")
        baskets_before = set(Basket.objects.values_list("pk", flat=True))
        bookings_before = set(LineBooking.objects.values_list("pk", flat=True))
        balances_before = dict(Account.objects.values_list("pk", "balance"))
        transfers_before = set(Transfer.objects.values_list("pk", flat=True))
        holds_before = set(Hold.objects.values_list("pk", flat=True))
        cards_before = set(GiftCard.objects.values_list("pk", flat=True))
        yield {t.slug: t for t in Territory.objects.select_related("site")}
        GiftCard.objects.exclude(pk__in=cards_before).delete()
        Hold.objects.exclude(pk__in=holds_before).delete()
        Transfer.objects.exclude(pk__in=transfers_before).delete()
        Account.objects.exclude(pk__in=balances_before).delete()
        for pk, balance in balances_before.items():
            Account.objects.filter(pk=pk).exclude(balance=balance).update(balance=balance)
        payments = StripePayment.objects.exclude(basket_id__in=baskets_before)
        orders = Order.objects.filter(pk__in=payments.values("order_id"))
        order_ids = list(orders.values_list("pk", flat=True))
        StripeEvent.objects.filter(
            payment_intent_id__in=payments.values("payment_intent_id")
        ).delete()
        payments.delete()
        Order.objects.filter(pk__in=order_ids).delete()
        Basket.objects.exclude(pk__in=baskets_before).delete()
        LineBooking.objects.exclude(pk__in=bookings_before).delete()


@pytest.mark.postgres
@needs_postgres
def test_ten_concurrent_deliveries_place_one_order(committed):
    """The same signed event ten times at once: one order, one e-mail, one voucher."""
    territories = committed
    client, _answer, intent = paid_awaiting_3ds(territories, "ugo@example.it", with_voucher=True)
    payload = event_payload("payment_intent.succeeded", intent, event_id="evt_concurrent")
    signature = signed(payload)
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def deliver():
        try:
            barrier.wait()
            statuses.append(post_event(payload, signature).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 10
    assert Order.objects.filter(guest_email="ugo@example.it").count() == 1
    assert StripeEvent.objects.filter(event_id="evt_concurrent").count() == 1
    assert [m.to for m in mail.outbox if "ugo@example.it" in m.to] == [["ugo@example.it"]]
    order = Order.objects.get(guest_email="ugo@example.it")
    card = GiftCard.objects.get(order_line__order=order)
    assert card.initial_amount == Decimal("50.00")
    assert card.account.balance == Decimal("50.00")
    assert Transfer.objects.filter(destination=card.account).count() == 1
    assert [m.to for m in mail.outbox if m.to == ["giulia@example.it"]] == [["giulia@example.it"]]


@pytest.mark.postgres
@needs_postgres
def test_ten_concurrent_events_and_return_pages_place_one_order(committed):
    """Ten different event ids (Stripe may send a new one) and a return page, at once."""
    territories = committed
    client, answer, intent = paid_awaiting_3ds(territories, "vera@example.it")
    barrier = threading.Barrier(11)
    statuses: list[int] = []

    def deliver(i: int):
        try:
            payload = event_payload("payment_intent.succeeded", intent, event_id=f"evt_many_{i}")
            barrier.wait()
            statuses.append(post_event(payload, signed(payload)).status_code)
        finally:
            connections.close_all()

    def return_page():
        try:
            barrier.wait()
            statuses.append(client.get(answer["return_url"]).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(10)]
    threads.append(threading.Thread(target=return_page))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 10 + [302]
    assert Order.objects.filter(guest_email="vera@example.it").count() == 1
    assert sum("vera@example.it" in m.to for m in mail.outbox) == 1
