"""Cooperative staff see and fulfil only their own lines; territory staff see their orders."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from oscar.core.loading import get_model

from shop.dashboard.orders.access import cooperative_staff_group
from shop.order import statuses
from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")


def staff_of(code: str):
    User = get_user_model()
    email = f"ordini.{code}@example.it"
    user = User.objects.create_user(username=email, email=email, password="x")
    user.groups.add(cooperative_staff_group())
    Partner.objects.get(code=code).users.add(user)
    return user


def dashboard(user, slug: str = "rho"):
    client = portal_client(slug)
    client.force_login(user)
    return client


@pytest.fixture
def orders(territories):
    """An order on rho (Stripes), one on sondrio (Forme), one on padova with two cooperatives."""
    made = {}
    for key, slug, upcs in (
        ("rho", "rho", ["yoga-bambini-online"]),
        ("sondrio", "sondrio", ["tutoring-online--1"]),
        ("padova", "padova", ["socializzazione-anziani", "italiano-l2-minori"]),
    ):
        basket = basket_with(territories[slug], upcs, user=citizen())
        book(basket, territories[slug])
        made[key] = place(basket, user=citizen())
    return made


def test_cooperative_staff_list_only_orders_with_their_lines(orders):
    html = dashboard(staff_of("stripes")).get("/shop/dashboard/orders/").content.decode()
    assert orders["rho"].number in html
    assert orders["sondrio"].number not in html
    assert orders["padova"].number not in html


def test_another_cooperatives_order_is_a_404(orders):
    client = dashboard(staff_of("stripes"))
    sondrio = orders["sondrio"]
    assert client.get(f"/shop/dashboard/orders/{sondrio.number}/").status_code == 404
    line = sondrio.lines.get()
    url = f"/shop/dashboard/orders/{sondrio.number}/lines/{line.pk}/"
    assert client.get(url).status_code == 404
    own = client.get(f"/shop/dashboard/orders/{orders['rho'].number}/")
    assert own.status_code == 200
    html = own.content.decode()  # the booking, and the "schedule" action
    assert "Maria Rossi" in html and 'value="schedule_lines"' in html


def test_in_a_shared_order_each_cooperative_sees_only_its_lines(orders):
    padova = orders["padova"]
    mine = padova.lines.get(partner__code="jonathan")
    theirs = padova.lines.get(partner__code="veneto-insieme")
    client = dashboard(staff_of("jonathan"), "padova")
    html = client.get(f"/shop/dashboard/orders/{padova.number}/").content.decode()
    assert mine.title in html and theirs.title not in html
    url = f"/shop/dashboard/orders/{padova.number}/lines/{theirs.pk}/"
    assert client.get(url).status_code == 404
    # acting on the other cooperative's line is refused and changes nothing
    client.post(
        f"/shop/dashboard/orders/{padova.number}/",
        {
            "line_action": "change_line_statuses",
            "selected_line": [theirs.pk],
            f"selected_line_qty_{theirs.pk}": 1,
            "new_status": statuses.ACCEPTED,
        },
    )
    theirs.refresh_from_db()
    assert theirs.status == statuses.NEW


def test_a_shared_orders_total_in_the_list_is_only_the_cooperatives_part(orders):
    padova = orders["padova"]
    mine = padova.lines.get(partner__code="jonathan")
    assert mine.line_price_incl_tax < padova.total_incl_tax
    client = dashboard(staff_of("jonathan"), "padova")
    html = client.get("/shop/dashboard/orders/").content.decode()
    stats = client.get("/shop/dashboard/orders/statistics/").content.decode()
    assert padova.number in html
    with translation.override("it"):
        from oscar.templatetags.currency_filters import currency

        for page in (html, stats):  # the list, and the revenue in the statistics
            assert currency(mine.line_price_incl_tax) in page
            assert currency(padova.total_incl_tax) not in page


def test_a_cooperative_cannot_act_on_a_shared_order_itself(orders):
    padova = orders["padova"]
    client = dashboard(staff_of("jonathan"), "padova")
    url = f"/shop/dashboard/orders/{padova.number}/"
    status_change = {"order_action": "change_order_status", "new_status": "Cancelled"}
    note = {"order_action": "save_note", "message": "Nota della cooperativa"}
    assert client.post(url, status_change).status_code == 404
    assert client.post(url, note).status_code == 404
    assert client.get(f"{url}shipping-address/").status_code == 404
    padova.refresh_from_db()
    assert padova.status != "Cancelled" and not padova.notes.filter(message__contains="Nota")


def test_cooperative_staff_see_only_their_products(orders):
    html = dashboard(staff_of("stripes")).get("/shop/dashboard/catalogue/").content.decode()
    assert "Yoga" in html  # a Stripes service (rho)
    assert "Circolo di lettura" not in html  # only Tiralistori (sondrio) offers it
    other = Product.objects.get(upc="circolo-lettura-anziani")
    url = f"/shop/dashboard/catalogue/products/{other.pk}/"
    assert dashboard(staff_of("proodos")).get(url).status_code == 404


def test_territory_staff_see_their_territorys_orders_only(territories, orders):
    User = get_user_model()
    officer = User.objects.create_user(username="uff.rho", email="uff@rho.it", password="x")
    officer.groups.add(territories["rho"].moderators)
    client = dashboard(officer)
    html = client.get("/shop/dashboard/orders/").content.decode()
    assert orders["rho"].number in html and orders["sondrio"].number not in html
    assert client.get(f"/shop/dashboard/orders/{orders['sondrio'].number}/").status_code == 404
    assert client.get(f"/shop/dashboard/orders/{orders['rho'].number}/").status_code == 200


def test_a_citizen_cannot_open_the_dashboard(orders):
    client = dashboard(citizen())
    response = client.get(f"/shop/dashboard/orders/{orders['rho'].number}/")
    assert response.status_code in (302, 403, 404)
    assert orders["rho"].number not in response.content.decode()


def test_staff_accept_schedule_and_deliver_a_line(orders, django_capture_on_commit_callbacks):
    order = orders["rho"]
    line = order.lines.get()
    client = dashboard(staff_of("stripes"))
    url = f"/shop/dashboard/orders/{order.number}/"
    selected = {"selected_line": [line.pk], f"selected_line_qty_{line.pk}": 1}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"line_action": "change_line_statuses", "new_status": "accepted", **selected},
        )
        bad = client.post(
            url, {"line_action": "schedule_lines", "scheduled_for": "domani", **selected}
        )
        line.refresh_from_db()
        assert line.status == statuses.ACCEPTED and bad.status_code == 302
        client.post(
            url,
            {"line_action": "schedule_lines", "scheduled_for": "2030-03-05T10:30", **selected},
        )
        line.refresh_from_db()
        assert line.status == statuses.SCHEDULED
        assert line.booking.scheduled_for.year == 2030
        client.post(
            url,
            {"line_action": "change_line_statuses", "new_status": "delivered", **selected},
        )
    line.refresh_from_db()
    assert line.status == statuses.DELIVERED
    # the citizen heard about each step, in Italian
    assert [m.to for m in mail.outbox] == [[order.email]] * 3
    with translation.override("it"):
        labels = [statuses.label(s) for s in ("accepted", "scheduled", "delivered")]
    for message, label in zip(mail.outbox, labels, strict=True):
        assert label in message.subject
    assert "2030" in mail.outbox[1].body  # the date


def test_the_settings_pipeline_is_the_one_statuses_names():
    from django.conf import settings

    assert settings.OSCAR_LINE_STATUS_PIPELINE == {
        k: tuple(v) for k, v in statuses.PIPELINE.items()
    }
    assert settings.OSCAR_INITIAL_LINE_STATUS == statuses.INITIAL


def test_a_shared_orders_page_csv_and_home_show_only_the_cooperatives_part(orders):
    from oscar.templatetags.currency_filters import currency

    padova = orders["padova"]
    mine = padova.lines.get(partner__code="jonathan")
    padova.sources.create(
        source_type=get_model("payment", "SourceType").objects.get_or_create(
            name="Buono regalo Veneto Insieme"
        )[0],
        amount_allocated=padova.total_incl_tax,
        reference="VOUCHER-OF-ANOTHER-COOP",
    )
    client = dashboard(staff_of("jonathan"), "padova")
    with translation.override("it"):
        own, whole = currency(mine.line_price_incl_tax), currency(padova.total_incl_tax)
    detail = client.get(f"/shop/dashboard/orders/{padova.number}/").content.decode()
    assert own in detail and whole not in detail
    assert "VOUCHER-OF-ANOTHER-COOP" not in detail and "Buono regalo" not in detail
    home = client.get("/shop/dashboard/").content.decode()
    assert own in home and whole not in home
    csv = client.get("/shop/dashboard/orders/", {"response_format": "csv"}).content.decode()
    number, value, _date, items, *_rest = next(
        r.split(",") for r in csv.splitlines() if r.startswith(padova.number)
    )
    # its own line's worth and number of items, not the order's
    assert (Decimal(value), int(items)) == (mine.line_price_incl_tax, mine.quantity)
    assert Decimal(value) != padova.total_incl_tax
    # the order's territory staff still see the whole order
    moderator = get_user_model().objects.create_user(username="m@x.it", email="m@x.it")
    moderator.groups.add(padova.territory.moderators)
    whole_page = dashboard(moderator, "padova").get(f"/shop/dashboard/orders/{padova.number}/")
    assert whole in whole_page.content.decode()
    assert "VOUCHER-OF-ANOTHER-COOP" in whole_page.content.decode()


def test_territory_staff_read_the_payment_events_in_italian(territories, orders):
    from shop.checkout.placement import PAID_EVENT

    order = orders["rho"]
    event_type, _ = get_model("order", "PaymentEventType").objects.get_or_create(name=PAID_EVENT)
    order.payment_events.create(event_type=event_type, amount=order.total_incl_tax)
    officer = get_user_model().objects.create_user(
        username="uff2.rho", email="uff2@rho.it", password="x"
    )
    officer.groups.add(territories["rho"].moderators)
    html = dashboard(officer).get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert "<td>Pagato</td>" in html
    assert not re.search(r"<td\s*>\s*Paid\s*</td>", html)


def test_territory_staff_count_each_line_once_when_its_cooperative_has_several_users(
    territories, orders
):
    """A line's cooperative may have several staff members: the territory's figures count and
    sum that line once, on the dashboard's home and on the order statistics alike."""
    order = orders["rho"]
    staff_of("stripes")
    second = get_user_model().objects.create_user(username="b@stripes.it", email="b@stripes.it")
    Partner.objects.get(code="stripes").users.add(second)  # two members of the line's cooperative
    officer = get_user_model().objects.create_user(username="u3.rho", email="u3@rho.it")
    officer.groups.add(territories["rho"].moderators)
    client = dashboard(officer)
    home = client.get("/shop/dashboard/").context
    assert (home["total_orders"], home["total_lines"]) == (1, order.lines.count())
    assert home["total_revenue"] == order.total_incl_tax
    stats = client.get("/shop/dashboard/orders/statistics/").context
    assert (stats["total_orders"], stats["total_lines"]) == (1, order.lines.count())
    assert stats["total_revenue"] == order.total_incl_tax
    listed = client.get("/shop/dashboard/orders/").context["orders"]
    assert [o.number for o in listed] == [order.number]


