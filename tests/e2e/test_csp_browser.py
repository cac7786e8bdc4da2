"""The public pages under their real Content-Security-Policy, in Debian's Chromium.

No ``bypass_csp``: Chromium enforces the policy the server sends, and every violation it
finds (a ``securitypolicyviolation`` event, or its "Refused to…" console message) fails the
test. Both themes (Sondrio: italia, Rho: borgo) from the home page to the thank-you page,
with the scripts that show and hide things on the way: the mobile menu at 320 px, the
basket's voucher form, the basket's update (its content replaced over AJAX).
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from oscar.core.loading import get_model
from playwright.sync_api import expect

from portal.territories.models import Territory
from tests.e2e.test_purchase_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    browser,
    committed,
    guest_to_payment,
    portal_server,
)
from tests.stripe_support import (  # noqa: F401  (fixtures)
    CARD_OK,
    localstripe_url,
    stripe_settings,
)

pytestmark = [
    pytest.mark.skipif(
        not shutil.which(CHROMIUM), reason="Debian's Chromium is missing: `make test` installs it"
    ),
    pytest.mark.usefixtures("stripe_settings"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

# Runs before the page's own scripts (Playwright injects it, outside the page's policy): each
# violation is written to the console, where the test reads it with Chromium's own messages.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + JSON.stringify({
        directive: event.violatedDirective, blocked: event.blockedURI,
        sample: event.sample, source: event.sourceFile + ':' + event.lineNumber,
    }));
});
"""
THEMES = {"sondrio": "italia", "rho": "borgo"}


class Violations(list):
    """The violations of every page opened in a context, with the address they happened on."""

    def watch(self, context) -> None:
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._heard)

    def summary(self) -> str:
        return "\n".join(sorted({f"{url} {text[:400]}" for url, text in self}))

    def _heard(self, message) -> None:
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            self.append((message.page.url if message.page else "?", text))


def new_context(chromium, violations: Violations, width: int = 1280):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    violations.watch(context)
    return context


def opened(page, url: str):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("load")
    return response


@pytest.fixture
def service_page(django_db_blocker):
    """A published service page on each portal (committed: the live server reads it)."""
    from tests.editorial import add_service_page, offered_product

    with django_db_blocker.unblock():
        pages = {}
        for slug in THEMES:
            territory = Territory.objects.get(slug=slug)
            pages[slug] = add_service_page(territory, offered_product(territory))
        yield pages
        for page in pages.values():
            page.delete()


def test_the_detector_hears_an_inline_style(browser, portal_server):  # noqa: F811
    """The control: a page with a style attribute, under the policy the portal sends, is
    reported (so the silence of the tests below means something)."""
    base = f"http://sondrio.localhost:{portal_server.port}"
    violations = Violations()
    context = new_context(browser, violations)
    page = context.new_page()
    policy = opened(page, base + "/").headers["content-security-policy"]
    page.route(
        base + "/control/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body='<!DOCTYPE html><html><body><p style="color: red">x</p></body></html>',
        ),
    )
    page.goto(base + "/control/")
    page.wait_for_timeout(200)
    context.close()
    assert any("style-src" in text for _, text in violations), violations


