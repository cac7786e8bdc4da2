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


def test_the_citizen_sees_where_each_service_is_in_their_language(territories):
    from shop.order import statuses

    user = citizen()
    order = order_on(territories["sondrio"], user)
    line = order.lines.get()
    line.set_status(statuses.ACCEPTED)
    client = portal_client("sondrio")
    client.force_login(user)

    history = client.get("/shop/accounts/orders/").text
    assert "Accettato" in history and "accepted" not in history
    assert "tempusdominus" not in history  # Oscar's jQuery date picker: not on the portal
    assert 'type="date"' in history
    detail = client.get(f"/shop/accounts/orders/{order.number}/").text
    assert "Accettato" in detail and "Maria Rossi" in detail  # the status, who it is for
    assert "spedizione" not in detail.lower()  # services are not shipped
    english = client.get(f"/en/shop/accounts/orders/{order.number}/").text
    assert "Accepted" in english and "Placed on" in english
    assert '<a href="/en/">Home</a>' in english  # Oscar's breadcrumb: the English home


def test_signing_in_in_english_lands_on_the_english_home_and_says_welcome(territories):
    user = citizen()
    user.set_password("a long enough password")
    user.save()
    client = portal_client("sondrio")
    answer = client.post(
        "/en/shop/accounts/login/",
        {
            "login-username": user.email,
            "login-password": "a long enough password",
            "login_submit": "1",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/en/"
    home = client.get("/en/").text
    assert "Welcome back" in home  # the sign-in's message, on the page it lands on
    assert "Welcome back" not in client.get("/en/shop/accounts/orders/").text  # shown once
