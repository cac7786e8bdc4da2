"""The mini basket's line is kept between pages (shop/basket/summary.py) and is never stale:
each test changes one thing the line depends on, with nothing else changing, and fails if the
kept line's key misses it (whose basket, the basket's revision, the portal's prices, the
offers, the citizen's income band, the language) or if a page served from it still loads the
basket."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from shop.catalogue.cards import format_price
from tests.conftest import portal_client
from tests.orders_support import citizen
from tests.test_band_prices import education_offer, with_band
from tests.test_shop_bar import mini_basket

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
StockRecord = get_model("partner", "StockRecord")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")

CATALOGUE = "/shop/catalogue/"


def line(count: int, total: Decimal, language: str = "it") -> str:
    with translation.override(language):
        words = ngettext("Basket: %(counter)s service", "Basket: %(counter)s services", count)
    text = f"{words % {'counter': count}} · {format_price(total, 'EUR', language)}"
    return " ".join(text.split())


def shown(client, path: str = CATALOGUE) -> str | None:
    return mini_basket(client.get(path).content.decode())


def signed_in(territory, user):
    client = portal_client(territory.slug)
    client.force_login(user)
    return client


def basket_queries(client, path: str = CATALOGUE) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return [q["sql"] for q in queries.captured_queries if '"basket_' in q["sql"]]


def with_one(territory, offer, user=None):
    """A citizen's client with ``offer`` in the basket, its line shown (and kept) once."""
    client = signed_in(territory, user or citizen())
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    assert shown(client) == line(1, offer.price)
    return client


def ten_percent_off(name: str, services: int):
    """A site offer: 10 % off every service once the basket holds ``services`` of them."""
    products = Range.objects.create(
        name=f"Tutto ({name})", slug=slugify(name), includes_all_products=True
    )
    return ConditionalOffer.objects.create(
        name=name,
        slug=slugify(name),
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=products, type=Condition.COUNT, value=services),
        benefit=Benefit.objects.create(range=products, type=Benefit.PERCENTAGE, value=10),
    )


@pytest.fixture
def sondrio_offers(territories):
    sondrio = territories["sondrio"]
    offers = list(
        StockRecord.objects.filter(
            territory=sondrio, available=True, product__structure="standalone", price__gt=10
        ).order_by("pk")[:2]
    )
    return sondrio, offers


def test_served_again_the_line_is_kept_and_the_basket_not_read(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    client = signed_in(sondrio, citizen())
    client.post(f"/shop/basket/add/{first.product_id}/", {"quantity": 1})

    assert shown(client) == line(1, first.price)  # loads the basket, keeps the line
    assert basket_queries(client) == []
    assert shown(client) == line(1, first.price)


def test_a_line_added_on_another_device_shows_at_once(sondrio_offers):
    sondrio, (first, second) = sondrio_offers
    user = citizen()
    phone, laptop = signed_in(sondrio, user), signed_in(sondrio, user)
    phone.post(f"/shop/basket/add/{first.product_id}/", {"quantity": 1})
    assert shown(laptop) == line(1, first.price)

    phone.post(f"/shop/basket/add/{second.product_id}/", {"quantity": 1})
    assert shown(laptop) == line(2, first.price + second.price)
    Line.objects.filter(basket__owner=user, product_id=second.product_id).delete()
    assert shown(laptop) == line(1, first.price)


def test_a_quantity_changed_and_a_basket_emptied_show_at_once(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    client = with_one(sondrio, first)
    basket_line = Line.objects.get(product_id=first.product_id, basket__owner__isnull=False)
    basket_line.quantity = 3
    basket_line.save()
    assert shown(client) == line(3, first.price * 3)

    basket_line.basket.flush()
    assert shown(client) is None


def test_a_price_changed_by_the_portal_shows_at_once(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    client = with_one(sondrio, first)

    first.price += Decimal("5.00")
    first.save()  # the portal's generation changes, not the basket
    assert shown(client) == line(1, first.price)


def test_an_offer_started_shows_at_once(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    client = with_one(sondrio, first)

    ten_percent_off("Meno dieci", services=1)
    assert shown(client) == line(1, first.price - first.price / 10)


def test_a_band_verified_meanwhile_shows_its_price_at_once(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = citizen()
    client = with_one(sondrio, offer, user)

    with_band(sondrio, "B", user=user)  # nothing of the basket changes
    assert shown(client) == line(1, offer.price / 2)


def test_the_same_citizen_sees_each_portals_own_basket(territories, sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    user = citizen()
    on_sondrio = signed_in(sondrio, user)
    on_sondrio.post(f"/shop/basket/add/{first.product_id}/", {"quantity": 1})
    assert shown(on_sondrio) == line(1, first.price)

    assert shown(signed_in(territories["napoli"], user)) is None
    assert shown(on_sondrio) == line(1, first.price)


def test_two_visitors_baskets_are_their_own(sondrio_offers):
    sondrio, (first, second) = sondrio_offers
    one, other = portal_client("sondrio"), portal_client("sondrio")
    one.post(f"/shop/basket/add/{first.product_id}/", {"quantity": 1})
    other.post(f"/shop/basket/add/{second.product_id}/", {"quantity": 2})

    assert shown(one) == line(1, first.price)
    assert shown(other) == line(2, second.price * 2)
    assert shown(one) == line(1, first.price)
    assert basket_queries(one) == []  # an anonymous basket's line is kept too


def test_the_line_is_in_the_visitors_language(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    client = with_one(sondrio, first)

    assert shown(client, "/en" + CATALOGUE) == line(1, first.price, "en")
    assert shown(client, "/de" + CATALOGUE) == line(1, first.price, "de")


def test_an_emptied_cache_shows_the_basket_as_it_is(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    user = citizen()
    client = with_one(sondrio, first, user)

    cache.clear()  # a restarted or evicting Redis: the tokens start again, never the lines
    basket = Basket.objects.get(owner=user, territory=sondrio)
    Line.objects.filter(basket=basket).update(quantity=2)  # unseen by any signal
    assert shown(client) == line(2, first.price * 2)


def test_a_basket_frozen_by_a_card_payment_left_open_is_not_kept(sondrio_offers):
    sondrio, (first, _second) = sondrio_offers
    user = citizen()
    client = signed_in(sondrio, user)
    client.post(f"/shop/basket/add/{first.product_id}/", {"quantity": 1})
    basket = Basket.objects.get(owner=user, territory=sondrio)
    basket.freeze()  # as the payment page does before the bank answers

    client.get(CATALOGUE)
    # the next page looks again (the frozen basket may be given back), not at a kept line
    assert basket_queries(client) != []


def test_the_basket_page_suggests_an_offer_half_met_and_not_one_applied(sondrio_offers):
    """The upsell messages weigh the offers the basket was just given (not a second load of
    them): an offer for two services is suggested with one in the basket, applied with two."""
    sondrio, (first, second) = sondrio_offers
    client = with_one(sondrio, first)
    ten_percent_off("Due servizi insieme", services=2)
    page = client.get("/shop/basket/").content.decode()
    assert "Due servizi insieme" in page and 'class="warning"' in page
    client.post(f"/shop/basket/add/{second.product_id}/", {"quantity": 1})
    page = client.get("/shop/basket/").content.decode()
    assert 'class="warning"' not in page
    assert "Due servizi insieme" in page  # now among the discounts applied
