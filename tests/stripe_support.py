"""A real localstripe on a free loopback port, and what Stripe.js would do against it.

Imported by the payment test modules (their fixtures come from here). The card is confirmed
the way localstripe's own Stripe.js does it (``POST /v1/setup_intents/<id>/confirm`` with the
publishable key and the client secret), so no browser is needed outside tests/e2e.
"""

import hashlib
import hmac
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from oscar.core.loading import get_model

from tests.conftest import portal_client
from tests.test_giftcards import add_voucher

StockRecord = get_model("partner", "StockRecord")

CARD_OK = "4242424242424242"
CARD_3DS = "4000002760003184"
CARD_DECLINED_AT_CHARGE = "4000000000000341"
CARD_DECLINED_AT_SETUP = "4000000000009995"
WEBHOOK_SECRET = "whsec_test_portal"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "shop.payment.localstripe_server", "--port", str(port)],
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("localstripe did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    """Point the Stripe library and Stripe.js at the test's localstripe."""
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = ""
    settings.STRIPE_SECRET_KEY = "sk_test_portal"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_portal"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


def localstripe_post(path: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        django_settings.STRIPE_API_BASE + path,
        data=json.dumps(payload).encode(),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def confirm_card_setup(client_secret: str, number: str, authenticate: bool = True) -> dict:
    """What ``stripe.confirmCardSetup`` does, including "Complete authentication" for 3DS."""
    setup_id = client_secret.split("_secret_")[0]
    base = {"key": django_settings.STRIPE_PUBLISHABLE_KEY, "use_stripe_sdk": True}
    status, body = localstripe_post(
        f"/v1/setup_intents/{setup_id}/confirm",
        {
            **base,
            "client_secret": client_secret,
            "payment_method_data": {
                "type": "card",
                "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
            },
        },
    )
    if status == 200 and body["status"] == "requires_action":
        action = "confirm" if authenticate else "cancel"
        status, body = localstripe_post(
            f"/v1/setup_intents/{setup_id}/{action}", {**base, "client_secret": client_secret}
        )
    return body


def confirm_card_payment(client_secret: str, success: bool = True) -> dict:
    """What ``stripe.confirmCardPayment`` does when the 3-D Secure modal is answered."""
    intent_id = client_secret.split("_secret_")[0]
    _status, body = localstripe_post(
        f"/v1/payment_intents/{intent_id}/_authenticate?success={str(success).lower()}",
        {"key": django_settings.STRIPE_PUBLISHABLE_KEY, "client_secret": client_secret},
    )
    return body


def checkout_client(territories, slug: str = "sondrio", email: str = "anna@example.it"):
    """A guest with one service in the basket, on the payment page of ``slug``."""
    offer = StockRecord.objects.filter(territory=territories[slug]).order_by("pk").first()
    client = portal_client(slug)
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    response = client.post("/shop/checkout/", {"username": email, "options": "anonymous"})
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/booking/"
    response = book_for_myself(client, territories[slug])
    assert response["Location"] == "/shop/checkout/payment-details/"
    return client, offer


def service_and_voucher_client(territories, email: str, slug: str = "sondrio"):
    """A guest with a service and a 50 € voucher for Giulia (sent today) in the basket,
    booked, on the payment page of ``slug``; returns (client, the service's stock record)."""
    territory = territories[slug]
    service = (
        StockRecord.objects.filter(territory=territory, product__voucher=None)
        .order_by("pk")
        .first()
    )
    voucher = StockRecord.objects.get(territory=territory, product__upc=f"buono-regalo-{slug}")
    client = portal_client(slug)
    client.post(f"/shop/basket/add/{service.product_id}/", {"quantity": 1})
    added = add_voucher(client, voucher.product)  # 50 € for Giulia, e-mailed today
    assert added.redirect_chain, added.content.decode()[:2000]
    response = client.post("/shop/checkout/", {"username": email, "options": "anonymous"})
    assert response["Location"] == "/shop/checkout/booking/"
    booking = client.get("/shop/checkout/booking/").content.decode()
    assert len(set(re.findall(r'name="(line-\d+)-name"', booking))) == 1  # the service only
    assert book_for_myself(client, territory)["Location"] == "/shop/checkout/payment-details/"
    return client, service


def book_for_myself(client, territory):
    """The checkout's booking step: every service line is for the buyer, at home."""
    page = client.get("/shop/checkout/booking/").content.decode()
    data = {}
    for prefix in sorted(set(re.findall(r'name="(line-\d+)-name"', page))):
        data.update(
            {
                f"{prefix}-beneficiary": "self",
                f"{prefix}-name": "Anna Bianchi",
                f"{prefix}-address": "Via Roma 1",
                f"{prefix}-municipality": "Sondrio",
                f"{prefix}-territory": territory.pk,
                f"{prefix}-phone": "0342 000000",
            }
        )
    response = client.post("/shop/checkout/booking/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def pay_by_card(client, number: str) -> tuple[dict, dict]:
    """Set up ``number`` and ask our server to charge it; returns (setup, our answer)."""
    setup = client.post("/shop/checkout/card/setup/").json()
    confirmed = confirm_card_setup(setup["client_secret"], number)
    method = confirmed.get("payment_method") or "pm_none"
    answer = client.post("/shop/checkout/card/pay/", {"payment_method": method})
    return confirmed, {"status": answer.status_code, **answer.json()}


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe sends: ``t=<ts>,v1=<HMAC-SHA256(ts.body)>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event_payload(event_type: str, intent: dict, event_id: str = "evt_test_1") -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2017-08-15",
            "created": int(time.time()),
            "data": {"object": intent},
        }
    ).encode()


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100
