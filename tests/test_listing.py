"""The catalogue list's one query (shop/catalogue/listing.py) agrees with the rest of the shop:
what is offered (scoping.offered_in), at what price (the territory's Strategy), with which
first category, in which order; search, pagination and category pages; cards in the visitor's
language. The PostgreSQL run of the suite (.ci/run) checks the same SQL there."""

import re
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model

from portal.content.models import ServiceIndexPage
from shop.catalogue.cards import ServiceCard, categories_of, format_price
from shop.catalogue.listing import ListingFilter, count, featured_services, listing_page
from shop.catalogue.scoping import offered_in
from shop.giftcards.products import VOUCHER_CLASS
from shop.partner.strategy import TerritoryStrategy
from tests.conftest import portal_client
from tests.test_news import path_of
from tests.test_query_budget import offer_services

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")


def cards_shown(html: str) -> list[str]:
    return re.findall(r'data-service="([^"]+)"', html)


def whole_listing(territory, wanted: ListingFilter | None = None):
    wanted = wanted or ListingFilter()
    with translation.override("it"):
        return listing_page(
            territory,
            wanted,
            limit=None,
        )


@pytest.mark.parametrize("slug", ["sondrio", "rho", "cremona", "napoli"])
def test_the_listing_agrees_with_offered_in_and_the_strategy(territories, slug):
    territory = territories[slug]
    page = whole_listing(territory)
    products = list(offered_in(territory).order_by("title", "pk"))
    assert [card.upc for card in page.cards] == [p.upc for p in products]
    assert page.total == len(products) > 0

    strategy = TerritoryStrategy(territory=territory)
    categories = categories_of([p.pk for p in products])
    for card, product in zip(page.cards, products, strict=True):
        if product.is_parent:
            expected = product.from_price  # the cheapest package here
        else:
            expected = strategy.fetch_for_product(product).price.incl_tax
        assert card.price == expected, product.upc
        assert card.url == product.get_absolute_url()
        assert card.category == categories.get(product.pk, ("", ""))[0]


def test_a_packaged_service_is_listed_from_its_cheapest_public_package(territories):
    rho = territories["rho"]
    card = next(c for c in whole_listing(rho).cards if c.upc == "tutoring-online")
    assert card.price == Decimal("19.00")
    with translation.override("it"):
        assert card.price_text == "da " + format_price(Decimal("19.00"), "EUR", "it")

    # hide the cheapest package: the card shows the next one
    Product.objects.filter(upc="tutoring-online--1").update(is_public=False)
    card = next(c for c in whole_listing(rho).cards if c.upc == "tutoring-online")
    assert card.price == Decimal("90.00")

    # hide every package: the service is no longer offered here
    Product.objects.filter(parent__upc="tutoring-online").update(is_public=False)
    assert "tutoring-online" not in [c.upc for c in whole_listing(rho).cards]


