"""Card purchases through our endpoints against a real localstripe (no browser, no mocks).

The browser's part (Stripe.js) is done the way localstripe's Stripe.js does it: see
tests/stripe_support.py. Each test checks what the citizen sees (page, message, e-mail) and
what is written (order, payment rows, Stripe's own PaymentIntent).
"""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from oscar.core.loading import get_model

from shop.checkout.views import declined_message, not_set_up_message
from shop.payment import gateway
from shop.payment.models import StripePayment
from shop.payment.refunds import RefundRefused, refund_order
from tests.stripe_support import (
    CARD_3DS,
    CARD_DECLINED_AT_CHARGE,
    CARD_DECLINED_AT_SETUP,
    CARD_OK,
    checkout_client,
    confirm_card_payment,
    confirm_card_setup,
    localstripe_url,  # noqa: F401  (fixture)
    pay_by_card,
    stripe_settings,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

# What the checkout costs (anonymous guest, one service): pinned so growth shows up.
PAYMENT_PAGE_QUERIES = 18  # incl. the check that every service line is booked
PAY_QUERIES = 63  # incl. that check and tying the booking to the order line


def italian(message_function) -> str:
    with translation.override("it"):
        return message_function()


def test_a_guest_buys_a_service_with_4242(territories, django_capture_on_commit_callbacks):
    client, offer = checkout_client(territories)
    page = client.get("/shop/checkout/payment-details/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="card-element"' in html
    assert f"{gateway.stripe_js_url()}" in html and "/js.stripe.com/v3/" in html
    assert "Shipping" not in html

    with django_capture_on_commit_callbacks(execute=True):
        _setup, answer = pay_by_card(client, CARD_OK)

    assert answer == {"status": 200, "redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get(guest_email="anna@example.it")
    assert order.territory == territories["sondrio"]
    assert order.total_incl_tax == offer.price
    payment = StripePayment.objects.get(order=order)
    assert payment.status == "succeeded" and payment.amount == offer.price
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert (intent.status, intent.amount) == ("succeeded", int(offer.price * 100))
    assert [(e.event_type.name, e.amount) for e in order.payment_events.all()] == [
        ("Paid", offer.price)
    ]
    assert order.sources.get().amount_debited == offer.price
    assert [m.to for m in mail.outbox if "anna@example.it" in m.to] == [["anna@example.it"]]
    thanks = client.get("/shop/checkout/thank-you/")
    assert order.number in thanks.content.decode()


def test_3d_secure_card_asks_then_succeeds_on_the_return_page(
    territories, django_capture_on_commit_callbacks
):
    client, offer = checkout_client(territories, email="bruno@example.it")
    _setup, answer = pay_by_card(client, CARD_3DS)
    assert answer["status"] == 200 and answer["requires_action"] is True
    assert not Order.objects.filter(guest_email="bruno@example.it").exists()

    assert confirm_card_payment(answer["client_secret"])["status"] == "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(answer["return_url"])

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get(guest_email="bruno@example.it")
    assert order.total_incl_tax == offer.price
    assert sum("bruno@example.it" in m.to for m in mail.outbox) == 1
    # the same return page again (reload, back button): still one order, one e-mail
    with django_capture_on_commit_callbacks(execute=True):
        client.get(answer["return_url"])
    assert Order.objects.filter(guest_email="bruno@example.it").count() == 1
    assert sum("bruno@example.it" in m.to for m in mail.outbox) == 1


def test_failed_3d_secure_leaves_no_order_and_the_basket_open(territories):
    client, offer = checkout_client(territories, email="carla@example.it")
    _setup, answer = pay_by_card(client, CARD_3DS)
    confirm_card_payment(answer["client_secret"], success=False)

    response = client.get(answer["return_url"], follow=True)

    assert response.redirect_chain[-1][0] == "/shop/checkout/payment-details/"
    assert not Order.objects.filter(guest_email="carla@example.it").exists()
    assert StripePayment.objects.get(
        payment_intent_id=answer["return_url"].split("=")[1]
    ).status == ("failed")
    # the citizen can try again with another card on the same basket
    _setup, answer = pay_by_card(client, CARD_OK)
    assert answer["redirect"] == "/shop/checkout/thank-you/"
    assert Order.objects.get(guest_email="carla@example.it").total_incl_tax == offer.price


def test_card_declined_at_the_charge_leaves_no_order(territories):
    client, _offer = checkout_client(territories, email="dario@example.it")

    _setup, answer = pay_by_card(client, CARD_DECLINED_AT_CHARGE)

    assert answer == {"status": 402, "error": declined_message()}
    assert not Order.objects.filter(guest_email="dario@example.it").exists()
    payment = StripePayment.objects.get(guest_email="dario@example.it")
    assert (payment.status, payment.order_id) == ("failed", None)
    # the basket is open again, with its service, for another card
    page = client.get("/shop/checkout/payment-details/")
    assert page.status_code == 200 and 'id="card-element"' in page.content.decode()
    assert not [m for m in mail.outbox if "dario@example.it" in m.to]


def test_card_declined_at_the_setup_is_never_charged(territories):
    client, _offer = checkout_client(territories, email="elena@example.it")

    confirmed, answer = pay_by_card(client, CARD_DECLINED_AT_SETUP)

    assert confirmed["error"]["code"] == "card_declined"
    assert answer == {"status": 400, "error": not_set_up_message()}
    assert not StripePayment.objects.filter(guest_email="elena@example.it").exists()
    assert not Order.objects.filter(guest_email="elena@example.it").exists()


def test_a_payment_method_not_set_up_in_this_checkout_is_refused(territories):
    """Another card id (e.g. from someone else's setup) is never charged."""
    client, _offer = checkout_client(territories, email="fabio@example.it")
    other, _ = checkout_client(territories, email="gina@example.it")
    other_setup = other.post("/shop/checkout/card/setup/").json()
    stolen = confirm_card_setup(other_setup["client_secret"], CARD_OK)["payment_method"]
    client.post("/shop/checkout/card/setup/")
    answer = client.post("/shop/checkout/card/pay/", {"payment_method": stolen})
    assert answer.status_code == 400
    assert not StripePayment.objects.filter(guest_email="fabio@example.it").exists()


def test_a_double_submit_charges_once(territories):
    client, _offer = checkout_client(territories, email="ivo@example.it")
    setup = client.post("/shop/checkout/card/setup/").json()
    method = confirm_card_setup(setup["client_secret"], CARD_OK)["payment_method"]
    first = client.post("/shop/checkout/card/pay/", {"payment_method": method})
    second = client.post("/shop/checkout/card/pay/", {"payment_method": method})
    assert first.status_code == 200
    assert second.status_code != 200
    assert StripePayment.objects.filter(guest_email="ivo@example.it").count() == 1
    assert Order.objects.filter(guest_email="ivo@example.it").count() == 1


def test_refunds_partial_then_full_through_stripe(territories):
    client, offer = checkout_client(territories, email="luca@example.it")
    pay_by_card(client, CARD_OK)
    order = Order.objects.get(guest_email="luca@example.it")

    refund_order(order, Decimal("1.00"))
    rest = offer.price - Decimal("1.00")
    refund_order(order, rest)
    with pytest.raises(RefundRefused):
        refund_order(order, Decimal("0.01"))

    source = order.sources.get()
    assert source.amount_refunded == offer.price
    assert [
        e.amount for e in order.payment_events.filter(event_type__name="Refunded").order_by("pk")
    ] == [
        Decimal("1.00"),
        rest,
    ]


def test_the_dashboard_refund_form_refunds_through_stripe(territories, admin_client):
    client, offer = checkout_client(territories, email="marta@example.it")
    pay_by_card(client, CARD_OK)
    order = Order.objects.get(guest_email="marta@example.it")

    too_much = admin_client.post(
        f"/shop/payment/orders/{order.number}/refund/",
        {"amount": str(offer.price + 1)},
        HTTP_HOST="localhost",
    )
    assert too_much.status_code == 302
    assert order.sources.get().amount_refunded == 0
    admin_client.post(
        f"/shop/payment/orders/{order.number}/refund/", {"amount": "2.00"}, HTTP_HOST="localhost"
    )
    assert order.sources.get().amount_refunded == Decimal("2.00")
    page = admin_client.get(f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert f'action="/shop/payment/orders/{order.number}/refund/"' in page.content.decode()


def test_checkout_query_counts(territories):
    # one purchase first, as a running server has had: caches warm, payment types created
    warm, _offer = checkout_client(territories, email="olivia@example.it")
    pay_by_card(warm, CARD_OK)
    client, _offer = checkout_client(territories, email="nora@example.it")
    client.get("/shop/checkout/payment-details/")  # warm caches
    with CaptureQueriesContext(connection) as page:
        assert client.get("/shop/checkout/payment-details/").status_code == 200
    setup = client.post("/shop/checkout/card/setup/").json()
    method = confirm_card_setup(setup["client_secret"], CARD_OK)["payment_method"]
    with CaptureQueriesContext(connection) as pay:
        answer = client.post("/shop/checkout/card/pay/", {"payment_method": method})
    assert answer.status_code == 200
    print(f"payment page: {len(page)} queries, place order: {len(pay)} queries")
    assert (len(page), len(pay)) == (PAYMENT_PAGE_QUERIES, PAY_QUERIES)