@pytest.mark.parametrize("slug", list(THEMES))
def test_no_violation_from_home_to_thank_you(browser, portal_server, committed, service_page, slug):  # noqa: F811, E501
    base = f"http://{slug}.localhost:{portal_server.port}"
    violations = Violations()
    context = new_context(browser, violations)
    page = context.new_page()

    opened(page, base + "/")
    # the palette is a stylesheet the policy lets in: the portal's own primary colour is set
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--portal-primary')"
    )
    assert primary.strip() == Territory.objects.get(slug=slug).palette["primary"]
    assert page.locator(f"body.portal-theme-{THEMES[slug]}").count() == 1
    # the fonts come from the theme bundle's @font-face (loadFonts()'s <style> would be refused)
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, '')))"
    )
    assert "Titillium Web" in loaded, loaded

    opened(page, base + urlsplit(service_page[slug].full_url).path)
    opened(page, base + "/servizi/")
    opened(page, base + "/shop/catalogue/")
    opened(page, base + "/search/?q=assistenza")

    offer = StockRecord.objects.filter(territory__slug=slug).order_by("pk").first()
    product = offer.product
    opened(page, base + (product.parent or product).get_absolute_url())
    if product.parent_id:
        page.check(f"#package-{product.pk}")
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state("load")

    opened(page, base + "/shop/basket/")
    voucher_link = page.locator("#voucher_form_link a")
    if voucher_link.count():  # Oscar's script shows the form (jQuery, through the CSSOM)
        assert page.locator("#voucher_form_container").is_hidden()
        voucher_link.click()
        page.locator("#voucher_form_container").wait_for(state="visible")
        page.click("#voucher_form_cancel")
        page.locator("#voucher_form_container").wait_for(state="hidden")
    # an update redraws the basket from the server's HTML (jQuery's .html())
    with page.expect_response(
        lambda r: r.url.endswith("/shop/basket/") and r.request.method == "POST"
    ):
        page.locator("#basket_formset button[type=submit]").first.click()
    page.wait_for_timeout(300)

    guest_to_payment(page, base, f"csp-{slug}@example.it", "Città")
    page.wait_for_load_state("load")
    element = page.locator("#card-element")
    element.locator("input[placeholder=number]").fill(CARD_OK)
    element.locator("input[placeholder=exp_month]").fill("12")
    element.locator("input[placeholder=exp_year]").fill("34")
    element.locator("input[placeholder=cvc]").fill("123")
    element.locator("input[placeholder=postal_code]").fill("23100")
    page.click("#card-submit")
    page.wait_for_url(base + "/shop/checkout/thank-you/")
    page.wait_for_load_state("load")
    order = Order.objects.get(guest_email=f"csp-{slug}@example.it")
    assert order.number in page.content()
    # the print button is started by shop.js (Oscar's had an onclick="", refused by the CSP)
    page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }")
    page.get_by_role("button", name="Stampa questa pagina").click()
    assert page.evaluate("window.printed") > 0  # Oscar's onclick="" is refused: 0
    page.wait_for_timeout(200)
    context.close()
    assert violations == [], violations.summary()


@pytest.mark.parametrize("slug", list(THEMES))
def test_the_mobile_menu_opens_at_320_px(browser, portal_server, slug):  # noqa: F811
    base = f"http://{slug}.localhost:{portal_server.port}"
    violations = Violations()
    context = new_context(browser, violations, width=320)
    page = context.new_page()
    opened(page, base + "/")
    if THEMES[slug] == "italia":  # Bootstrap Italia's navbar-collapsible: display via the CSSOM
        toggle, menu = page.locator(".custom-navbar-toggler"), page.locator("#nav-main")
    else:  # borgo: Bootstrap's collapse
        toggle, menu = page.locator(".borgo-menu-toggle"), page.locator("#borgo-nav")
    assert menu.is_hidden()
    toggle.click()
    menu.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    # the first link of the menu slides onto the screen, whole
    expect(menu.locator("nav a, .navbar-nav a").first).to_be_in_viewport(ratio=1)
    if THEMES[slug] == "italia":
        page.locator("#nav-main .close-menu").click()
        menu.wait_for(state="hidden")
    context.close()
    assert violations == [], violations.summary()


def test_the_server_error_page_is_styled_under_the_policy(browser, portal_server):  # noqa: F811
    """The 500 page (rendered on its own, as Django's handler does) with the public policy:
    its stylesheet applies and nothing is refused."""
    from django.views.defaults import server_error

    from portal.territories.themes import use_theme

    base = f"http://sondrio.localhost:{portal_server.port}"
    with use_theme("italia"):
        html = server_error(RequestFactory().get("/broken/")).content.decode()
    violations = Violations()
    context = new_context(browser, violations)
    page = context.new_page()
    policy = opened(page, base + "/").headers["content-security-policy"]
    page.route(
        base + "/broken/",
        lambda route: route.fulfill(
            status=500,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body=html,
        ),
    )
    page.goto(base + "/broken/")
    page.wait_for_load_state("load")
    background = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert background == "rgb(0, 102, 204)"
    context.close()
    assert violations == [], violations.summary()