def test_hidden_and_unoffered_products_are_not_listed(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    offered = [c.upc for c in whole_listing(sondrio).cards]
    in_rho = [c.upc for c in whole_listing(rho).cards]
    hidden, withdrawn = offered[0], offered[1]
    Product.objects.filter(upc=hidden).update(is_public=False)
    StockRecord.objects.filter(territory=sondrio, product__upc=withdrawn).delete()

    assert [c.upc for c in whole_listing(sondrio).cards] == offered[2:]
    # Sondrio's withdrawal is Sondrio's alone; a hidden product is hidden everywhere
    assert [c.upc for c in whole_listing(rho).cards] == [u for u in in_rho if u != hidden]


def test_search_ignores_case_and_takes_percent_and_underscore_literally(territories):
    rho = territories["rho"]
    lower = whole_listing(rho, ListingFilter(query="tutoring"))
    upper = whole_listing(rho, ListingFilter(query="TUTORING"))
    assert [c.upc for c in lower.cards] == [c.upc for c in upper.cards]
    assert "tutoring-online" in [c.upc for c in lower.cards]
    # a LIKE wildcard typed by a visitor matches itself, not everything
    for text in ("%", "_", "\\"):
        assert whole_listing(rho, ListingFilter(query=text)).total == 0, text
    Product.objects.filter(upc="tutoring-online").update(title="Ripetizioni 100% online")
    found = whole_listing(rho, ListingFilter(query="100%"))
    assert [c.upc for c in found.cards] == ["tutoring-online"]


def test_an_empty_filter_value_list_and_an_unknown_category_list_nothing(territories):
    sondrio = territories["sondrio"]
    assert whole_listing(sondrio, ListingFilter(category_ids=[])).total == 0
    assert count(sondrio, ListingFilter(category_ids=[])) == 0
    assert whole_listing(None).cards == []


def test_pages_of_24_with_the_total_and_friendly_page_numbers(territories):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 30)
    client = portal_client("sondrio")
    first = client.get("/shop/catalogue/").content.decode()
    second = client.get("/shop/catalogue/?page=2").content.decode()
    assert len(cards_shown(first)) == 24 and len(cards_shown(second)) == 6
    assert not set(cards_shown(first)) & set(cards_shown(second))
    with translation.override("it"):
        total = ngettext("%(counter)s service.", "%(counter)s services.", 30) % {"counter": 30}
    assert total == "30 servizi." and total in first and total in second
    # past the end: the last page; not a number: the first (as the news lists)
    assert cards_shown(client.get("/shop/catalogue/?page=99").content.decode()) == cards_shown(
        second
    )
    assert cards_shown(client.get("/shop/catalogue/?page=abc").content.decode()) == cards_shown(
        first
    )
    assert cards_shown(client.get("/shop/catalogue/?page=-3").content.decode()) == cards_shown(
        first
    )
    assert count(sondrio, ListingFilter()) == 30


def test_a_category_page_lists_the_services_of_the_category_and_its_children(territories):
    rho = territories["rho"]
    category = Category.objects.get(slug="educazione")
    html = portal_client("rho").get(category.get_absolute_url()).content.decode()
    expected = (
        offered_in(rho)
        .filter(categories__in=category.get_descendants_and_self())
        .distinct()
        .order_by("title", "pk")
    )
    assert cards_shown(html) == [p.upc for p in expected]
    assert 0 < len(cards_shown(html)) < whole_listing(rho).total


def test_cards_are_in_the_visitors_language(territories):
    """The HTML of a card is remembered per language: the Italian one never reaches an
    English visitor (the home page's featured services; the shop itself is in Italian)."""
    client = portal_client("rho")
    italian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    with translation.override("it"):
        price_it = gettext("Price")
    assert price_it == "Prezzo"
    assert '<span class="visually-hidden">Prezzo:</span>' in italian
    assert '<span class="visually-hidden">Price:</span>' not in italian
    assert '<span class="visually-hidden">Price:</span>' in english
    assert '<span class="visually-hidden">Prezzo:</span>' not in english
    assert cards_shown(italian) == cards_shown(english)


def test_the_same_card_renders_in_each_language_it_is_shown_in(db):
    """Even a card whose own fields read the same in both languages."""
    card = ServiceCard(
        upc="x",
        title="Yoga",
        url="/shop/catalogue/yoga_1/",
        summary="",
        icon="it-check-circle",
        category="",
        price=None,
        price_text="",
    )
    template = engines["django"].from_string(
        '{% load service_cards %}{% service_card_list cards 3 "col" %}'
    )
    with translation.override("it"):
        italian = template.render({"cards": [card]})
        unavailable_it = gettext("Not available here")
    with translation.override("en"):
        english = template.render({"cards": [card]})
    assert unavailable_it != "Not available here" and unavailable_it in italian
    assert "Not available here" in english and unavailable_it not in english


def test_the_home_page_features_the_latest_updated_services_and_the_index_lists_all(territories):
    sondrio = territories["sondrio"]
    offered = offered_in(sondrio)
    newest = list(
        offered.exclude(product_class__slug=VOUCHER_CLASS).order_by("-date_updated", "pk")[:6]
    )
    home = portal_client("sondrio").get("/").content.decode()
    assert cards_shown(home) == [p.upc for p in newest]

    index = ServiceIndexPage.objects.descendant_of(sondrio.site.root_page).live().first()
    html = portal_client("sondrio").get(path_of(index)).content.decode()
    every = offered_in(sondrio).order_by("title", "pk")
    assert cards_shown(html) == [p.upc for p in every] and len(every) > 6


