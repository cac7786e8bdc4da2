"""An order placed on a portal records that portal's territory and its site."""

import pytest
from django.contrib.sites.models import Site as DjangoSite
from oscar.core.loading import get_model

from tests.conftest import portal_client
from tests.stripe_support import (  # noqa: F401  (fixtures)
    CARD_OK,
    book_for_myself,
    localstripe_url,
    pay_by_card,
    stripe_settings,
)

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.mark.usefixtures("stripe_settings")
def test_a_guest_order_records_its_territory_and_site(territories):
    offer = StockRecord.objects.filter(territory=territories["rho"]).order_by("pk").first()
    client = portal_client("rho")
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})

    response = client.post(
        "/shop/checkout/", {"username": "anna@example.it", "options": "anonymous"}, follow=True
    )
    assert response.status_code == 200
    book_for_myself(client, territories["rho"])
    # services are paid by card (shop/payment): a "place order" without paying is refused
    response = client.post("/shop/checkout/preview/", {"action": "place_order"})
    assert not Order.objects.filter(guest_email="anna@example.it").exists()
    _setup, answer = pay_by_card(client, CARD_OK)
    assert answer["status"] == 200

    order = Order.objects.get(guest_email="anna@example.it")
    assert order.territory == territories["rho"]
    assert order.site == DjangoSite.objects.get(domain="rho.localhost")
    assert order.total_incl_tax == offer.price
    assert [line.partner_id for line in order.lines.all()] == [offer.partner_id]
