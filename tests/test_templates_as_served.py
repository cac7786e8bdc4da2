"""No page of any type shows template syntax: a ``{# … #}`` spanning lines is no comment in
Django and was printed above the header of every shop page (pushing the canonical link and
OpenGraph tags into ``<body>``).

Every page type is requested on both themes and in all three languages: Sondrio (Italian,
English, German) is served once with its own theme (italia) and once switched to borgo.
"""

import re
from datetime import timedelta

import pytest
from django.utils import translation
from oscar.core.loading import get_model
from wagtail.models import Locale, Page

from portal.content.models import FormPage, NewsPage, ServicePage
from shop.catalogue.scoping import categories_offered_in
from tests.conftest import portal_client
from tests.editorial import (
    add_article,
    add_form_page,
    add_service_page,
    home_of,
    news_index,
    offered_product,
)
from tests.orders_support import citizen
from tests.stripe_support import (
    CARD_OK,
    checkout_client,
    localstripe_url,  # noqa: F401  (fixture)
    pay_by_card,
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.test_giftcards import voucher_product
from tests.test_reading_tips import add_tip
from tests.test_webinars import add_webinar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
Order = get_model("order", "Order")

TEMPLATE_SYNTAX = ("{#", "{%", "{{")
LANGUAGES = ("it", "en", "de")


def translated(page: Page, language: str) -> Page:
    """``page`` in ``language``, created and published as a translator would."""
    if language == "it":
        return page
    locale = Locale.objects.get(language_code=language)
    found = page.get_translation_or_none(locale)
    if found is None:
        found = page.copy_for_translation(locale, copy_parents=True)
        found.save_revision().publish()
    return found


def every_page_type(territory) -> list[Page]:
    """One live page of every type under the portal's Italian home (the generator's
    sections, plus an article, a webinar, a reading tip, a service page and a form)."""
    home = home_of(territory)
    add_article(news_index(territory), "Una notizia per tutti")
    add_webinar(territory, "Un webinar per tutti", starts_in=timedelta(days=3))
    add_tip(territory, "Il libro del mese")
    add_service_page(territory, offered_product(territory))
    add_form_page(home, title="Scrivici adesso")
    pages: dict[type, Page] = {}
    for page in Page.objects.live().descendant_of(home, inclusive=True).specific():
        pages.setdefault(type(page), page)
    assert {NewsPage, ServicePage, FormPage} <= set(pages), pages
    return list(pages.values())


def prefixed(language: str, path: str) -> str:
    return path if language == "it" else f"/{language}{path}"


def shop_paths(territory, language: str) -> list[str]:
    product = offered_product(territory)
    with translation.override(language):
        category_url = categories_offered_in(territory)[0].get_absolute_url()
        return [
            "/shop/catalogue/",
            category_url,
            product.get_absolute_url(),
            voucher_product(territory.slug).get_absolute_url(),
            prefixed(language, "/shop/search/?q=anziani"),
            prefixed(language, "/search/?q=anziani"),
            prefixed(language, "/shop/giftcards/balance/"),
            prefixed(language, "/shop/accounts/login/"),
            prefixed(language, "/shop/accounts/register/"),
            prefixed(language, "/shop/basket/"),
        ]


def checkout_paths(language: str) -> list[str]:
    return [
        prefixed(language, path)
        for path in (
            "/shop/basket/",
            "/shop/checkout/booking/",
            "/shop/checkout/payment-details/",
        )
    ]


def account_paths(language: str, order) -> list[str]:
    return [
        prefixed(language, path)
        for path in (
            "/shop/accounts/",
            "/shop/accounts/profile/",
            "/shop/accounts/profile/edit/",
            "/shop/accounts/change-password/",
            "/shop/accounts/orders/",
            f"/shop/accounts/orders/{order.number}/",
            "/shop/accounts/emails/",
            "/eventi/i-miei-webinar/",
        )
    ]


def assert_clean(response, path: str) -> None:
    html = response.content.decode()
    for syntax in TEMPLATE_SYNTAX:
        at = html.find(syntax)
        assert at < 0, f"{path}: {syntax!r} printed: …{html[max(0, at - 80) : at + 120]}…"
    head = html.split("</head>")[0]
    if "<body" in head:  # the head ended early: something was printed inside it
        pytest.fail(f"{path}: the head contains <body>")
    canonical = re.search(r'<link rel="canonical"', html)
    if canonical is not None:
        assert canonical.start() < len(head), f"{path}: the canonical link is not in <head>"


@pytest.mark.parametrize("theme", ["italia", "borgo"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_any_type_shows_template_syntax(territories, theme, language):
    sondrio = territories["sondrio"]
    assert language in sondrio.languages
    sondrio.theme = theme
    sondrio.save()
    pages = [translated(page, language) for page in every_page_type(sondrio)]
    anonymous = portal_client("sondrio")
    requested = 0
    for page in pages:
        path = page.get_url()
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert_clean(response, path)
        requested += 1
    for path in shop_paths(sondrio, language):
        response = anonymous.get(path, follow=True)
        assert response.status_code == 200, path
        assert_clean(response, path)
        requested += 1
    missing = anonymous.get(prefixed(language, "/no-such-page/"))
    assert missing.status_code == 404
    assert_clean(missing, "404")

    # a guest's checkout, step by step, then the thank-you page
    guest, _offer = checkout_client(territories, email=f"ospite-{language}@example.it")
    guest.post("/shop/giftcards/apply/", {"code": "NOPE-NOPE"})  # a message on the page
    for path in [prefixed(language, "/shop/checkout/"), *checkout_paths(language)]:
        response = guest.get(path, follow=True)
        assert response.status_code == 200, path
        assert_clean(response, path)
        requested += 1
    _setup, answer = pay_by_card(guest, CARD_OK)
    assert answer["status"] == 200, answer
    thanks = guest.get(prefixed(language, "/shop/checkout/thank-you/"))
    assert thanks.status_code == 200
    assert_clean(thanks, "thank-you")

    # a signed-in citizen's account, with an order of theirs
    order = Order.objects.get(guest_email=f"ospite-{language}@example.it")
    user = citizen(f"ospite-{language}@example.it")
    order.user = user
    order.save()
    signed_in = portal_client("sondrio")
    signed_in.force_login(user)
    for path in account_paths(language, order):
        response = signed_in.get(path, follow=True)
        assert response.status_code == 200, path
        assert_clean(response, path)
        requested += 1
    assert requested >= 30


def test_a_multi_line_hash_comment_is_not_in_any_template():
    """The cause, at the source: ``{#`` opened and not closed on the same line."""
    from django.conf import settings

    roots = [settings.BASE_DIR / "themes", settings.BASE_DIR / "portal", settings.BASE_DIR / "shop"]
    offenders = []
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml"} or not path.is_file():
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if line.count("{#") > line.count("#}"):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []
