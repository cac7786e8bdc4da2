"""What each theme's Bootstrap Italia subset (static_built/, `make assets`) must still do, in
Debian's Chromium on a phone-sized window: open the mobile menu, close a message, remove a
basket line. The themes no longer load Bootstrap Italia's full bundle, so a component a
template uses but the theme's assets/bundle.js forgot would stop here. The shop's pages load
neither jQuery nor Oscar's ui.js: bundle/shop.js (themes/italia/assets/shop.js) does what they
need, and the basket's buttons work with no script at all."""

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
    lines = page.locator("#basket_formset [data-behaviours~=remove]")
    assert lines.count() == 1
    lines.first.click()  # a submit button: the line's DELETE
    expect(lines).to_have_count(0)
    assert page.evaluate("typeof window.jQuery") == "undefined"
    assert page.errors == []


def add_to_basket(page, base: str, slug: str) -> None:
    offer = StockRecord.objects.filter(territory__slug=slug).order_by("pk").first()
    product = offer.product.parent or offer.product
    assert page.goto(base + product.get_absolute_url()).status == 200
    if offer.product.parent_id:
        page.check(f"#package-{offer.product.pk}")
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
@pytest.mark.usefixtures("committed")
def test_the_basket_works_without_javascript(browser, portal_server, slug):  # noqa: F811
    base = f"http://{slug}.localhost:{portal_server.port}"
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    add_to_basket(page, base, slug)
    page.goto(base + "/shop/basket/")
    quantity = page.locator("#basket_formset input[name$=quantity]")
    expect(quantity).to_have_count(1)
    quantity.fill("2")
    page.locator("#basket_formset button[type=submit]").first.click()  # Update
    page.wait_for_load_state("load")
    expect(page.locator("#basket_formset input[name$=quantity]")).to_have_value("2")

    page.get_by_role("button", name="Rimuovi").click()  # Oscar's was a link that needed ui.js
    page.wait_for_load_state("load")
    expect(page.locator("#basket_formset")).to_have_count(0)
    expect(page.get_by_text("Il carrello è vuoto")).to_be_visible()
    context.close()


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
@pytest.mark.usefixtures("committed")
def test_the_shop_script_sends_the_quantity_and_minds_the_password(browser, portal_server, slug):  # noqa: F811, E501
    base = f"http://{slug}.localhost:{portal_server.port}"
    page = open_page(browser, base + "/")
    add_to_basket(page, base, slug)
    page.goto(base + "/shop/basket/")
    assert page.evaluate("typeof window.jQuery") == "undefined"
    page.locator("#basket_formset input[name$=quantity]").fill("3")
    page.locator("#basket_formset input[name$=quantity]").press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#basket_formset input[name$=quantity]")).to_have_value("3")
    # the voucher form, folded behind its link
    if page.locator("#voucher_form_link a").count():
        assert page.locator("#voucher_form_container").is_hidden()
        page.click("#voucher_form_link a")
        page.locator("#voucher_form_container").wait_for(state="visible")

    # the checkout's first step: a password only for "I have an account"
    page.goto(base + "/shop/checkout/")
    password = page.locator("#id_password")
    page.check("input[name=options][value=anonymous]")
    expect(password).to_be_disabled()
    page.check("input[name=options][value=existing]")
    expect(password).to_be_enabled()
    page.check("input[name=options][value=new]")
    expect(password).to_be_disabled()
    assert page.errors == []
