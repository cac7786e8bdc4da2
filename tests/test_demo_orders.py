"""`make demo`'s orders: the citizen's order history, each cooperative's order list and the
territory's have something to show, each person only what is theirs; loading again adds
nothing."""

import pytest
from oscar.core.loading import get_model

from portal.territories.demo import ensure_user
from shop.customer.demo import load_family_members
from shop.dashboard.orders.demo import cooperative_staff
from shop.order import statuses
from shop.order.demo import CITIZEN, load_orders
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def signed_in(slug: str, email: str):
    from django.contrib.auth import get_user_model

    client = portal_client(slug)
    client.force_login(get_user_model().objects.get(email__iexact=email))
    return client


@pytest.fixture
def demo_orders(territories):
    load_family_members(ensure_user)
    list(cooperative_staff(ensure_user))
    return load_orders(ensure_user)


def test_every_portal_gets_the_citizens_orders_and_a_guests(demo_orders, territories):
    by_portal = {
        t.slug: [o for o in demo_orders if o.territory_id == t.pk] for t in territories.values()
    }
    for slug, orders in by_portal.items():
        mine = [o for o in orders if o.user and o.user.email == CITIZEN]
        assert len(mine) == 2, slug
        assert any(o.guest_email == f"famiglia.{slug}@example.it" for o in orders), slug
        history = signed_in(slug, CITIZEN).get("/shop/accounts/orders/").text
        for order in mine:
            assert order.number in history, slug
        for other in demo_orders:
            if other.territory_id != orders[0].territory_id:
                assert other.number not in history, (slug, other.number)
        delivered = [line.status for o in mine for line in o.lines.all()]
        assert statuses.DELIVERED in delivered and statuses.NEW in delivered, slug
    assert load_orders(ensure_user) == []  # re-run: nothing more
    assert Order.objects.count() == len(demo_orders)


def test_an_order_shared_by_two_cooperatives_shows_each_only_its_line(demo_orders):
    shared = next(
        o
        for o in demo_orders
        if o.territory.slug == "padova" and len({line.partner_id for line in o.lines.all()}) == 2
    )
    for code in ("jonathan", "veneto-insieme"):
        client = signed_in("padova", f"ordini.{code}@welfare.localhost")
        assert shared.number in client.get("/shop/dashboard/orders/").text
        detail = client.get(f"/shop/dashboard/orders/{shared.number}/").text
        for line in shared.lines.all():
            assert (line.title in detail) == (line.partner.code == code), (code, line.title)
    napoli = next(o for o in demo_orders if o.territory.slug == "napoli")
    client = signed_in("padova", "ordini.jonathan@welfare.localhost")
    assert napoli.number not in client.get("/shop/dashboard/orders/").text
    assert client.get(f"/shop/dashboard/orders/{napoli.number}/").status_code == 404


def test_the_employees_mother_in_sondrio_is_served_by_a_sondrio_cooperative(demo_orders):
    order = next(o for o in demo_orders if o.user and o.user.email == "dipendente@example.it")
    assert order.territory.slug == "cremona"
    line = order.lines.get()
    assert line.partner.code == "forme" and line.booking.name == "Rosa Ferrari"
    forme = signed_in("sondrio", "ordini.forme@welfare.localhost")
    assert order.number in forme.get("/shop/dashboard/orders/").text
    cremona = signed_in("cremona", "ordini.solco-cremona@welfare.localhost")
    assert order.number not in cremona.get("/shop/dashboard/orders/").text
