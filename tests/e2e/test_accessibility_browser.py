"""WCAG 2.1 AA as served, on every page type of both themes in all three languages.

Sondrio (italia) and Cremona (borgo), each in Italian, English and German: axe-core in
Chromium finds nothing serious or critical and the Nu HTML checker no error on any page,
among them an article, a webinar, a reading tip, a service story and a contact form (made
here, in every language), the shop's pages, the checkout's e-mail and booking steps, the
password reset page, a 404, and a signed-in citizen's account (profile, orders, an order,
e-mail history, webinars). Lighthouse's accessibility category, on one page of each type per
theme in Italian and the home in English and German, fails no audit.

The live server sees committed rows only: the pages, the citizen and the order made here are
committed, and deleted when the module ends.
"""

import json
import os
import subprocess
import tempfile
import time
from datetime import timedelta

import pytest
from django.conf import settings

from tests.e2e.audit import (
    ROOT,
    Audit,
    front_end_only,
    portal_paths,
    shop_journey,
    tools_missing,
)
from tests.e2e.test_purchase_browser import browser, portal_server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing())),
    front_end_only,  # HTML audits (axe, Nu, Lighthouse): on SQLite only
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PORTALS = ["sondrio", "cremona"]  # italia, borgo
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "core" / "index.js"


def translated_everywhere(page, languages: list[str]) -> list:
    """``page`` and its translations, published as a translator would."""
    from wagtail.models import Locale

    pages = [page]
    for code in languages[1:]:
        locale = Locale.objects.get(language_code=code)
        copy = page.get_translation_or_none(locale)
        if copy is None:
            copy = page.copy_for_translation(locale, copy_parents=True)
            copy.save_revision().publish()
        pages.append(copy)
    return pages


def editorial_pages(territory) -> list:
    """One page of each editorial type the generator does not make, in every language."""
    from tests.editorial import (
        add_article,
        add_form_page,
        add_service_page,
        home_of,
        news_index,
        offered_product,
    )
    from tests.test_reading_tips import add_tip
    from tests.test_webinars import add_webinar

    made = [
        add_article(news_index(territory), "Apre lo sportello per le famiglie"),
        add_webinar(territory, "Come si chiede un contributo", starts_in=timedelta(days=5)),
        add_tip(territory, "Il libro del mese"),
        add_service_page(territory, offered_product(territory)),
        add_form_page(home_of(territory), title="Scrivici adesso"),
    ]
    return [copy for page in made for copy in translated_everywhere(page, territory.languages)]


def citizen_with_an_order(territory):
    from oscar.core.loading import get_model

    from tests.orders_support import basket_with, book, citizen, place

    StockRecord = get_model("partner", "StockRecord")
    user = citizen(f"audit-{territory.slug}@example.it")
    offer = (
        StockRecord.objects.filter(territory=territory, product__voucher=None)
        .exclude(product__upc="")
        .order_by("pk")
        .first()
    )
    basket = basket_with(territory, [offer.product.upc], user=user)
    book(basket, territory)
    return user, place(basket, user=user)


