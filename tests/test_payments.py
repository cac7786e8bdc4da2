"""Card purchases through our endpoints against a real localstripe (no browser, no mocks).

The browser's part (Stripe.js) is done the way localstripe's Stripe.js does it: see
tests/stripe_support.py. Each test checks what the citizen sees (page, message, e-mail) and
what is written (order, payment rows, Stripe's own PaymentIntent).
"""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold, Transfer
from shop.checkout.views import declined_message, not_set_up_message
from shop.giftcards.accounts import spent_account
from shop.giftcards.models import GiftCard
from shop.payment import gateway
from shop.payment.accounts import card_payments_account, card_refunds_account
from shop.payment.models import StripePayment
from shop.payment.refunds import RefundRefused, refund_order
from tests.conftest import portal_client
from tests.stripe_support import (
    CARD_3DS,
    CARD_DECLINED_AT_CHARGE,
    CARD_DECLINED_AT_SETUP,
    CARD_OK,
    book_for_myself,
    checkout_client,
    confirm_card_payment,
    confirm_card_setup,
    event_payload,
    localstripe_url,  # noqa: F401  (fixture)
    pay_by_card,
    service_and_voucher_client,
    signed,
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.test_giftcards import new_card, voucher_product

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

# What the checkout costs (anonymous guest, one service): pinned so growth shows up.
PAYMENT_PAGE_QUERIES = 14  # incl. the check that every service line is booked
# incl. that check, tying the booking to the order line, looking for the programme-wallet
# holds to capture (one query: a guest has none, a citizen's are captured per line) and the
# campaign that may have brought the order (one query: portal/campaigns/attribution.py), and
# the income band reductions' holds to capture (one query: portal/welfare/funding.py), and
# the signed-in buyer's employer wallets (one query: portal/employers/at_checkout.py)
PAY_QUERIES = 62


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
    thanks = client.get("/shop/checkout/thank-you/").content.decode()
    assert order.number in thanks
    # who the service is for (the booking step), not Oscar's shipping address
    assert "Anna Bianchi" in thanks and "Via Roma 1, Sondrio" in thanks
    assert "Non è richiesto un indirizzo di spedizione" not in thanks
    # how it was paid, in words ("Allocation of … from type Carta (Stripe)" before)
    assert "Carta" in thanks and "Carta (Stripe)" not in thanks and "riservato" not in thanks
    assert "Image Not Available" not in thanks and "image_not_found" not in thanks


def test_a_service_and_a_gift_voucher_in_one_card_purchase(
    territories, django_capture_on_commit_callbacks
):
    client, service = service_and_voucher_client(territories, "paolo@example.it")
    total = service.price + Decimal("50.00")
    page = client.get("/shop/checkout/payment-details/").content.decode()
    assert 'id="card-element"' in page

    with django_capture_on_commit_callbacks(execute=True):
        _setup, answer = pay_by_card(client, CARD_OK)

    assert answer == {"status": 200, "redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get(guest_email="paolo@example.it")
    assert order.total_incl_tax == total
    assert sorted(line.product_id for line in order.lines.all()) == sorted(
        [service.product_id, voucher_product("sondrio").pk]
    )
    payment = StripePayment.objects.get(order=order)
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert (intent.status, intent.amount) == ("succeeded", int(total * 100))
    card = GiftCard.objects.get(order_line__order=order)
    assert (card.initial_amount, card.account.balance) == (Decimal("50.00"), Decimal("50.00"))
    assert (card.recipient_name, card.recipient_email) == ("Giulia Rossi", "giulia@example.it")
    assert card.send_on == timezone.localdate() and card.sent_at is not None
    assert len([m for m in mail.outbox if m.to == ["giulia@example.it"]]) == 1
    assert len([m for m in mail.outbox if m.to == ["paolo@example.it"]]) == 1
    thanks = client.get("/shop/checkout/thank-you/").content.decode()
    assert order.number in thanks
    # Stripe's webhook for the same payment arrives afterwards: nothing more happens
    payload = event_payload("payment_intent.succeeded", intent.to_dict(), event_id="evt_paolo")
    with django_capture_on_commit_callbacks(execute=True):
        webhook = Client(HTTP_HOST="sondrio.localhost").post(
            "/shop/payment/stripe/webhook/",
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signed(payload),
        )
    assert webhook.status_code == 200
    assert Order.objects.filter(guest_email="paolo@example.it").count() == 1
    assert GiftCard.objects.filter(order_line__order=order).count() == 1
    assert len([m for m in mail.outbox if m.to == ["giulia@example.it"]]) == 1
    assert len([m for m in mail.outbox if m.to == ["paolo@example.it"]]) == 1


def voucher_paying_client(territories, voucher_amount: str, email: str):
    """A guest on Sondrio with one service, a voucher of ``voucher_amount`` applied in the
    basket, booked; returns (client, service, card)."""
    sondrio = territories["sondrio"]
    service = (
        StockRecord.objects.filter(territory=sondrio, product__voucher=None, price__gt=20)
        .order_by("price", "pk")
        .first()
    )
    card, code = new_card(sondrio, voucher_amount)
    client = portal_client("sondrio")
    client.post(f"/shop/basket/add/{service.product_id}/", {"quantity": 1})
    applied = client.post("/shop/giftcards/apply/", {"code": code}, follow=True)
    assert card.code_last4 in applied.content.decode()
    client.post("/shop/checkout/", {"username": email, "options": "anonymous"})
    book_for_myself(client, sondrio)
    return client, service, card


def ledger_balance(account_id: int) -> Decimal:
    return Account.objects.get(pk=account_id).balance


def test_split_tender_the_voucher_pays_first_the_card_the_rest(
    territories, django_capture_on_commit_callbacks
):
    client, service, card = voucher_paying_client(territories, "20.00", "quinto@example.it")
    spent_before = ledger_balance(spent_account(territories["sondrio"]).pk)
    rest = service.price - Decimal("20.00")
    page = client.get("/shop/checkout/payment-details/").content.decode()
    assert 'id="card-element"' in page
    assert f"{rest:.2f}".replace(".", ",") in page  # what the card pays

    with django_capture_on_commit_callbacks(execute=True):
        _setup, answer = pay_by_card(client, CARD_OK)

    assert answer == {"status": 200, "redirect": "/shop/checkout/thank-you/"}
    order = Order.objects.get(guest_email="quinto@example.it")
    assert order.total_incl_tax == service.price
    payment = StripePayment.objects.get(order=order)
    assert payment.amount == rest
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert (intent.status, intent.amount) == ("succeeded", int(rest * 100))
    # the voucher's share is spent (captured), not merely set aside
    assert ledger_balance(card.account_id) == 0
    held = Hold.objects.get(source=card.account)
    assert (held.status, held.amount) == (Hold.Status.CAPTURED, Decimal("20.00"))
    spent = ledger_balance(spent_account(territories["sondrio"]).pk)
    assert spent - spent_before == Decimal("20.00")
    sources = {s.source_type.name: s for s in order.sources.all()}
    assert sorted((s.amount_debited, s.reference) for s in sources.values()) == sorted(
        [(rest, payment.payment_intent_id), (Decimal("20.00"), f"…{card.code_last4}")]
    )
    assert sum(s.amount_debited for s in sources.values()) == order.total_incl_tax
    assert [m.to for m in mail.outbox if "quinto@example.it" in m.to] == [["quinto@example.it"]]


def test_a_voucher_covering_everything_places_the_order_without_a_card(
    territories, django_capture_on_commit_callbacks
):
    client, service, card = voucher_paying_client(territories, "500.00", "rosa@example.it")
    page = client.get("/shop/checkout/payment-details/").content.decode()
    assert 'id="card-element"' not in page
    assert 'action="/shop/checkout/preview/"' in page and 'value="place_order"' in page
    # asking for a card anyway is refused: nothing to charge
    assert client.post("/shop/checkout/card/setup/").status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/shop/checkout/preview/", {"action": "place_order"})

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get(guest_email="rosa@example.it")
    assert order.total_incl_tax == service.price
    assert not StripePayment.objects.filter(guest_email="rosa@example.it").exists()
    assert ledger_balance(card.account_id) == Decimal("500.00") - service.price
    assert Hold.objects.get(source=card.account).status == Hold.Status.CAPTURED
    assert [(s.amount_debited, s.reference) for s in order.sources.all()] == [
        (service.price, f"…{card.code_last4}")
    ]
    assert [m.to for m in mail.outbox if "rosa@example.it" in m.to] == [["rosa@example.it"]]
    assert order.number in client.get("/shop/checkout/thank-you/").content.decode()
    # the next purchase starts without the voucher (what is left of it is not spent unasked)
    client.post(f"/shop/basket/add/{service.product_id}/", {"quantity": 1})
    assert f"…{card.code_last4}" not in client.get("/shop/basket/").text


def test_a_voucher_spent_elsewhere_meanwhile_places_nothing(territories):
    """The page said "no card needed"; meanwhile the voucher paid another checkout."""
    client, service, card = voucher_paying_client(territories, "500.00", "sergio@example.it")
    assert 'id="card-element"' not in client.get("/shop/checkout/payment-details/").text
    other = Account.objects.create(name="altro acquisto", kind="income")
    from portal.ledger.transfers import transfer

    transfer(card.account, other, Decimal("490.00"), kind="spend")

    response = client.post("/shop/checkout/preview/", {"action": "place_order"})

    assert response.status_code == 200
    assert italian(lambda: gettext("This order must be paid by card.")) in response.text
    assert not Order.objects.filter(guest_email="sergio@example.it").exists()
    assert ledger_balance(card.account_id) == Decimal("10.00")
    assert not Hold.objects.filter(source=card.account).exists()
    # the card form is there now, for the rest
    assert 'id="card-element"' in client.get("/shop/checkout/payment-details/").text


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


def test_the_dashboard_refund_form_refunds_through_stripe(
    territories, admin_client, django_capture_on_commit_callbacks
):
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
    asked = admin_client.post(
        f"/shop/payment/orders/{order.number}/refund/", {"amount": "2.00"}, HTTP_HOST="localhost"
    )
    # a confirmation step first: what, to whom, and nothing refunded yet
    assert asked.status_code == 200
    assert "Conferma il rimborso" in asked.text and "marta@example.it" in asked.text
    assert order.sources.get().amount_refunded == 0
    assert stripe_refunds(order.stripe_payment.payment_intent_id) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/shop/payment/orders/{order.number}/refund/",
            {"amount": "2.00", "confirmed": "True"},
            HTTP_HOST="localhost",
        )
    assert order.sources.get().amount_refunded == Decimal("2.00")
    (told,) = [m for m in mail.outbox if m.to == ["marta@example.it"]]
    assert order.number in told.subject and "2,00" in told.body and "rimborsato" in told.body
    page = admin_client.get(f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert f'action="/shop/payment/orders/{order.number}/refund/"' in page.content.decode()


def stripe_refunds(payment_intent_id: str) -> list[int]:
    """The refunds Stripe itself (here localstripe) made on the PaymentIntent, in cents."""
    listed = gateway.client().v1.refunds.list(params={"payment_intent": payment_intent_id})
    return sorted(r.amount for r in listed.data)


def test_a_refund_is_recorded_on_the_ledger_once(territories):
    client, offer = checkout_client(territories, email="ugo.r@example.it")
    pay_by_card(client, CARD_OK)
    order = Order.objects.get(guest_email="ugo.r@example.it")
    payment = StripePayment.objects.get(order=order)

    event = refund_order(order, Decimal("3.00"), request_key="form-1")
    again = refund_order(order, Decimal("3.00"), request_key="form-1")  # double submit

    assert again.pk == event.pk
    assert stripe_refunds(payment.payment_intent_id) == [300]
    assert order.sources.get().amount_refunded == Decimal("3.00")
    made = Transfer.objects.get(kind="card-refund", reference=event.reference)
    assert made.amount == Decimal("3.00")
    assert made.source == card_payments_account(territories["sondrio"])
    assert made.destination == card_refunds_account(territories["sondrio"])
    assert made.destination.territory == territories["sondrio"]
    # another request (a new form) for the rest is a second refund, a second transfer
    rest = offer.price - Decimal("3.00")
    second = refund_order(order, rest, request_key="form-2")
    assert stripe_refunds(payment.payment_intent_id) == sorted([300, int(rest * 100)])
    refunds = Transfer.objects.filter(reference__in=[event.reference, second.reference])
    assert sorted(refunds.values_list("amount", flat=True)) == sorted([Decimal("3.00"), rest])
    # too much, or nothing left: refused, nothing written anywhere
    transfers = Transfer.objects.filter(kind="card-refund").count()
    with pytest.raises(RefundRefused):
        refund_order(order, Decimal("0.01"), request_key="form-3")
    assert Transfer.objects.filter(kind="card-refund").count() == transfers
    assert len(stripe_refunds(payment.payment_intent_id)) == 2


def test_the_refund_form_sent_twice_refunds_once(territories, admin_client):
    client, _offer = checkout_client(territories, email="vanna@example.it")
    pay_by_card(client, CARD_OK)
    order = Order.objects.get(guest_email="vanna@example.it")
    page = admin_client.get(f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost")
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', page.text).group(1)

    for _ in range(2):
        admin_client.post(
            f"/shop/payment/orders/{order.number}/refund/",
            {"amount": "2.50", "request_key": key, "confirmed": "True"},
            HTTP_HOST="localhost",
        )

    assert order.sources.get().amount_refunded == Decimal("2.50")
    assert stripe_refunds(order.stripe_payment.payment_intent_id) == [250]
    assert order.payment_events.filter(event_type__name="Refunded").count() == 1
    assert Transfer.objects.filter(kind="card-refund", key__contains=key).count() == 1
    fresh = admin_client.get(f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost")
    assert key not in fresh.text  # each form shown gets its own key


def test_an_order_paid_partly_by_voucher_refunds_only_the_card_part(territories, admin_client):
    client, service, card = voucher_paying_client(territories, "20.00", "walter@example.it")
    pay_by_card(client, CARD_OK)
    order = Order.objects.get(guest_email="walter@example.it")
    rest = service.price - Decimal("20.00")

    page = admin_client.get(f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost")
    assert 'id="card-refund-vouchers"' in page.text
    assert f"{rest:.2f}".replace(".", ",") in page.text.split('id="card-refund-title"')[1]
    with pytest.raises(RefundRefused):
        refund_order(order, service.price, request_key="all")  # the voucher's part too
    assert not Transfer.objects.filter(kind="card-refund", key__endswith=":all").exists()

    refund_order(order, rest, request_key="card-part")

    payment = StripePayment.objects.get(order=order)
    assert stripe_refunds(payment.payment_intent_id) == [int(rest * 100)]
    assert ledger_balance(card.account_id) == 0  # the voucher is not refilled by a card refund
    assert Transfer.objects.get(kind="card-refund", key__endswith=":card-part").amount == rest


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
