"""The shop bar on the shop's pages: the links for a visitor or a signed-in citizen, and the
one-line basket summary, shown only to who has a basket and built for nobody else."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model

from shop.catalogue.cards import format_price
from tests.conftest import portal_client
from tests.orders_support import citizen

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

COOKIE = settings.OSCAR_BASKET_COOKIE_OPEN


def shop_bar(html: str) -> str:
    return html[html.index('class="portal-shop-bar"') : html.index("</main>")].split("</nav>")[0]


def mini_basket(html: str) -> str | None:
    found = re.search(r'<p class="portal-mini-basket[^"]*">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def italian(text: str) -> str:
    with translation.override("it"):
        return gettext(text)


def add_yoga(client) -> Decimal:
    """Puts Rho's children's yoga in the client's basket; its price there."""
    yoga = Product.objects.get(upc="yoga-bambini-online")
    client.post(f"/shop/basket/add/{yoga.pk}/", {"quantity": 1})
    return StockRecord.objects.get(product=yoga, territory__slug="rho").price


def test_a_first_visit_builds_no_basket_and_sets_no_cookie(territories):
    baskets = Basket.objects.count()
    response = portal_client("rho").get("/shop/catalogue/")
    html = response.content.decode()

    assert mini_basket(html) is None
    assert COOKIE not in response.cookies
    assert Basket.objects.count() == baskets
    assert italian("Log in or register") in shop_bar(html)


def test_a_visitor_with_a_basket_sees_its_summary(territories):
    client = portal_client("rho")
    price = add_yoga(client)
    assert COOKIE in client.cookies

    with translation.override("it"):
        one = ngettext("Basket: %(counter)s service", "Basket: %(counter)s services", 1)
    summary = mini_basket(client.get("/shop/catalogue/").content.decode())
    expected = f"{one % {'counter': 1}} · {format_price(price, 'EUR', 'it')}"
    assert summary == " ".join(expected.split())  # the summary's spaces are normalised


def test_a_signed_in_citizen_sees_their_links_and_basket_and_a_visitor_still_sees_theirs(
    territories,
):
    visitor = portal_client("rho")
    visitor.get("/shop/catalogue/")  # the visitor's bar is kept now

    signed_in = portal_client("rho")
    signed_in.force_login(citizen())
    add_yoga(signed_in)
    html = signed_in.get("/shop/catalogue/").content.decode()
    bar = shop_bar(html)
    assert italian("My account") in bar and italian("Log out") in bar
    assert italian("Log in or register") not in bar
    assert mini_basket(html) is not None

    bar = shop_bar(visitor.get("/shop/catalogue/").content.decode())
    assert italian("Log in or register") in bar
    assert italian("My account") not in bar


def test_a_forged_basket_cookie_shows_no_basket_and_is_deleted(territories):
    client = portal_client("rho")
    client.cookies[COOKIE] = "4242:forged-signature"
    response = client.get("/shop/catalogue/")

    assert response.status_code == 200
    assert mini_basket(response.content.decode()) is None
    assert response.cookies[COOKIE]["max-age"] == 0  # deleted


def test_another_portals_basket_cookie_shows_nothing_here(territories):
    rho = portal_client("rho")
    add_yoga(rho)
    sondrio = portal_client("sondrio")
    sondrio.cookies[COOKIE] = rho.cookies[COOKIE].value

    assert mini_basket(sondrio.get("/shop/catalogue/").content.decode()) is None
