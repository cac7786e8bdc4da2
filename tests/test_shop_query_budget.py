"""The shop's pages, for a signed-in citizen with a service in the basket (past the whole-page
cache), cost a pinned number of queries, rendered afresh after a publish and served again,
the same with 5 or 5,000 services on offer, with 1 or 10 lines in the basket, with 1 or 20
orders; and the product page's kept fragments show every change at once."""

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from shop.catalogue.cards import format_price
from tests.conftest import page_queries, portal_client
from tests.orders_support import basket_with, book, citizen, place
from tests.test_query_budget import offer_services

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

# (rendered afresh, served again). Every page pays for the session's user (1); the dashboard
# link's answer is kept per person (shop/dashboard/access.py) until someone's permissions
# change. Rendered afresh, for the basket with its lines, their options, their offers, its
# vouchers and the portal's offers (6) too, and served again not at all: the mini basket's line
# is kept (shop/basket/summary.py) until the basket, the offers or the portal change.
BUDGETS = {
    "catalogue": (14, 3),  # + one page of cards with their prices, categories and the total
    "category": (15, 3),  # + the category and its subcategories, kept (shop/search/views.py)
    # + the product with its offers here and whether it asks for options (2), kept until the
    # portal's generation changes (shop/catalogue/views.py)
    "product": (17, 2),
    # + the saved basket, the default address; the offers are loaded once, for the totals and
    # the upsell messages alike (shop/basket/views.py)
    "basket": (14, 10),
    "account orders": (17, 7),  # + the page of orders, the portals with orders
}


def offered(territory, count: int = 1) -> list:
    """The first ``count`` services ``territory`` offers (standalone, priced)."""
    return list(
        Product.objects.filter(
            stockrecords__territory=territory,
            stockrecords__available=True,
            product_class__slug="servizio",
            structure="standalone",
        )
        .order_by("pk")
        .distinct()[:count]
    )


def signed_in_with_basket(territory, lines: int = 1):
    user = citizen()
    Basket.objects.filter(owner=user).delete()
    basket_with(territory, [p.upc for p in offered(territory, lines)], user=user)
    client = portal_client(territory.slug)
    client.force_login(user)
    return client, user


def path_of(page: str, territory) -> str:
    product = offered(territory)[0]
    with translation.override("it"):
        return {
            "catalogue": "/shop/catalogue/",
            "category": product.get_categories().first().get_absolute_url(),
            "product": product.get_absolute_url(),
            "basket": "/shop/basket/",
            "account orders": "/shop/accounts/orders/",
        }[page]


def order_for(territory, user):
    basket = basket_with(territory, [offered(territory)[0].upc], user=user)
    book(basket, territory)
    return place(basket, user=user)


@pytest.mark.parametrize("page", list(BUDGETS))
def test_a_shop_page_costs_the_same_with_5_and_5000_services(territories, page):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 5)
    client, user = signed_in_with_basket(sondrio)
    order_for(sondrio, user)
    *few, _html = page_queries(client, path_of(page, sondrio))
    offer_services(sondrio, 5000)
    *many, _html = page_queries(client, path_of(page, sondrio))

    assert (tuple(few), tuple(many)) == (BUDGETS[page], BUDGETS[page])


def test_the_basket_costs_the_same_with_1_and_10_lines(territories):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 20)
    client, _user = signed_in_with_basket(sondrio, lines=1)
    *one, one_html = page_queries(client, "/shop/basket/")
    client, _user = signed_in_with_basket(sondrio, lines=10)
    *ten, ten_html = page_queries(client, "/shop/basket/")

    assert one_html.count('data-behaviours="remove"') == 1
    assert ten_html.count('data-behaviours="remove"') == 10
    assert tuple(one) == tuple(ten) == BUDGETS["basket"]


def test_the_order_history_costs_the_same_with_1_and_20_orders(territories):
    sondrio = territories["sondrio"]
    client, user = signed_in_with_basket(sondrio)
    numbers = [order_for(sondrio, user).number]
    *one, one_html = page_queries(client, "/shop/accounts/orders/")
    numbers += [order_for(sondrio, user).number for _ in range(19)]
    *twenty, twenty_html = page_queries(client, "/shop/accounts/orders/")

    assert numbers[0] in one_html
    assert sum(number in twenty_html for number in numbers) >= 10  # a full page of them
    assert tuple(one) == tuple(twenty) == BUDGETS["account orders"]


def test_every_page_says_which_services_the_basket_holds(territories):
    sondrio = territories["sondrio"]
    client, _user = signed_in_with_basket(sondrio, lines=2)
    for page in BUDGETS:
        html = client.get(path_of(page, sondrio)).content.decode()
        if page != "basket":
            assert "Carrello: 2 servizi" in html, page


# The product page's kept fragments (breadcrumbs, description and details): each thing they
# show changes on the very next request.


def product_page(client, product) -> str:
    with translation.override("it"):
        path = product.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_service_shows_on_its_page_at_once(territories):
    client, _user = signed_in_with_basket(territories["sondrio"])
    product = offered(territories["sondrio"])[0]
    assert product.title in product_page(client, product)
    product.title = "Servizio rinominato"
    product.description = "<p>Una descrizione nuova.</p>"
    product.save()

    html = product_page(client, product)
    assert "Servizio rinominato" in html
    assert "Una descrizione nuova." in html


def test_a_saved_price_and_notes_show_on_the_product_page_at_once(territories):
    client, _user = signed_in_with_basket(territories["sondrio"])
    product = offered(territories["sondrio"])[0]
    product_page(client, product)
    offer = StockRecord.objects.filter(product=product, territory=territories["sondrio"]).first()
    offer.price = "987.65"
    offer.notes = "Solo il martedì."
    offer.save()

    html = product_page(client, product)
    assert "987,65" in html
    assert "Solo il martedì." in html


def test_a_renamed_cooperative_shows_on_the_product_page_at_once(territories):
    client, _user = signed_in_with_basket(territories["sondrio"])
    product = offered(territories["sondrio"])[0]
    product_page(client, product)
    offer = StockRecord.objects.filter(product=product, territory=territories["sondrio"]).first()
    partner = Partner.objects.get(pk=offer.partner_id)
    partner.name = "Cooperativa Rinominata"
    partner.save()  # as the dashboard's partner form does

    assert "Cooperativa Rinominata" in product_page(client, product)


def test_the_product_page_is_kept_per_language_and_per_portal(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    product = offered(sondrio)[0]
    italian = product_page(portal_client("sondrio"), product)
    with translation.override("en"):
        english_path = product.get_absolute_url()
    english = portal_client("sondrio").get(english_path).content.decode()
    assert 'lang="it"' in italian and 'lang="en"' in english
    assert "Dettagli" in italian and "Details" in english and "Dettagli" not in english

    # the same service offered by another portal, at its own price, by its own cooperative
    here = StockRecord.objects.get(product=product, territory=sondrio)
    cooperative = Partner.objects.create(name="Cooperativa di là", code="cooperativa-di-la")
    cooperative.territories.add(rho)
    StockRecord.objects.filter(product=product, territory=rho).delete()
    StockRecord.objects.create(
        product=product,
        partner=cooperative,
        partner_sku=f"rho-{product.upc}",
        territory=rho,
        price=here.price + 7,
        price_currency=here.price_currency,
    )
    there = product_page(portal_client("rho"), product)
    assert "Cooperativa di là" in there
    with translation.override("it"):
        assert format_price(here.price + 7, here.price_currency, "it") in there
    assert "Cooperativa di là" not in product_page(portal_client("sondrio"), product)
