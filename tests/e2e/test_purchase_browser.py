"""A citizen buys a service in a real browser: Debian's Chromium driven by Playwright.

The page loads Stripe.js from the test's localstripe (its Card Element is plain inputs, not
Stripe's iframe) and runs our card-payment.js; the 3-D Secure card answers localstripe's
modal. The live server sees committed rows, so this test commits and cleans up after itself
(``transaction=True`` would empty the whole database, portals included).
"""

import os
import shutil

import pytest
from oscar.core.loading import get_model

from shop.booking.models import LineBooking
from shop.payment.models import StripeEvent, StripePayment
from tests.stripe_support import (
    CARD_3DS,
    CARD_DECLINED_AT_CHARGE,
    CARD_OK,
    localstripe_url,  # noqa: F401  (fixture)
    stripe_settings,  # noqa: F401  (fixture)
)

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(
        not shutil.which(CHROMIUM), reason="Debian's Chromium is missing: `make test` installs it"
    ),
    pytest.mark.usefixtures("stripe_settings"),
]
# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        baskets_before = set(Basket.objects.values_list("pk", flat=True))
        bookings_before = set(LineBooking.objects.values_list("pk", flat=True))
        yield
        payments = StripePayment.objects.exclude(basket_id__in=baskets_before)
        order_ids = list(payments.exclude(order=None).values_list("order_id", flat=True))
        StripeEvent.objects.filter(
            payment_intent_id__in=payments.values("payment_intent_id")
        ).delete()
        payments.delete()
        Order.objects.filter(pk__in=order_ids).delete()
        Basket.objects.exclude(pk__in=baskets_before).delete()
        LineBooking.objects.exclude(pk__in=bookings_before).delete()


@pytest.fixture(scope="module")
def portal_server(django_db_setup, django_db_blocker):
    """Django's own live-server thread on a free loopback port.

    Not pytest-django's ``live_server``: it forces ``transactional_db``, which empties the
    whole reused database (portals included) after the test.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield thread
        thread.terminate()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def guest_to_payment(page, base: str, email: str, municipality: str) -> None:
    """From a basket with a service: the checkout as a guest, booked for oneself, up to the
    payment step."""
    page.goto(base + "/shop/checkout/")
    page.fill("input[name=username]", email)
    page.check("input[name=options][value=anonymous]")
    page.locator("form").filter(has=page.locator("input[name=username]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url(base + "/shop/checkout/booking/")
    page.get_by_label("Per me").check()
    for name, value in (
        ("name", "Anna Bianchi"),
        ("address", "Via Roma 1"),
        ("municipality", municipality),
        ("phone", "0342 000000"),
    ):
        page.locator(f"input[name$='-{name}']").fill(value)
    page.get_by_role("button", name="Prosegui con il pagamento").click()
    page.wait_for_url(base + "/shop/checkout/payment-details/")


def buy(browser, portal_server, email: str, card: str, answer_3ds: int = 0):
    """Up to the card form's submit; ``answer_3ds`` of the bank's modals are then answered
    (the card's setup, then the payment)."""
    offer = StockRecord.objects.filter(territory__slug="sondrio").order_by("pk").first()
    base = f"http://sondrio.localhost:{portal_server.port}"
    page = browser.new_page()
    product = offer.product
    # a package (variant) is chosen on its service's page
    response = page.goto(base + (product.parent or product).get_absolute_url())
    assert response.status == 200
    if product.parent_id:
        page.check(f"#package-{product.pk}")
    page.click("#add_to_basket_form button[type=submit]")
    guest_to_payment(page, base, email, "Sondrio")
    pay_in_card_form(page, card, answer_3ds)
    return page, base, offer


def pay_in_card_form(page, card: str, answer_3ds: int = 0) -> None:
    """On the payment step: the card typed into localstripe's Card Element and submitted;
    ``answer_3ds`` of the bank's modals are then answered."""
    element = page.locator("#card-element")
    element.locator("input[placeholder=number]").fill(card)
    element.locator("input[placeholder=exp_month]").fill("12")
    element.locator("input[placeholder=exp_year]").fill("34")
    element.locator("input[placeholder=cvc]").fill("123")
    element.locator("input[placeholder=postal_code]").fill("23100")
    page.click("#card-submit")
    for _ in range(answer_3ds):
        page.get_by_role("button", name="Complete authentication").click()


def test_a_guest_pays_with_4242_in_chromium(browser, portal_server, committed):
    page, base, offer = buy(browser, portal_server, "zeno@example.it", CARD_OK)
    page.wait_for_url(base + "/shop/checkout/thank-you/")
    order = Order.objects.get(guest_email="zeno@example.it")
    assert order.number in page.content()
    assert order.total_incl_tax == offer.price
    page.close()


def test_3d_secure_through_the_modal_in_chromium(browser, portal_server, committed):
    page, base, offer = buy(browser, portal_server, "alba@example.it", CARD_3DS, answer_3ds=2)
    page.wait_for_url(base + "/shop/checkout/thank-you/")
    order = Order.objects.get(guest_email="alba@example.it")
    assert order.number in page.content()
    page.close()


def test_a_declined_card_is_announced_and_leaves_no_order(browser, portal_server, committed):
    page, base, _offer = buy(browser, portal_server, "ciro@example.it", CARD_DECLINED_AT_CHARGE)
    alert = page.get_by_role("alert")
    alert.wait_for()
    from django.utils import translation

    from shop.checkout.views import declined_message

    with translation.override("it"):  # the portal's page is in Italian
        assert declined_message() in alert.inner_text()
    assert page.url == base + "/shop/checkout/payment-details/"
    assert not Order.objects.filter(guest_email="ciro@example.it").exists()
    page.close()


def test_leaving_at_the_second_3d_secure_modal_gives_the_basket_back(
    browser, portal_server, committed
):
    """The card is set up (first modal answered), the payment asks again and the citizen
    goes to the basket instead: the basket is there, the attempt is ended at Stripe (no
    charge can follow), and paying again from the same basket places one order."""
    from shop.payment import gateway

    page, base, offer = buy(browser, portal_server, "elio@example.it", CARD_3DS, answer_3ds=1)
    page.get_by_role("button", name="Complete authentication").wait_for()  # the second modal
    payment = StripePayment.objects.get(guest_email="elio@example.it")
    assert payment.basket.status == "Frozen"

    page.goto(base + "/shop/basket/")
    assert "Il carrello è vuoto" not in page.content()
    assert offer.product.get_title() in page.locator("main").inner_text()
    assert "Nessun pagamento è stato addebitato" in page.locator("#messages").inner_text()
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "abandoned")
    assert gateway.payment_intent(payment.payment_intent_id).status == "canceled"
    assert Basket.objects.get(pk=payment.basket_id).status == "Open"

    response = page.goto(base + "/shop/checkout/payment-details/")
    assert page.url == base + "/shop/checkout/payment-details/", response.status
    element = page.locator("#card-element")
    element.locator("input[placeholder=number]").fill(CARD_OK)
    element.locator("input[placeholder=exp_month]").fill("12")
    element.locator("input[placeholder=exp_year]").fill("34")
    element.locator("input[placeholder=cvc]").fill("123")
    element.locator("input[placeholder=postal_code]").fill("23100")
    page.click("#card-submit")
    page.wait_for_url(base + "/shop/checkout/thank-you/")
    order = Order.objects.get(guest_email="elio@example.it")
    assert order.total_incl_tax == offer.price
    assert order.basket_id == payment.basket_id
    page.close()
