"""A signed-in citizen pays with a programme wallet and a card in Chromium, on a desktop and
at phone width: the payment page says what the wallet pays and what it does not cover, the
card pays the rest, and the ledger and the order agree.

Committed rows, cleaned up afterwards, as tests/e2e/test_purchase_browser.py.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold, Transfer
from portal.programmes import spending
from portal.programmes.models import Programme, Wallet
from portal.territories.models import Territory
from tests.e2e.test_purchase_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    browser,
    committed,
    pay_in_card_form,
    portal_server,
)
from tests.stripe_support import (
    CARD_OK,
    localstripe_url,  # noqa: F401  (fixture)
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.wallet_support import credited_wallet, new_citizen, offers

pytestmark = [pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def citizen_with_wallet(django_db_setup, django_db_blocker):
    """A citizen of Sondrio with 50 € of a programme that pays Forme's services only (the
    test asks for ``committed`` after this, so its orders are gone before this cleans up)."""
    with django_db_blocker.unblock():
        sondrio = Territory.objects.get(slug="sondrio")
        forme, bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(
            sondrio, user, title="Buoni Forme e2e", cooperatives=[forme.partner]
        )
        yield wallet, forme, bookshop
        programme = wallet.programme
        accounts = list(
            Account.objects.filter(code__startswith=f"sondrio:programme:{programme.slug}:")
        )
        holds = list(Hold.objects.filter(source__in=accounts))
        every = [a.pk for a in accounts] + [h.account_id for h in holds]
        Hold.objects.filter(pk__in=[h.pk for h in holds]).delete()
        Transfer.objects.filter(source__in=every).delete()
        Transfer.objects.filter(destination__in=every).delete()
        Wallet.objects.filter(pk=wallet.pk).delete()
        Programme.objects.filter(pk=programme.pk).delete()
        Account.objects.filter(pk__in=every).delete()
        user.delete()


def signed_in_page(browser, base: str, user, viewport: dict):  # noqa: F811
    client = Client(HTTP_HOST="sondrio.localhost")
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    return context, context.new_page()


def add_to_basket(page, base: str, offer) -> None:
    product = offer.product
    assert page.goto(base + (product.parent or product).get_absolute_url()).status == 200
    if product.parent_id:
        page.check(f"#package-{product.pk}")
    page.click("#add_to_basket_form button[type=submit]")


def book_every_line_for_me(page, base: str) -> None:
    page.goto(base + "/shop/checkout/")
    page.wait_for_url(base + "/shop/checkout/booking/")
    for radio in page.locator("input[name$='-beneficiary'][value=self]").all():
        radio.check()
    for name, value in (
        ("name", "Anna Bianchi"),
        ("address", "Via Roma 1"),
        ("municipality", "Sondrio"),
        ("phone", "0342 000000"),
    ):
        for field in page.locator(f"input[name$='-{name}']").all():
            field.fill(value)
    page.get_by_role("button", name="Prosegui con il pagamento").click()
    page.wait_for_url(base + "/shop/checkout/payment-details/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_citizen_pays_with_wallet_and_card_in_chromium(
    browser,  # noqa: F811
    portal_server,  # noqa: F811
    django_db_blocker,
    citizen_with_wallet,
    committed,  # noqa: F811  (after citizen_with_wallet: cleaned up before it)
    viewport,
):
    wallet, forme, bookshop = citizen_with_wallet
    base = f"http://sondrio.localhost:{portal_server.port}"
    with django_db_blocker.unblock():
        context, page = signed_in_page(browser, base, wallet.owner, viewport)
        add_to_basket(page, base, forme)
        add_to_basket(page, base, bookshop)
        book_every_line_for_me(page, base)

        credit = page.locator("[data-wallet]")
        assert "Buoni Forme e2e" in credit.inner_text()
        with translation.override("it"):
            not_covered = str(
                spending._("Not covered by programme %(programme)s.")
                % {"programme": "Buoni Forme e2e"}
            )
        assert not_covered in credit.inner_text()
        shown = page.locator("[data-card-amount]").inner_text()
        assert f"{bookshop.price:.2f}".replace(".", ",") in shown
        assert credit.is_visible() and page.locator("#card-submit").is_visible()
        # nothing spills sideways at this width
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        pay_in_card_form(page, CARD_OK)
        page.wait_for_url(base + "/shop/checkout/thank-you/")

        order = Order.objects.get(user=wallet.owner)
        assert order.number in page.content()
        left = Account.objects.get(pk=wallet.account_id).balance
        assert left == Decimal("50.00") - forme.price
        spent = spending.spent_account(wallet.programme, forme.partner)
        assert Account.objects.get(pk=spent.pk).balance == forme.price
        paid = sorted(order.sources.values_list("amount_debited", flat=True))
        assert paid == sorted([forme.price, bookshop.price])
        context.close()
