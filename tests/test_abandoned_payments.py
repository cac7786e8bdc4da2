"""Card attempts left open (3-D Secure never answered, the tab closed) end by themselves:
the sweep (``manage.py settle_abandoned_payments``, Celery beat every 15 minutes) cancels
them at localstripe, gives the voucher's held money back and reopens the basket; one that
Stripe had charged after all becomes its order. A ``payment_intent.canceled`` event does the
same for an attempt canceled at Stripe."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from oscar.core.loading import get_model

from portal.ledger.models import Hold
from shop.payment import gateway
from shop.payment.models import StripePayment
from shop.payment.tasks import settle_abandoned_payments
from tests.conftest import portal_client
from tests.stripe_support import (
    CARD_3DS,
    CARD_OK,
    book_for_myself,
    checkout_client,
    confirm_card_payment,
    event_payload,
    localstripe_url,  # noqa: F401  (fixture)
    pay_by_card,
    signed,
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.test_payments import ledger_balance, voucher_paying_client
from tests.test_webhooks import post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def left_open(client) -> StripePayment:
    """Pay with the 3-D Secure card and never answer the bank's question."""
    _setup, answer = pay_by_card(client, CARD_3DS)
    assert answer["status"] == 200 and answer["requires_action"] is True
    intent_id = answer["client_secret"].split("_secret_")[0]
    return StripePayment.objects.get(payment_intent_id=intent_id)


def age(payment: StripePayment, minutes: int) -> None:
    StripePayment.objects.filter(pk=payment.pk).update(
        updated=timezone.now() - timedelta(minutes=minutes)
    )


def sweep(**options) -> str:
    out = StringIO()
    call_command("settle_abandoned_payments", stdout=out, **options)
    return out.getvalue()


def test_an_attempt_left_open_is_canceled_its_voucher_hold_released_its_basket_reopened(
    territories,
):
    client, _service, card = voucher_paying_client(territories, "20.00", "ugo@example.it")
    payment = left_open(client)
    assert ledger_balance(card.account_id) == Decimal("0.00")  # set aside for this attempt
    hold = Hold.objects.get(source=card.account)
    assert hold.status == Hold.Status.HELD  # set aside while the card is being charged
    assert payment.basket.status == "Frozen"

    age(payment, 61)
    assert "1 ended, 0 paid after all" in sweep()

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code, payment.order_id) == ("failed", "abandoned", None)
    assert gateway.payment_intent(payment.payment_intent_id).status == "canceled"
    hold.refresh_from_db()
    assert hold.status == Hold.Status.RELEASED
    assert ledger_balance(card.account_id) == Decimal("20.00")  # all of it spendable again
    assert payment.basket.__class__.objects.get(pk=payment.basket_id).status == "Open"
    assert not Order.objects.filter(guest_email="ugo@example.it").exists()
    # the citizen comes back: the payment page offers the card form again
    assert 'id="card-element"' in client.get("/shop/checkout/payment-details/").text
    # a second sweep finds nothing more to do
    assert "0 ended, 0 paid after all" in sweep()


def test_a_recent_attempt_is_left_alone(territories):
    client, _offer = checkout_client(territories, email="vera@example.it")
    payment = left_open(client)
    age(payment, 30)

    assert "0 ended, 0 paid after all" in sweep()

    payment.refresh_from_db()
    assert payment.status == "pending"
    assert gateway.payment_intent(payment.payment_intent_id).status == "requires_action"
    # with a shorter window of its own (cron), the same attempt is old enough
    assert "1 ended" in sweep(minutes=15)


def test_an_attempt_stripe_charged_after_all_becomes_its_order(
    territories, django_capture_on_commit_callbacks
):
    """The bank said yes, but the browser never came back and no webhook arrived."""
    client, offer = checkout_client(territories, email="walter@example.it")
    payment = left_open(client)
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert confirm_card_payment(intent.client_secret)["status"] == "succeeded"
    age(payment, 90)

    with django_capture_on_commit_callbacks(execute=True):
        placed, ended = settle_abandoned_payments()

    assert (placed, ended) == (1, 0)
    order = Order.objects.get(guest_email="walter@example.it")
    assert order.total_incl_tax == offer.price
    assert gateway.payment_intent(payment.payment_intent_id).status == "succeeded"
    assert [m.to for m in mail.outbox if "walter@example.it" in m.to] == [["walter@example.it"]]


