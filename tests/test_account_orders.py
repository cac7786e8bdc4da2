"""A portal's account pages show its own orders only: Napoli's "Storico degli ordini" does not
list a Sondrio order, opens none and re-orders none."""

import pytest
from oscar.core.loading import get_model

from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def order_on(territory, user):
    offer = (
        StockRecord.objects.filter(territory=territory, product__voucher=None)
        .exclude(product__upc="")
        .order_by("pk")
        .first()
    )
    basket = basket_with(territory, [offer.product.upc], user=user)
    book(basket, territory)
    return place(basket, user=user)


def test_each_portal_shows_opens_and_reorders_its_own_orders_only(territories):
    user = citizen()
    sondrio = order_on(territories["sondrio"], user)
    napoli = order_on(territories["napoli"], user)
    client = portal_client("napoli")
    client.force_login(user)

    history = client.get("/shop/accounts/orders/").text
    assert napoli.number in history
    assert sondrio.number not in history
    assert client.get(f"/shop/accounts/orders/{napoli.number}/").status_code == 200
    assert client.get(f"/shop/accounts/orders/{sondrio.number}/").status_code == 404
    line = sondrio.lines.get()
    reorder = client.post(
        f"/shop/accounts/orders/{sondrio.number}/{line.pk}/", {"action": "reorder"}
    )
    assert reorder.status_code == 404
    assert (
        client.post(
            f"/shop/accounts/orders/{sondrio.number}/",
            {"order_id": sondrio.pk, "action": "reorder"},
        ).status_code
        == 404
    )

    on_sondrio = portal_client("sondrio")
    on_sondrio.force_login(user)
    assert sondrio.number in on_sondrio.get("/shop/accounts/orders/").text
    assert napoli.number not in on_sondrio.get("/shop/accounts/orders/").text