def test_the_cooperatives_order_list_costs_the_same_queries_for_one_order_or_four(
    territories, orders
):
    """Scoped by subqueries: the list's count and page never join the lines (a join repeats
    orders and was 5 s at scale, bench/README.md), and more orders cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = dashboard(staff_of("stripes"))

    def listed():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/shop/dashboard/orders/")
        return response.context["orders"], queries

    listed()  # the first request also keeps the person's dashboard answer
    shown, one = listed()
    assert [o.number for o in shown] == [orders["rho"].number]
    for _ in range(3):
        basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
        book(basket, territories["rho"])
        place(basket, user=citizen())
    shown, four = listed()
    assert len(shown) == 4
    assert len(four) == len(one)
    scoped = [q["sql"] for q in four if 'FROM "order_order"' in q["sql"].split(" WHERE ")[0]]
    assert scoped and not any('JOIN "order_line"' in sql for sql in scoped)


def test_the_territorys_home_counts_its_customers_and_services(territories, orders):
    """Oscar counts the customers and services of the user's cooperatives: territory staff,
    who belong to none, saw 0 of each."""
    officer = get_user_model().objects.create_user(username="u4.pd", email="u4@padova.it")
    officer.groups.add(territories["padova"].moderators)
    home = dashboard(officer, "padova").get("/shop/dashboard/").context
    padova_services = (
        Product.objects.filter(stockrecords__territory=territories["padova"]).distinct().count()
    )
    assert (home["total_customers"], home["total_products"]) == (1, padova_services)
    assert padova_services > 0
    stripes = dashboard(staff_of("stripes")).get("/shop/dashboard/").context
    own = Product.objects.filter(stockrecords__partner__code="stripes").distinct().count()
    assert (stripes["total_customers"], stripes["total_products"]) == (1, own)
    nobody = get_user_model().objects.create_user(username="u5", email="u5@napoli.it")
    nobody.groups.add(territories["napoli"].moderators)  # Napoli: no order in this test
    assert dashboard(nobody, "napoli").get("/shop/dashboard/").context["total_customers"] == 0


def test_the_dashboard_loads_its_scripts_from_the_portal_and_names_it(territories):
    """jQuery from ajax.googleapis.com was refused by the content security policy."""
    html = dashboard(staff_of("stripes")).get("/shop/dashboard/").content.decode()
    assert "googleapis" not in html and "oscar/js/jquery/jquery.min" in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.split() and title.strip().endswith(territories["rho"].name)
    assert "- " not in title  # Oscar's empty tagline
