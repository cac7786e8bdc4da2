"""What the product page keeps between requests (the product with this portal's offers,
shop/catalogue/views.py) and the shop bar's kept "Dashboard" link (shop/dashboard/access.py):
each is this portal's, and each change shows on the very next page."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from oscar.core.loading import get_model

from shop.dashboard.orders.access import dashboard_access
from tests.conftest import portal_client
from tests.orders_support import citizen

pytestmark = pytest.mark.django_db
Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
DASHBOARD = 'href="/shop/dashboard/"'  # the shop bar's link


def path_of(product) -> str:
    with translation.override("it"):
        return product.get_absolute_url()


def only_in(territory):
    """A service offered in ``territory`` and in no other portal."""
    offers = StockRecord.objects.filter(territory=territory, product__structure="standalone")
    for offer in offers.select_related("product"):
        if not StockRecord.objects.filter(product=offer.product).exclude(territory=territory):
            return offer.product
    offer = offers.first()
    StockRecord.objects.filter(product=offer.product).exclude(territory=territory).delete()
    return offer.product


def test_a_service_seen_in_one_portal_is_not_found_in_another(territories):
    product = only_in(territories["sondrio"])
    assert portal_client("sondrio").get(path_of(product)).status_code == 200

    # the product kept for Sondrio is not Napoli's
    assert portal_client("napoli").get(path_of(product)).status_code == 404


def test_a_withdrawn_offer_is_not_found_at_once(territories):
    sondrio = territories["sondrio"]
    product = only_in(sondrio)
    client = portal_client("sondrio")
    assert client.get(path_of(product)).status_code == 200
    offer = StockRecord.objects.get(product=product, territory=sondrio)
    offer.available = False
    offer.save()

    assert client.get(path_of(product)).status_code == 404


def test_an_option_given_to_a_service_shows_in_its_form_at_once(territories):
    product = only_in(territories["sondrio"])
    option = Option.objects.create(name="Giorno preferito", code="giorno-preferito")
    client = portal_client("sondrio")
    assert "Giorno preferito" not in client.get(path_of(product)).content.decode()
    product.product_options.add(option)  # no save of the product: the relation alone

    html = client.get(path_of(product)).content.decode()
    assert "Giorno preferito" in html


def test_the_dashboard_link_follows_a_persons_groups_at_once(territories):
    person = citizen()
    client = portal_client("sondrio")
    client.force_login(person)
    catalogue = "/shop/catalogue/"
    assert DASHBOARD not in client.get(catalogue).content.decode()
    assert DASHBOARD not in client.get(catalogue).content.decode()  # kept: still no

    staff = Group.objects.create(name="Cooperativa di prova")
    staff.permissions.add(dashboard_access())
    person.groups.add(staff)
    assert DASHBOARD in client.get(catalogue).content.decode()

    person.groups.remove(staff)
    assert DASHBOARD not in client.get(catalogue).content.decode()

    person.user_permissions.add(dashboard_access())
    assert DASHBOARD in client.get(catalogue).content.decode()


def test_a_kept_dashboard_answer_is_one_persons(territories):
    member, other = citizen(), citizen("luca.bianchi@example.it")
    member.user_permissions.add(dashboard_access())
    for person, shown in ((member, True), (other, False), (member, True)):
        client = portal_client("sondrio")
        client.force_login(person)
        assert (DASHBOARD in client.get("/shop/catalogue/").content.decode()) is shown


Category = get_model("catalogue", "Category")


def category_path(category) -> str:
    with translation.override("it"):
        return category.get_absolute_url()


def test_a_category_renamed_or_hidden_shows_on_its_page_at_once(territories):
    """The category page keeps its category between requests: a new name shows on the next
    page, and a category made private is not found on the next page."""
    product = only_in(territories["sondrio"])
    category = product.get_categories().first()
    client = portal_client("sondrio")
    path = category_path(category)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # served again from what was kept

    category.name = "Educazione e crescita"
    category.save()
    html = client.get(path).content.decode()
    assert "<h1" in html and "Educazione e crescita" in html

    category.is_public = False
    category.save()
    assert client.get(path).status_code == 404
