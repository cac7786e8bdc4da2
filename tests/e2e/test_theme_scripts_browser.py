"""What each theme's Bootstrap Italia subset (static_built/, `make assets`) must still do, in
Debian's Chromium on a phone-sized window: open the mobile menu, close a message, and let
Oscar's basket script remove a line. The themes no longer load Bootstrap Italia's full bundle,
so a component a template uses but the theme's assets/bundle.js forgot would stop here."""

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.test_purchase_browser import (  # noqa: F401  (fixtures)
    browser,
    committed,
    portal_server,
)
from tests.e2e.test_purchase_browser import pytestmark as browser_marks

pytestmark = browser_marks[0]  # Chromium present; these pages need no Stripe
StockRecord = get_model("partner", "StockRecord")
PHONE = {"width": 390, "height": 844}


def open_page(chromium, url: str):
    """A phone-sized page that records every script error."""
    page = chromium.new_page(viewport=PHONE)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    assert page.goto(url).status == 200
    return page


def test_italias_mobile_menu_opens_and_closes(browser, portal_server):  # noqa: F811
    page = open_page(browser, f"http://sondrio.localhost:{portal_server.port}/")
    menu = page.locator("#nav-main")
    assert not menu.is_visible()
    page.click(".custom-navbar-toggler")
    page.locator("#nav-main .menu-wrapper").wait_for(state="visible")
    assert page.get_attribute(".custom-navbar-toggler", "aria-expanded") == "true"
    # the menu has slid in (Bootstrap Italia ignores a close while it is still moving)
    expect(menu.locator(".navbar-nav a").first).to_be_in_viewport(ratio=1)
    page.click("#nav-main .close-menu")
    menu.wait_for(state="hidden")
    assert page.errors == []


def test_borgos_mobile_menu_opens(browser, portal_server):  # noqa: F811
    page = open_page(browser, f"http://rho.localhost:{portal_server.port}/")
    assert not page.locator("#borgo-nav").is_visible()
    page.click(".borgo-menu-toggle")
    page.locator("#borgo-nav").wait_for(state="visible")
    assert page.get_attribute(".borgo-menu-toggle", "aria-expanded") == "true"
    assert page.errors == []


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
@pytest.mark.usefixtures("committed")
def test_a_message_closes_and_a_basket_line_goes(browser, portal_server, slug):  # noqa: F811
    offer = StockRecord.objects.filter(territory__slug=slug).order_by("pk").first()
    product = offer.product.parent or offer.product
    base = f"http://{slug}.localhost:{portal_server.port}"
    page = open_page(browser, base + product.get_absolute_url())
    if offer.product.parent_id:
        page.check(f"#package-{offer.product.pk}")
    page.click("#add_to_basket_form button[type=submit]")
    messages = page.locator("#messages .alert")
    messages.first.wait_for(state="visible")
    shown = messages.count()
    messages.first.locator(".btn-close").click()  # Bootstrap Italia's Alert (data-bs-dismiss)
    expect(messages).to_have_count(shown - 1)  # (no wait_for_function: the CSP forbids eval)

    page.goto(base + "/shop/basket/")
    lines = page.locator("#basket_formset a[data-behaviours~=remove]")
    assert lines.count() == 1
    lines.first.click()  # Oscar's ui.js (shop.js starts it) submits the line's deletion
    expect(lines).to_have_count(0)
    assert page.errors == []
