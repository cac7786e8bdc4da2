"""Programme wallets with the rest of the tender: with a gift voucher and the card in one
checkout, placed by Stripe's webhook after 3-D Secure, and an attempt left open released by
the sweep, as the vouchers' holds are (tests/test_abandoned_payments.py)."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from portal.ledger.models import Hold
from portal.programmes import spending
from shop.giftcards.accounts import spent_account as voucher_spent_account
from shop.payment import gateway
from shop.payment.models import StripePayment
from tests.stripe_support import (
    CARD_3DS,
    CARD_OK,
    confirm_card_payment,
    event_payload,
    localstripe_url,  # noqa: F401  (fixture)
    signed,
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.test_abandoned_payments import age, sweep
from tests.test_giftcards import new_card
from tests.test_webhooks import post_event
from tests.wallet_support import (
    balance,
    credited_wallet,
    new_citizen,
    offers,
    pay_shown,
    wallet_client,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def test_wallet_then_voucher_then_card_in_one_checkout(
    territories, django_capture_on_commit_callbacks
):
    sondrio = territories["sondrio"]
    forme, bookshop = offers(sondrio)
    user = new_citizen()
    wallet = credited_wallet(sondrio, user, "100.00", title="Buoni F", cooperatives=[forme.partner])
    card, code = new_card(sondrio, "5.00")
    voucher_spent_before = balance(voucher_spent_account(sondrio).pk)

    def apply_voucher(client):
        client.post("/shop/giftcards/apply/", {"code": code})

    client = wallet_client(sondrio, user, [forme, bookshop], extra=apply_voucher)
    with django_capture_on_commit_callbacks(execute=True):
        answer = pay_shown(client, CARD_OK)

    assert answer["status"] == 200, answer
    order = Order.objects.get(user=user)
    card_part = bookshop.price - Decimal("5.00")
    assert StripePayment.objects.get(order=order).amount == card_part
    assert balance(wallet.account_id) == Decimal("100.00") - forme.price  # only its line
    assert balance(card.account_id) == 0
    assert balance(voucher_spent_account(sondrio).pk) - voucher_spent_before == Decimal("5.00")
    paid = sorted((s.source_type.name, s.amount_debited) for s in order.sources.all())
    assert paid == sorted(
        [
            ("Buono regalo", Decimal("5.00")),
            ("Carta (Stripe)", card_part),
            ("Credito programma", forme.price),
        ]
    )
    assert sum(amount for _name, amount in paid) == order.total_incl_tax


def three_d_secure_left_open(territories):
    sondrio = territories["sondrio"]
    forme, bookshop = offers(sondrio)
    user = new_citizen()
    wallet = credited_wallet(sondrio, user, cooperatives=[forme.partner])
    client = wallet_client(sondrio, user, [forme, bookshop])
    answer = pay_shown(client, CARD_3DS)
    assert answer["status"] == 200 and answer["requires_action"] is True
    payment = StripePayment.objects.get(user=user)
    assert Hold.objects.get(source=wallet.account).status == Hold.Status.HELD
    return client, wallet, payment, forme


def test_the_webhook_places_the_order_and_spends_the_held_credit(
    territories, django_capture_on_commit_callbacks
):
    _client, wallet, payment, forme = three_d_secure_left_open(territories)
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert confirm_card_payment(intent.client_secret)["status"] == "succeeded"
    intent = gateway.payment_intent(payment.payment_intent_id)
    payload = event_payload("payment_intent.succeeded", intent.to_dict(), event_id="evt_wallet")

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(payload, signed(payload)).status_code == 200
        assert post_event(payload, signed(payload)).status_code == 200  # Stripe's retry

    order = Order.objects.get(user=wallet.owner)
    assert Hold.objects.get(source=wallet.account).status == Hold.Status.CAPTURED
    spent = spending.spent_account(wallet.programme, forme.partner)
    assert balance(spent.pk) == forme.price
    assert order.sources.get(source_type__name="Credito programma").amount_debited == forme.price


def test_an_abandoned_attempt_gives_the_credit_back(territories):
    client, wallet, payment, _forme = three_d_secure_left_open(territories)
    assert balance(wallet.account_id) < Decimal("50.00")

    age(payment, 61)
    assert "1 ended" in sweep()

    assert Hold.objects.get(source=wallet.account).status == Hold.Status.RELEASED
    assert balance(wallet.account_id) == Decimal("50.00")
    assert not Order.objects.filter(user=wallet.owner).exists()
    assert 'id="card-element"' in client.get("/shop/checkout/payment-details/").text


def test_staff_refund_a_wallet_line_from_the_order_page(territories, admin_client):
    sondrio = territories["sondrio"]
    forme, bookshop = offers(sondrio)
    user = new_citizen()
    wallet = credited_wallet(sondrio, user, cooperatives=[forme.partner])
    client = wallet_client(sondrio, user, [forme, bookshop])
    assert pay_shown(client, CARD_OK)["status"] == 200
    order = Order.objects.get(user=user)
    forme_line = order.lines.order_by("pk").first()
    page = f"/shop/dashboard/orders/{order.number}/"
    shown = admin_client.get(page, HTTP_HOST="localhost").text
    assert 'value="refund_lines"' in shown and 'id="card-refund-wallets"' in shown
    data = {
        "line_action": "refund_lines",
        "selected_line": [forme_line.pk],
        f"selected_line_qty_{forme_line.pk}": 1,
    }

    for _ in range(2):  # a double submit gives back once
        response = admin_client.post(page, data, HTTP_HOST="localhost", follow=True)

    assert response.status_code == 200
    assert balance(wallet.account_id) == Decimal("50.00")
    assert order.sources.get(source_type__name="Credito programma").amount_refunded == forme.price
    refunds = gateway.client().v1.refunds.list(
        params={"payment_intent": order.stripe_payment.payment_intent_id}
    )
    assert refunds.data == []  # the card paid nothing of that line


def test_the_wallets_cost_the_payment_page_the_same_with_1_and_3_lines(territories):
    """A citizen's wallets add three queries to the payment page (measured against the same
    citizen without a wallet), whatever the basket holds: no query per line."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sondrio = territories["sondrio"]
    forme, bookshop = offers(sondrio)
    third = (
        StockRecord.objects.filter(territory=sondrio, product__voucher=None)
        .exclude(pk__in=[forme.pk, bookshop.pk])
        .order_by("price", "pk")
        .first()
    )

    def page_queries(lines, with_wallet=True) -> int:
        user = new_citizen()
        if with_wallet:
            credited_wallet(sondrio, user, cooperatives=[forme.partner])
        client = wallet_client(sondrio, user, lines)
        client.get("/shop/checkout/payment-details/")  # warm caches
        with CaptureQueriesContext(connection) as page:
            assert client.get("/shop/checkout/payment-details/").status_code == 200
        return len(page)

    added = [
        page_queries(lines) - page_queries(lines, with_wallet=False)
        for lines in ([forme], [forme, bookshop, third])
    ]
    assert added == [3, 3]


def test_a_programme_of_the_services_category_pays_for_it(territories):
    sondrio = territories["sondrio"]
    forme, _bookshop = offers(sondrio)
    product = forme.product.parent or forme.product
    category = product.categories.first()
    user = new_citizen()
    credited_wallet(sondrio, user, categories=[category.slug], title="Buoni di categoria")
    client = wallet_client(sondrio, user, [forme])

    page = client.get("/shop/checkout/payment-details/").content.decode()

    assert "data-not-covered" not in page
    assert f"{forme.price:.2f}".replace(".", ",") in page.split("data-wallet-amount")[1][:80]