def test_a_payment_canceled_at_stripe_releases_its_hold(territories):
    client, _service, card = voucher_paying_client(territories, "20.00", "zoe@example.it")
    payment = left_open(client)
    intent = gateway.cancel(payment.payment_intent_id)  # e.g. from Stripe's dashboard
    payload = event_payload("payment_intent.canceled", intent.to_dict(), event_id="evt_cancel")

    assert post_event(payload, signed(payload)).status_code == 200
    assert post_event(payload, signed(payload)).status_code == 200  # Stripe's retry

    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "canceled")
    assert Hold.objects.get(source=card.account).status == Hold.Status.RELEASED
    assert payment.basket.__class__.objects.get(pk=payment.basket_id).status == "Open"


def test_a_negative_window_is_refused_and_ends_nothing(territories):
    client, _offer = checkout_client(territories, email="yuri@example.it")
    payment = left_open(client)
    with pytest.raises((SystemExit, CommandError)):
        sweep(minutes=-5)
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_coming_back_to_the_basket_ends_the_attempt_and_gives_the_basket_and_voucher_back(
    territories, django_capture_on_commit_callbacks
):
    """3-D Secure left open, the citizen goes to the basket: the basket is there (not "Il
    carrello è vuoto"), the voucher's hold is released and the voucher still applied; paying
    again spends the voucher once."""
    client, service, card = voucher_paying_client(territories, "20.00", "olga@example.it")
    payment = left_open(client)
    assert ledger_balance(card.account_id) == Decimal("0.00")

    page = client.get("/shop/basket/").content.decode()

    assert "Il carrello è vuoto" not in page
    assert service.product.get_title() in page
    assert "Nessun pagamento è stato addebitato" in page
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "abandoned")
    assert gateway.payment_intent(payment.payment_intent_id).status == "canceled"
    assert Hold.objects.get(source=card.account).status == Hold.Status.RELEASED
    assert ledger_balance(card.account_id) == Decimal("20.00")
    assert card.code_last4 in page  # the voucher is still applied to the basket

    response = client.get("/shop/checkout/payment-details/")
    assert response.status_code == 200 and 'id="card-element"' in response.text
    with django_capture_on_commit_callbacks(execute=True):
        _setup, answer = pay_by_card(client, CARD_OK)
    assert answer["redirect"] == "/shop/checkout/thank-you/"
    order = Order.objects.get(guest_email="olga@example.it")
    assert order.basket_id == payment.basket_id
    assert order.total_incl_tax == service.price
    assert ledger_balance(card.account_id) == Decimal("0.00")  # spent once, on this order


def test_a_signed_in_citizen_whose_bank_said_yes_meanwhile_finds_the_order(
    territories, django_capture_on_commit_callbacks
):
    user = get_user_model().objects.create_user("piero", "piero@example.it", "x")
    offer = StockRecord.objects.filter(territory=territories["sondrio"]).order_by("pk").first()
    client = portal_client("sondrio")
    client.force_login(user)
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    client.get("/shop/checkout/")
    book_for_myself(client, territories["sondrio"])
    payment = left_open(client)
    intent = gateway.payment_intent(payment.payment_intent_id)
    assert confirm_card_payment(intent.client_secret)["status"] == "succeeded"

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/shop/basket/").content.decode()

    order = Order.objects.get(user=user)
    assert f"l&#x27;ordine {order.number} è stato registrato" in page
    assert "Il carrello è vuoto" in page  # the paid basket is not offered again
    assert [m.to for m in mail.outbox if "piero@example.it" in m.to] == [["piero@example.it"]]
    assert Order.objects.filter(user=user).count() == 1
