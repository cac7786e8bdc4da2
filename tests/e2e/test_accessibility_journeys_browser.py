"""WCAG 2.1 AA on the pages a visitor only reaches by doing something, at 320 px.

The audit of every page type (test_accessibility_browser.py) opens addresses; these pages
come after an action: the checkout's thank-you page (a card payment with localstripe), the
gift voucher balance page showing a valid code's balance, the sign-up pages (check your
e-mail, the e-mailed link's page, a link that is not valid), the two-factor pages (adding an
app, the recovery codes shown once). Sondrio (italia) and Cremona (borgo), in Italian and
German: axe-core finds nothing serious or critical, the Nu HTML checker no error, and no page
scrolls sideways at 320 px (WCAG 1.4.10). On the way, the booking step's select shows its edge
on every side (1.4.11).

The live server sees committed rows only: what the journeys make is deleted at the end.
"""

import os
import re

import pytest
from django.conf import settings
from django.core import mail

from tests.e2e.audit import Audit, portal_paths, tools_missing
from tests.e2e.test_purchase_browser import browser, portal_server  # noqa: F401  (fixtures)
from tests.stripe_support import CARD_OK, localstripe_url, stripe_settings  # noqa: F401

pytestmark = [
    pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing())),
    pytest.mark.usefixtures("stripe_settings"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PORTALS = ["sondrio", "cremona"]  # italia, borgo
LANGUAGES = ["it", "de"]
WIDTH = 320


@pytest.fixture
def made(django_db_setup, django_db_blocker):
    """What the journeys commit, taken away afterwards: yields a list to add users to."""
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from oscar.core.loading import get_model

    from shop.booking.models import LineBooking
    from shop.customer.models import PendingSignup
    from shop.giftcards.models import GiftCard
    from shop.payment.models import StripeEvent, StripePayment

    Basket = get_model("basket", "Basket")
    Order = get_model("order", "Order")
    with django_db_blocker.unblock():
        baskets = set(Basket.objects.values_list("pk", flat=True))
        bookings = set(LineBooking.objects.values_list("pk", flat=True))
        cards = set(GiftCard.objects.values_list("pk", flat=True))
        users: list = []
        yield users
        payments = StripePayment.objects.exclude(basket_id__in=baskets)
        orders = list(payments.exclude(order=None).values_list("order_id", flat=True))
        StripeEvent.objects.filter(
            payment_intent_id__in=payments.values("payment_intent_id")
        ).delete()
        payments.delete()
        Order.objects.filter(pk__in=orders).delete()
        Basket.objects.exclude(pk__in=baskets).delete()
        LineBooking.objects.exclude(pk__in=bookings).delete()
        GiftCard.objects.exclude(pk__in=cards).delete()
        PendingSignup.objects.filter(email__startswith="journey-").delete()
        get_user_model().objects.filter(pk__in=[user.pk for user in users]).delete()
        caches["throttle"].clear()


def audited(audit: Audit, wide: list, page, label: str, served: str = "") -> None:
    """Audit what ``page`` shows now under ``label``: axe on it, the Nu checker on ``served``
    (the HTML as served), the width."""
    audit.keep_html(label, served or page.content())
    audit.run_axe(page, label)
    if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
        wide.append(label)


def thank_you(audit: Audit, wide: list, page, base: str, prefix: str, slug: str) -> None:
    """A service bought with the card 4242 as a guest, up to the thank-you page."""
    product = next(p for p in portal_paths(slug) if "/catalogue/" in p and "_" in p)
    page.goto(base + product.replace("/shop/", f"{prefix}/shop/", 1) if prefix else base + product)
    package = page.locator("input[name=child_id]")
    if package.count():
        package.first.check()
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}{prefix}/shop/checkout/")
    page.fill("input[name=username]", f"journey-{slug}-{prefix.strip('/') or 'it'}@example.it")
    page.check("input[name=options][value=anonymous]")
    page.locator("form").filter(has=page.locator("input[name=username]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url(f"{base}{prefix}/shop/checkout/booking/")
    # WCAG 1.4.11: the territory select shows its edge on every side, and the arrow that
    # tells a drop-down from a text field, as a user sees it
    edges = page.locator("select[name$='-territory']").first.evaluate(
        "s => [...['Top', 'Right', 'Bottom', 'Left']"
        ".map(side => getComputedStyle(s)[`border${side}Width`]),"
        " getComputedStyle(s).backgroundImage.startsWith('url(')]"
    )
    if edges != ["1px"] * 4 + [True]:
        wide.append(f"{base}{prefix}/shop/checkout/booking/: the select's borders, arrow: {edges}")
    for radio in page.locator("input[type=radio][value=self]").all():
        radio.check()
    for field, value in (
        ("name", "Anna Bianchi"),
        ("address", "Via Roma 1"),
        ("municipality", "Sondrio"),
        ("phone", "0342 000000"),
    ):
        for box in page.locator(f"input[name$='-{field}']").all():
            box.fill(value)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{prefix}/shop/checkout/payment-details/")
    element = page.locator("#card-element")
    for placeholder, value in (
        ("number", CARD_OK),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "23100"),
    ):
        element.locator(f"input[placeholder={placeholder}]").fill(value)
    page.click("#card-submit")
    page.wait_for_url(f"{base}{prefix}/shop/checkout/thank-you/")
    served = page.reload().text()  # the same page again, as served
    audited(audit, wide, page, f"{base}{prefix}/shop/checkout/thank-you/", served)


def balance(audit: Audit, wide: list, page, base: str, prefix: str, slug: str) -> None:
    from portal.territories.models import Territory
    from tests.test_giftcards import new_card

    _card, code = new_card(Territory.objects.get(slug=slug), "50.00")
    page.goto(f"{base}{prefix}/shop/giftcards/balance/")
    page.fill("input[name=code]", code)
    with page.expect_navigation() as shown:
        page.locator("main form button[type=submit]").click()
    served = shown.value.text()
    page.locator("#giftcard-balance").wait_for()
    audited(audit, wide, page, f"{base}{prefix}/shop/giftcards/balance/ (valid code)", served)


def signup(audit: Audit, wide: list, page, base: str, prefix: str, slug: str) -> None:
    email = f"journey-signup-{slug}-{prefix.strip('/') or 'it'}@example.it"
    page.goto(f"{base}{prefix}/shop/accounts/login/")
    page.fill("#id_registration-email", email)
    page.fill("#id_registration-password1", "Girasole-Azzurro-77")
    page.fill("#id_registration-password2", "Girasole-Azzurro-77")
    with page.expect_navigation() as sent:
        page.click("button[name=registration_submit]")
    served = sent.value.text()
    audited(audit, wide, page, f"{base}{prefix}/shop/accounts/login/ (check your e-mail)", served)
    [message] = [m for m in mail.outbox if m.to == [email]]
    [link] = re.findall(r"http://\S+/signup/\S+/", message.body)
    audited(audit, wide, page, f"{link} (confirm)", page.goto(link).text())
    bad = re.sub(r"/signup/\S+/", "/signup/not-a-token/", link)
    audited(audit, wide, page, f"{bad} (invalid link)", page.goto(bad).text())


def two_factor(audit: Audit, wide: list, context, base: str, code: str, users: list) -> None:
    """A signed-in citizen adds an authenticator app: the QR code, then the recovery codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import portal_client
    from tests.orders_support import citizen
    from tests.test_hardening import token_of

    slug = base.split("//")[1].split(".")[0]
    user = citizen(f"journey-2fa-{slug}-{code}@example.it")
    users.append(user)
    client = portal_client(slug)
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": base},
        ]
    )
    page = context.new_page()
    served = page.goto(f"{base}/security/two-factor/?next=/").text()
    audited(audit, wide, page, f"{base}/security/two-factor/ ({code}, set-up)", served)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("input[name=token]", token_of(device))
    with page.expect_navigation() as shown:
        page.locator("main form button[type=submit]").click()
    served = shown.value.text()
    page.locator("#recovery-codes").wait_for()
    audited(audit, wide, page, f"{base}/security/two-factor/ ({code}, recovery codes)", served)
    page.close()


@pytest.mark.parametrize("slug", PORTALS)
def test_the_pages_after_an_action_pass_axe_and_the_nu_checker_at_320_px(
    browser,  # noqa: F811
    portal_server,  # noqa: F811
    made,
    slug,
):
    base = f"http://{slug}.localhost:{portal_server.port}"
    audit, wide = Audit(), []
    for code in LANGUAGES:
        prefix = "" if code == "it" else f"/{code}"
        context = browser.new_context(bypass_csp=True, viewport={"width": WIDTH, "height": 800})
        page = context.new_page()
        for journey in (thank_you, balance, signup):
            journey(audit, wide, page, base, prefix, slug)
        context.close()
        context = browser.new_context(bypass_csp=True, viewport={"width": WIDTH, "height": 800})
        two_factor(audit, wide, context, base, code, made)
        context.close()
    axe_count, nu_count, text = audit.report()
    print(f"{slug}: {len(audit.html)} pages, axe serious/critical: {axe_count}, Nu: {nu_count}")
    assert len(audit.html) == 7 * len(LANGUAGES)
    assert ((axe_count, nu_count), wide) == ((0, 0), []), text
