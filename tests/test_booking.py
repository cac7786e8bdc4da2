"""Booking details at checkout: who receives each service; a relative elsewhere is routed there."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from oscar.core.loading import get_model

from shop.booking.models import LineBooking
from shop.booking.records import missing_bookings, save_booking_details
from shop.booking.routing import NotOfferedThere, route_line
from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")

BOOKING_URL = "/shop/checkout/booking/"


def test_the_step_is_where_the_brief_says():
    assert reverse("checkout:booking-details") == BOOKING_URL


def test_route_line_picks_the_offer_in_the_beneficiarys_territory(territories):
    product = Product.objects.get(upc="tutoring-online--1")
    offer = route_line(product, territories["napoli"])
    assert offer.territory == territories["napoli"]
    assert offer.partner.code == "proodos"


def test_route_line_refuses_a_territory_that_does_not_offer_the_service(territories):
    yoga = Product.objects.get(upc="yoga-bambini-online")  # only rho has it
    with pytest.raises(NotOfferedThere, match="Sondrio"):
        route_line(yoga, territories["sondrio"])


def shop_client(upc: str):
    client = portal_client("rho")
    client.force_login(citizen())
    product = Product.objects.get(upc=upc)
    if product.is_child:
        client.post(
            f"/shop/basket/add/{product.parent_id}/", {"quantity": 1, "child_id": product.pk}
        )
    else:
        client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    basket = Basket.objects.get(owner=citizen(), status="Open")
    return client, basket.all_lines()[0]


def form_data(line, territory, **overrides) -> dict:
    data = {
        "beneficiary": "self",
        "name": "Maria Rossi",
        "relationship": "",
        "address": "Via Roma 1",
        "municipality": "Rho",
        "territory": territory.pk,
        "phone": "+39 02 000000",
        "preferred_times": "martedì mattina",
        "notes": "",
        **overrides,
    }
    return {f"line-{line.pk}-{key}": value for key, value in data.items()}


def test_the_form_asks_for_each_service_line(territories):
    client, line = shop_client("yoga-bambini-online")
    response = client.get(BOOKING_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert line.product.get_title() in html
    assert f'name="line-{line.pk}-beneficiary"' in html
    assert f'<label class="form-label fw-semibold" for="id_line-{line.pk}-name">' in html


def test_the_signed_in_citizens_name_is_filled_in_for_a_service_for_themselves(territories):
    me = citizen()
    me.first_name, me.last_name = "Maria", "Rossi"
    me.save()
    client, line = shop_client("yoga-bambini-online")
    html = client.get(BOOKING_URL).content.decode()
    assert f'name="line-{line.pk}-name" value="Maria Rossi"' in html


def test_a_good_form_is_saved_and_goes_on_to_payment(territories):
    client, line = shop_client("yoga-bambini-online")
    response = client.post(BOOKING_URL, form_data(line, territories["rho"]))
    assert response.status_code == 302
    assert response.url == reverse("checkout:payment-details")
    booking = LineBooking.objects.get(basket_line=line)
    assert (booking.name, booking.territory, booking.language) == (
        "Maria Rossi",
        territories["rho"],
        "it",
    )
    assert missing_bookings(line.basket) == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"phone": ""}, "phone"),
        ({"beneficiary": "relative", "relationship": ""}, "relationship"),
        ({"beneficiary": "neighbour"}, "beneficiary"),
    ],
)
def test_a_bad_form_shows_errors_and_saves_nothing(territories, overrides, field):
    client, line = shop_client("yoga-bambini-online")
    response = client.post(BOOKING_URL, form_data(line, territories["rho"], **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_line-{line.pk}-{field}' in html and 'class="text-danger' in html
    with translation.override("it"):
        assert gettext("Please correct the errors below: nothing was saved.") in html
    # the summary at the top, focused as the page opens, links to the field
    summary = html.split('id="booking-errors"', 1)[1].split("</div>", 1)[0]
    assert "autofocus" in summary and "Controlla questi campi" in summary
    if field != "beneficiary":  # a group of radios has no one field to link to
        assert f'href="#id_line-{line.pk}-{field}"' in summary
    assert not LineBooking.objects.exists()


def test_an_existing_booking_is_not_changed_by_a_bad_form(territories):
    client, line = shop_client("yoga-bambini-online")
    client.post(BOOKING_URL, form_data(line, territories["rho"]))
    client.post(BOOKING_URL, form_data(line, territories["rho"], name="Anna", phone=""))
    assert LineBooking.objects.get(basket_line=line).name == "Maria Rossi"


def test_a_relative_where_the_service_is_not_offered_gets_a_clear_error(territories):
    client, line = shop_client("yoga-bambini-online")
    data = form_data(line, territories["sondrio"], beneficiary="relative", relationship="madre")
    response = client.post(BOOKING_URL, data)
    assert response.status_code == 400
    assert "SondrioWelfare" in response.content.decode()
    assert not LineBooking.objects.exists()


def test_a_relative_in_another_territory_is_served_by_its_cooperative(territories):
    user = citizen()
    basket = basket_with(territories["rho"], ["tutoring-online--1"], user=user)
    book(
        basket,
        territories["napoli"],
        beneficiary="relative",
        relationship="nonna",
        municipality="Napoli",
    )
    order = place(basket, user=user)

    line = order.lines.get()
    assert line.partner.code == "proodos"
    assert line.stockrecord.territory == territories["napoli"]
    assert line.booking.relationship == "nonna"
    assert order.territory == territories["rho"]  # bought (and paid) on rho's portal
    assert order.notes.filter(message__contains=line.partner.name).exists()


def test_a_beneficiary_at_home_keeps_the_line_with_the_local_cooperative(territories):
    user = citizen()
    basket = basket_with(territories["rho"], ["tutoring-online--5"], user=user)
    book(basket, territories["rho"])
    order = place(basket, user=user)
    line = order.lines.get()
    assert line.partner.code == "stripes" and line.booking.name == "Maria Rossi"
    assert save_booking_details(order) == []  # idempotent: already tied
