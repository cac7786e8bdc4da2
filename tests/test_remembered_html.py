"""What is remembered between requests (cards, their HTML, the chrome) is keyed by everything
it depends on: a page looks the same whatever another language, portal or theme asked first.

The defect: after an Italian visit, 14 of 38 product links on /en/shop/catalogue/ pointed to
Italian pages, because the remembered product address had no language in its key.
"""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from shop.catalogue import cards, listing
from shop.catalogue.templatetags import service_cards
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db

PRODUCT_LINK = re.compile(r'href="([^"]*/shop/catalogue/[\w-]+_\d+/)"')
ITALIAN = ' lang="it"'


def forget_everything() -> None:
    cache.clear()
    for remembered in (
        cards.card_for,
        cards.product_url,
        cards._card_list,
        listing._card_of_row,
        service_cards.rendered_card,
    ):
        remembered.cache_clear()


def html(slug: str, path: str) -> str:
    response = portal_client(slug).get(path)
    assert response.status_code == 200, path
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("language", ["en", "de"])
def test_product_links_keep_the_language_after_an_italian_visit(territories, language):
    html("sondrio", "/shop/catalogue/")
    html("sondrio", "/")
    for path in (f"/{language}/shop/catalogue/", f"/{language}/", f"/{language}/search/?q=a"):
        links = PRODUCT_LINK.findall(html("sondrio", path))
        assert links, path
        assert [link for link in links if not link.startswith(f"/{language}/shop/")] == [], path


# (what is asked first, what is compared): the second differs from the first in one thing
NEIGHBOURS = {
    "language": [
        (("sondrio", "/shop/catalogue/"), ("sondrio", "/en/shop/catalogue/")),
        (("sondrio", "/en/shop/catalogue/"), ("sondrio", "/de/shop/catalogue/")),
        (("sondrio", "/"), ("sondrio", "/de/")),
        (("sondrio", "/search/?q=servizi"), ("sondrio", "/en/search/?q=servizi")),
    ],
    "portal": [
        (("sondrio", "/shop/catalogue/"), ("napoli", "/shop/catalogue/")),
        (("napoli", "/en/"), ("padova", "/en/")),
    ],
    "theme": [
        (("napoli", "/shop/catalogue/"), ("rho", "/shop/catalogue/")),
        (("cremona", "/en/"), ("padova", "/en/")),
    ],
}


@pytest.mark.parametrize(
    "first,second",
    [pair for pairs in NEIGHBOURS.values() for pair in pairs],
    ids=[f"{kind}-{n}" for kind, pairs in NEIGHBOURS.items() for n in range(len(pairs))],
)
def test_a_page_is_the_same_whatever_was_asked_before(territories, first, second):
    forget_everything()
    cold = html(*second)
    forget_everything()
    html(*first)
    assert html(*second) == cold


def test_a_theme_switch_shows_the_new_themes_cards(territories):
    """The same portal, language and products: only the theme differs."""
    html("sondrio", "/shop/catalogue/")
    sondrio = territories["sondrio"]
    sondrio.theme = "borgo"
    sondrio.save()
    warm = html("sondrio", "/shop/catalogue/")
    forget_everything()
    assert html("sondrio", "/shop/catalogue/") == warm


@pytest.mark.parametrize("language", ["en", "de"])
def test_italian_catalogue_text_is_marked_italian_on_other_languages_pages(territories, language):
    page = html("sondrio", f"/{language}/shop/catalogue/")
    card = page[page.index('class="card card-bg portal-service-card') :]
    card = card[: card.index("</article>")]
    assert f'<h2 class="card-title h5"{ITALIAN}>' in card
    assert f'<p class="card-text"{ITALIAN}>' in card
    assert f'<span class="portal-service-category"{ITALIAN}>' in card
    tagline = re.search(r'class="it-brand-tagline[^"]*"([^>]*)>', page)
    assert tagline is not None and tagline.group(1) == ITALIAN


def test_italian_pages_do_not_repeat_the_language(territories):
    page = html("sondrio", "/shop/catalogue/")
    main = page[page.index("<main") : page.index("</main>")]
    assert ITALIAN not in main


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_services_page_marks_its_italian_name_categories_and_description(territories, language):
    from tests.editorial import offered_product

    product = offered_product(territories["sondrio"])
    with translation.override(language):
        path = product.get_absolute_url()
    page = html("sondrio", path)
    assert f"<h1{ITALIAN}>{product.get_title()}</h1>" in page
    assert re.search(r'class="portal-service-category" href="[^"]+"' + ITALIAN, page)
    assert f'<li class="breadcrumb-item active" aria-current="page"{ITALIAN}>' in page
    listing = html("sondrio", f"/{language}/shop/catalogue/")
    assert re.search(r'class="list-item[^"]*" href="[^"]+"[^>]*><span' + ITALIAN, listing)


def test_the_basket_and_the_checkout_mark_italian_service_names(territories):
    from tests.editorial import offered_product
    from tests.test_giftcards import voucher_product

    product = offered_product(territories["sondrio"])
    client = portal_client("sondrio")
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    basket = client.get("/en/shop/basket/").content.decode()
    assert f'<h3 class="h5 mb-1"{ITALIAN}><a' in basket
    assert '<h3 class="h5 mb-1"><a' not in basket
    client.post("/shop/checkout/", {"username": "anna@example.it", "options": "anonymous"})
    booking = client.get("/de/shop/checkout/booking/").content.decode()
    assert f'<legend class="h4 px-1"{ITALIAN}>{product.get_title()}</legend>' in booking
    with translation.override("en"):
        voucher = html("sondrio", voucher_product("sondrio").get_absolute_url())
    assert f"<h1{ITALIAN}>" in voucher