def is_voucher(upc: str) -> bool:
    return Product.objects.get(upc=upc).product_class.slug == VOUCHER_CLASS


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])
def test_the_featured_services_put_the_services_before_the_gift_vouchers(territories, slug):
    """The home page leads with what the portal offers: a gift voucher updated last (the
    generator writes the vouchers after the services) still comes after every service."""
    territory = territories[slug]
    vouchers = offered_in(territory).filter(product_class__slug=VOUCHER_CLASS)
    assert vouchers.exists()
    Product.objects.filter(pk__in=vouchers.values("pk")).update(date_updated=timezone.now())
    services = offered_in(territory).exclude(product_class__slug=VOUCHER_CLASS)

    with translation.override("it"):
        cards = featured_services(territory, limit=100)
    kinds = [is_voucher(card.upc) for card in cards]
    assert kinds[0] is False and kinds == sorted(kinds)  # services, then vouchers
    assert kinds.count(False) == services.count() and kinds.count(True) == vouchers.count()
    # the other portal's vouchers are not among them
    assert {card.upc for card in cards if is_voucher(card.upc)} == set(
        vouchers.values_list("upc", flat=True)
    )

    # the first card on the home page, in every theme, is a service
    home = portal_client(slug).get("/").content.decode()
    assert not is_voucher(cards_shown(home)[0])
    assert not any(is_voucher(upc) for upc in cards_shown(home)[: min(6, services.count())])


def test_a_portal_that_sells_only_vouchers_features_them(territories):
    sondrio = territories["sondrio"]
    StockRecord.objects.filter(territory=sondrio).exclude(
        product__product_class__slug=VOUCHER_CLASS
    ).delete()
    with translation.override("it"):
        cards = featured_services(sondrio, limit=6)
    assert cards and all(is_voucher(card.upc) for card in cards)


def status_line(html: str) -> str:
    return re.search(r'<p class="portal-result-count" role="status">(.*?)</p>', html).group(1)


def found_words(matches: int, query: str) -> str:
    with translation.override("it"):
        return ngettext(
            "%(counter)s service found for “%(query)s”.",
            "%(counter)s services found for “%(query)s”.",
            matches,
        ) % {"counter": matches, "query": query}


def test_the_status_line_counts_the_matches_in_words_and_escapes_the_query(territories):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 60)
    client = portal_client("sondrio")
    html = client.get("/shop/search/", {"q": "<b>prova", "page": 2}).content.decode()
    # nothing matches "<b>prova", and the tag is shown, not run
    assert status_line(html) == found_words(0, "&lt;b&gt;prova")

    matches = offered_in(sondrio).filter(title__icontains="di prova").count()
    assert 24 < matches <= 48
    html = client.get("/shop/search/", {"q": "di prova", "page": 2}).content.decode()
    with translation.override("it"):
        page = gettext("Page %(number)s of %(total)s.") % {"number": 2, "total": 2}
    assert status_line(html) == f"{found_words(matches, 'di prova')} {page}"


def page_numbers(html: str) -> list[str]:
    """The pagination's entries in order: page numbers, "…" for a gap, "*" marks the current."""
    entries = re.findall(
        r'<li class="page-item[^"]*">(?:<a class="page-link" href="\?page=(\d+)"( aria-current)?'
        r'|<span class="page-link" aria-hidden="true">(…)</span>)',
        html,
    )
    return [gap or number + ("*" if current else "") for number, current, gap in entries]


def test_a_long_list_shows_the_pages_near_the_current_one_and_at_both_ends(territories):
    offer_services(territories["sondrio"], 13 * 24)  # 13 pages
    client = portal_client("sondrio")

    middle = client.get("/shop/catalogue/?page=7").content.decode()
    assert page_numbers(middle) == ["1", "2", "…", "5", "6", "7*", "8", "9", "…", "12", "13"]
    assert 'href="?page=6"' in middle.split('class="pagination"')[1].split("</li>")[0]  # previous

    last = client.get("/shop/catalogue/?page=13").content.decode()
    assert page_numbers(last) == ["1", "2", "…", "11", "12", "13*"]