@pytest.fixture(scope="module")
def audited_content(django_db_setup, django_db_blocker):
    """slug -> (the citizen's session key, their order), with the editorial pages made."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model
    from wagtail.models import Page

    from portal.territories.models import Territory
    from tests.conftest import portal_client

    Order = get_model("order", "Order")
    Basket = get_model("basket", "Basket")
    made_pages, users, made = [], [], {}
    with django_db_blocker.unblock():
        for slug in PORTALS:
            territory = Territory.objects.select_related("site").get(slug=slug)
            made_pages += editorial_pages(territory)
            user, order = citizen_with_an_order(territory)
            users.append(user)
            client = portal_client(slug)
            client.force_login(user)
            made[slug] = (client.cookies[settings.SESSION_COOKIE_NAME].value, order)
        yield made
        orders = Order.objects.filter(user__in=users)
        Basket.objects.filter(pk__in=orders.values("basket_id")).delete()
        orders.delete()
        for page in reversed(made_pages):  # translations first
            Page.objects.filter(pk=page.pk).delete()
        get_user_model().objects.filter(pk__in=[user.pk for user in users]).delete()


def signed_in_paths(prefix: str, order) -> list[str]:
    return [
        f"{prefix}{path}"
        for path in (
            "/shop/accounts/profile/",
            "/shop/accounts/profile/edit/",
            "/shop/accounts/change-password/",
            "/shop/accounts/orders/",
            f"/shop/accounts/orders/{order.number}/",
            "/shop/accounts/emails/",
            "/la-mia-fascia/",
            "/shop/accounts/family/",
            "/shop/accounts/family/add/",
            "/shop/accounts/welfare/",
        )
    ]


def audit_portal(browser, port: int, slug: str, session: str, order) -> tuple[Audit, list]:  # noqa: F811
    from portal.territories.models import Territory

    base = f"http://{slug}.localhost:{port}"
    territory = Territory.objects.get(slug=slug)
    audit = Audit()
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    page = context.new_page()
    paths = portal_paths(slug)
    prefixes = ["" if code == "it" else f"/{code}" for code in territory.languages]
    paths += [f"{prefix}/shop/password-reset/" for prefix in prefixes]
    wide = []
    for path in paths:
        audit.check(page, base + path)
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            wide.append(path)
    product = next(path for path in paths if "/catalogue/" in path and "_" in path)
    shop_journey(audit, page, base, product)
    context.close()

    signed_in = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    signed_in.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    page = signed_in.new_page()
    for prefix in prefixes:
        for path in signed_in_paths(prefix, order):
            audit.check(page, base + path)
            assert audit.statuses[base + path] == 200, path
            if page.evaluate("document.documentElement.scrollWidth") > 320:
                wide.append(path)
    signed_in.close()
    return audit, wide


@pytest.mark.parametrize("slug", PORTALS)
def test_axe_and_the_nu_checker_find_nothing_on_any_page_type(
    browser,  # noqa: F811
    portal_server,  # noqa: F811
    audited_content,
    slug,
):
    from portal.territories.models import Territory

    assert Territory.objects.get(slug=slug).languages == ["it", "en", "de"]
    session, order = audited_content[slug]
    started = time.monotonic()
    audit, wide = audit_portal(browser, portal_server.port, slug, session, order)
    axe_count, nu_count, text = audit.report()
    print(
        f"{slug}: {len(audit.html)} pages, axe serious/critical: {axe_count}, Nu errors: "
        f"{nu_count}, {time.monotonic() - started:.0f} s"
    )
    assert (axe_count, nu_count) == (0, 0), text
    assert wide == []  # WCAG 1.4.10: nothing scrolls sideways at 320 px


OTHER_LANGUAGES = ("/en/", "/de/")


def one_page_per_type(slug: str) -> list[str]:
    """Each page type in Italian, and the home in each other language, but the 404:
    Lighthouse refuses to audit a page answered with an error status.

    Lighthouse's category runs axe-core's rules, which the test above runs on every page type
    in every language (with the Nu checker, the 404 included); the other languages' pages are
    the same templates with other words. Auditing each of them again took two thirds of this
    test's time (about 100 pages, 5 s each, in every CI run) for no audit of its own."""
    paths = [
        path
        for path in portal_paths(slug, every_standard_page=False)
        if not path.endswith("/pagina-che-non-esiste/")
        and (not path.startswith(OTHER_LANGUAGES) or path in OTHER_LANGUAGES)
    ]
    return [*paths, "/shop/password-reset/"]


def checkout_e_mail_step(browser, base: str, slug: str) -> dict:  # noqa: F811
    """The checkout's first step, with a service in a visitor's basket (their cookie)."""
    product = next(path for path in portal_paths(slug) if "/catalogue/" in path and "_" in path)
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + product)
    package = page.locator("input[name=child_id]")
    if package.count():
        package.first.check()
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state()
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    return {"url": f"{base}/shop/checkout/", "cookie": cookie}


@pytest.mark.skipif(not LIGHTHOUSE.exists(), reason="Lighthouse is missing: `make assets`")
def test_lighthouse_fails_no_accessibility_audit_on_either_theme(
    browser,  # noqa: F811
    portal_server,  # noqa: F811
    audited_content,
):
    """Every audit of Lighthouse's accessibility category with score 0 is a failure (they are
    pass/fail; manual and not-applicable ones have no score), on one page of each type of
    each theme in each language, a signed-in citizen's order and the checkout's e-mail step
    among them."""
    pages = []
    for slug in PORTALS:
        base = f"http://{slug}.localhost:{portal_server.port}"
        session, order = audited_content[slug]
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        pages += [{"url": base + path} for path in one_page_per_type(slug)]
        pages += [
            {"url": base + path, "cookie": cookie}
            for path in ("/shop/accounts/orders/", f"/shop/accounts/orders/{order.number}/")
        ]
        pages.append(checkout_e_mail_step(browser, base, slug))
    with tempfile.NamedTemporaryFile("w", suffix=".json") as listing:
        json.dump(pages, listing)
        listing.flush()
        started = time.monotonic()
        completed = subprocess.run(
            ["node", str(ROOT / "tests" / "e2e" / "lighthouse_accessibility.mjs"), listing.name],
            capture_output=True,
            text=True,
            timeout=1800,  # about 5 s a page on an idle machine, far more on a busy one
            check=True,
        )
    results = json.loads(completed.stdout)
    print(f"Lighthouse: {len(results)} pages, {time.monotonic() - started:.0f} s")
    assert len(results) == len(pages)
    errors = {url: result["error"] for url, result in results.items() if "error" in result}
    assert errors == {}
    failing = {url: result["failing"] for url, result in results.items() if result["failing"]}
    assert failing == {}, json.dumps(failing, indent=1)
