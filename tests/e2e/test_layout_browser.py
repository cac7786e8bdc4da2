"""The layout on a phone, in Chromium: no sideways scrolling at 320 px (WCAG 1.4.10, reflow)
and the catalogue's filters before its cards.

test_accessibility_browser.py measures every page type of Sondrio (italia; it, en, de) and
Cremona (borgo) at 320 px; this file adds what that walk does not reach: Padova's long
portal name and list of municipalities, Rho's gift voucher (borgo), a basket holding a
service with a long name, the checkout's steps in German and the catalogue's disclosure.
"""

import os

import pytest
from oscar.core.loading import get_model

from tests.e2e.audit import front_end_only, portal_paths, tools_missing
from tests.e2e.test_purchase_browser import browser, portal_server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing())),
    front_end_only,  # the layout: on SQLite only
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

# what sticks out past the viewport's right edge, deepest elements only (to name the culprit
# in the failure message, not only the page)
STICKING_OUT = """(width) => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5
        && ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""


def wider_than(page, width: int) -> list[str]:
    """[] when the page fits ``width``, else what sticks out."""
    if page.evaluate("document.documentElement.scrollWidth") <= width:
        return []
    return page.evaluate(STICKING_OUT, width) or ["(the page)"]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 320, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("slug", ["padova", "rho"])
def test_no_page_scrolls_sideways_at_320_px(phone, portal_server, slug):  # noqa: F811
    base = f"http://{slug}.localhost:{portal_server.port}"
    wide = {}
    for path in portal_paths(slug):
        phone.goto(base + path)
        if found := wider_than(phone, 320):
            wide[path] = found
    assert wide == {}


@pytest.fixture
def long_named_service(django_db_blocker):
    """Sondrio's first service, renamed as long as German titles get, for one test."""
    with django_db_blocker.unblock():
        offer = (
            StockRecord.objects.filter(territory__slug="sondrio", product__parent=None)
            .exclude(product__product_class__slug="buono-regalo")
            .order_by("pk")
            .first()
        )
        product = offer.product
        title = product.title
        product.title = "Hausaufgabenbetreuungsunterstützungsangebot für Grundschulkinder"
        product.save(update_fields=["title"])
        yield product
        product.title = title
        product.save(update_fields=["title"])


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_the_basket_and_checkout_fit_320_px_with_a_long_service_name(
    phone,
    portal_server,  # noqa: F811
    long_named_service,
    prefix,
):
    base = f"http://sondrio.localhost:{portal_server.port}"
    phone.goto(base + long_named_service.get_absolute_url())
    phone.click("#add_to_basket_form button[type=submit]")
    phone.wait_for_load_state()
    wide = {}
    for path in ("/shop/basket/", "/shop/checkout/"):
        phone.goto(f"{base}{prefix}{path}")
        if found := wider_than(phone, 320):
            wide[path] = found
    phone.fill("input[name=username]", "reflow@example.it")
    phone.check("input[name=options][value=anonymous]")
    phone.locator("form").filter(has=phone.locator("input[name=username]")).locator(
        "button[type=submit]"
    ).click()
    phone.wait_for_load_state()
    assert "/checkout/booking/" in phone.url
    if found := wider_than(phone, 320):
        wide[phone.url] = found
    assert wide == {}


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])
def test_on_a_phone_the_filters_come_first_folded(browser, portal_server, slug):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"http://{slug}.localhost:{portal_server.port}/shop/catalogue/")
    toggle = page.locator("#portal-filters > summary")
    first_card = page.locator("[data-service]").first
    assert toggle.is_visible()
    assert toggle.bounding_box()["y"] < first_card.bounding_box()["y"]
    filters = page.locator(".portal-facet-filter")
    search = page.locator("#listing-search-q")
    assert not search.is_visible() and not filters.is_visible()

    # keyboard: the toggle takes the focus and Enter opens it
    toggle.focus()
    page.keyboard.press("Enter")
    assert page.locator("#portal-filters").evaluate("d => d.open")
    assert search.is_visible() and filters.is_visible()
    assert page.get_by_role("navigation", name=category_heading(slug)).is_visible()
    page.keyboard.press("Enter")
    assert not search.is_visible()
    context.close()

    # on a desktop they are a sidebar, open, with no button to fold them
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"http://{slug}.localhost:{portal_server.port}/shop/catalogue/")
    assert page.locator("#listing-search-q").is_visible()
    assert not page.locator("#portal-filters > summary").is_visible()
    context.close()


def category_heading(slug: str) -> str:
    from django.utils import translation

    with translation.override("it"):
        return translation.gettext("Categories")


@pytest.fixture
def citizen(django_db_blocker):
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_user(
            "reflow@example.it", "reflow@example.it", "a long enough password 1"
        )
        yield user
        user.delete()


def test_the_account_pages_fit_320_px_in_german(phone, portal_server, citizen):  # noqa: F811
    """The profile's table is wider than a phone in German ("Registrierungsdatum"): it
    scrolls in its own box, which the keyboard can reach, and the page does not."""
    base = f"http://sondrio.localhost:{portal_server.port}"
    phone.goto(base + "/shop/accounts/login/")
    phone.fill("input[name=login-username]", citizen.email)
    phone.fill("input[name=login-password]", "a long enough password 1")
    phone.locator("form").filter(has=phone.locator("input[name=login-username]")).locator(
        "button[type=submit]"
    ).click()
    phone.wait_for_load_state()
    wide = {}
    for path in ("/de/shop/accounts/profile/", "/de/shop/accounts/orders/", "/shop/accounts/"):
        phone.goto(base + path)
        assert "/login/" not in phone.url
        if found := wider_than(phone, 320):
            wide[path] = found
    assert wide == {}
    phone.goto(base + "/de/shop/accounts/profile/")
    box = phone.locator("main .portal-table-scroll").first
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
