"""My family members: kept in the account, only by their owner, offered at the booking step."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shop.booking.models import LineBooking
from shop.customer.models import FamilyMember
from shop.partner.strategy import TerritoryStrategy
from tests.conftest import page_queries, portal_client
from tests.orders_support import citizen, place
from tests.test_booking import BOOKING_URL, form_data, shop_client

pytestmark = pytest.mark.django_db
LIST = "/shop/accounts/family/"


def member(owner, territory, **fields) -> FamilyMember:
    data = {"name": "Giulia Bianchi", "relationship": FamilyMember.MOTHER, **fields}
    return FamilyMember.objects.create(owner=owner, territory=territory, **data)


def signed_in(slug="rho", email="maria.rossi@example.it"):
    client = portal_client(slug)
    client.force_login(citizen(email))
    return client


def test_the_list_shows_only_my_family_members_and_is_linked_from_the_account(territories):
    member(citizen(), territories["sondrio"], name="Giulia Bianchi")
    member(citizen("someone.else@example.it"), territories["napoli"], name="Zeno Altrui")
    html = signed_in().get(LIST).content.decode()
    assert "Giulia Bianchi" in html and "Sondrio" in html
    assert "Zeno Altrui" not in html
    assert f'href="{LIST}"' in html  # the account tab
    assert portal_client("rho").get(LIST).status_code == 302  # sign in first


def test_the_list_in_english_and_german(territories):
    member(citizen(), territories["sondrio"])
    client = signed_in("sondrio")
    assert "Mother" in client.get(f"/en{LIST}").content.decode()
    assert "Mutter" in client.get(f"/de{LIST}").content.decode()
    assert "Madre" in client.get(LIST).content.decode()


def test_adding_a_family_member(territories):
    client = signed_in()
    response = client.post(
        f"{LIST}add/",
        {
            "name": "Giulia Bianchi",
            "relationship": "mother",
            "territory": territories["sondrio"].pk,
        },
    )
    assert response.status_code == 302 and response.url == LIST
    saved = FamilyMember.objects.get()
    assert (saved.owner, saved.territory, saved.relationship) == (
        citizen(),
        territories["sondrio"],
        "mother",
    )
    assert "Giulia Bianchi" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"relationship": "neighbour"}, "relationship"),
        ({"territory": 0}, "territory"),
    ],
)
def test_a_bad_family_member_shows_the_error_and_saves_nothing(territories, overrides, field):
    data = {"name": "Giulia", "relationship": "mother", "territory": territories["sondrio"].pk}
    response = signed_in().post(f"{LIST}add/", {**data, **overrides})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    with translation.override("it"):
        assert gettext("Please correct the errors below: nothing was saved.") in html
    assert not FamilyMember.objects.exists()


def test_changing_and_removing_my_family_member(territories):
    mine = member(citizen(), territories["sondrio"])
    client = signed_in()
    data = {
        "name": "Giulia Bianchi",
        "relationship": "mother",
        "territory": territories["napoli"].pk,
    }
    assert client.post(f"{LIST}{mine.pk}/", data).status_code == 302
    mine.refresh_from_db()
    assert mine.territory == territories["napoli"]
    assert client.get(f"{LIST}{mine.pk}/delete/").status_code == 200  # asks first
    assert FamilyMember.objects.filter(pk=mine.pk).exists()
    assert client.post(f"{LIST}{mine.pk}/delete/").status_code == 302
    assert not FamilyMember.objects.exists()
    assert client.post(f"{LIST}{mine.pk}/delete/").status_code == 404  # a second time: nothing


def test_another_persons_family_member_is_a_404_and_unchanged(territories):
    theirs = member(citizen("someone.else@example.it"), territories["napoli"], name="Zeno")
    client = signed_in()
    data = {"name": "Mine now", "relationship": "mother", "territory": territories["rho"].pk}
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/", data).status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.territory) == ("Zeno", territories["napoli"])


def test_the_list_page_queries(territories):
    for i in range(5):
        member(citizen(), territories["sondrio"], name=f"Parente {i}")
    cold, warm, html = page_queries(signed_in(), LIST)
    assert "Parente 4" in html
    # the same for 5 as for 1: the territories come with the members (select_related); served
    # again, the mini basket of a citizen with an empty basket and the dashboard link are kept
    assert (cold, warm) == (8, 3), (cold, warm)


def test_the_booking_step_offers_my_family_members(territories):
    client, line = shop_client("tutoring-online--1")
    member(citizen(), territories["napoli"], name="Nonna Lucia", relationship="grandparent")
    member(citizen("someone.else@example.it"), territories["napoli"], name="Zeno Altrui")
    html = client.get(BOOKING_URL).content.decode()
    assert f'name="line-{line.pk}-family_member"' in html
    assert "Nonna Lucia" in html and "Zeno Altrui" not in html


def test_choosing_a_family_member_books_for_them_and_routes_to_their_territory(territories):
    client, line = shop_client("tutoring-online--1")
    nonna = member(
        citizen(),
        territories["napoli"],
        name="Nonna Lucia",
        relationship="grandparent",
        address="Via Toledo 5",
        municipality="Napoli",
    )
    # the form still says "myself" in Rho, the buyer's own name and no address: the member wins
    data = form_data(line, territories["rho"], address="", municipality="", family_member=nonna.pk)
    response = client.post(BOOKING_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    booking = LineBooking.objects.get(basket_line=line)
    assert (booking.beneficiary, booking.name, booking.territory, booking.address) == (
        LineBooking.RELATIVE,
        "Nonna Lucia",
        territories["napoli"],
        "Via Toledo 5",
    )
    with translation.override("it"):
        assert booking.relationship == "Nonno o nonna"
    basket = line.basket
    basket.strategy = TerritoryStrategy(territory=territories["rho"])
    order = place(basket, user=citizen())
    assert order.lines.get().partner.code == "proodos"  # Napoli's cooperative


def test_a_family_member_where_the_service_is_not_offered_is_told_clearly(territories):
    client, line = shop_client("yoga-bambini-online")  # only rho has it
    away = member(citizen(), territories["sondrio"])
    response = client.post(BOOKING_URL, form_data(line, territories["rho"], family_member=away.pk))
    assert response.status_code == 400
    assert "Sondrio" in response.content.decode()
    assert not LineBooking.objects.exists()


def test_another_persons_family_member_cannot_be_chosen(territories):
    client, line = shop_client("tutoring-online--1")
    member(citizen(), territories["rho"])  # so that the field is offered
    theirs = member(citizen("someone.else@example.it"), territories["napoli"], name="Zeno")
    response = client.post(
        BOOKING_URL, form_data(line, territories["rho"], family_member=theirs.pk)
    )
    assert response.status_code == 400
    assert not LineBooking.objects.exists()


def test_the_demo_employee_has_a_mother_in_sondrio_once(territories):
    from portal.territories.demo import ensure_user
    from shop.customer.demo import EMPLOYEE, load_family_members

    assert load_family_members(ensure_user) == 1
    assert load_family_members(ensure_user) == 1  # re-runnable
    mother = FamilyMember.objects.get(owner__email=EMPLOYEE)
    assert (mother.relationship, mother.territory) == ("mother", territories["sondrio"])
    client = portal_client("padova")
    assert client.login(username=EMPLOYEE, password="demo")
    assert "Rosa Ferrari" in client.get(LIST).content.decode()
