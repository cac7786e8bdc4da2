"""Service pages: the story of a service with the live price and basket of its territory."""

import re
from urllib.parse import urlparse

import pytest
from django.utils import translation
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from portal.content.models import ServiceIndexPage, ServicePage
from shop.catalogue.scoping import offered_in
from tests.conftest import portal_client
from tests.editorial import add_service_page, offered_product, service_index

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def path_of(page) -> str:
    return urlparse(page.full_url).path


def price_text(territory, product) -> str:
    price = min(s.price for s in StockRecord.objects.filter(territory=territory, product=product))
    with translation.override("it"):
        return currency(price, "EUR")


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # italia and borgo themes
def test_a_service_page_shows_its_territorys_price_and_basket(territories, slug):
    territory = territories[slug]
    product = offered_product(territory)
    page = add_service_page(territory, product)

    response = portal_client(slug).get(path_of(page))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Una storia di servizio</h1>" in html and "Come è andata" in html
    assert price_text(territory, product) in html
    assert f'action="/shop/basket/add/{product.pk}/"' in html


def test_the_same_service_shows_each_territorys_own_price(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    product = offered_in(sondrio).filter(pk__in=offered_in(rho).values("pk")).first()
    assert product is not None, "the specs offer some service both in Sondrio and Rho"
    StockRecord.objects.filter(territory=sondrio, product=product).update(price="11.00")
    StockRecord.objects.filter(territory=rho, product=product).update(price="22.00")
    sondrio_html = portal_client("sondrio").get(path_of(add_service_page(sondrio, product)))
    rho_html = portal_client("rho").get(path_of(add_service_page(rho, product)))
    assert "11,00" in sondrio_html.content.decode() and "22,00" not in sondrio_html.content.decode()
    assert "22,00" in rho_html.content.decode() and "11,00" not in rho_html.content.decode()


def test_add_to_basket_from_a_service_page(territories):
    sondrio = territories["sondrio"]
    product = offered_product(sondrio)
    page = add_service_page(sondrio, product)
    client = portal_client("sondrio")
    html = client.get(path_of(page)).content.decode()
    action = re.search(r'<form action="([^"]+)" method="post" class="add-to-basket', html).group(1)

    response = client.post(action, {"quantity": 1})
    assert response.status_code == 302
    basket = client.get("/shop/basket/").content.decode()
    assert product.get_title() in basket


def test_a_service_not_offered_here_cannot_be_bought(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    product = offered_product(sondrio, not_in=rho)
    page = add_service_page(rho, product)  # an editor linked a service Rho does not sell

    html = portal_client("rho").get(path_of(page)).content.decode()
    assert "add-to-basket" not in html
    assert price_text(sondrio, product) not in html
    assert "This service is not offered in this territory" in html or "non è offerto" in html


def test_the_admin_offers_only_the_territorys_services(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    form_class = ServicePage.get_edit_handler().get_form_class()
    form = form_class(instance=ServicePage(), parent_page=service_index(rho), for_user=None)
    choices = set(form.fields["product"].queryset.values_list("pk", flat=True))
    assert offered_product(rho).pk in choices
    assert offered_product(sondrio, not_in=rho).pk not in choices


def test_service_pages_live_only_under_the_services_index():
    assert ServicePage.allowed_parent_page_models() == [ServiceIndexPage]
    assert ServicePage in ServiceIndexPage.allowed_subpage_models()


def test_the_services_index_lists_the_service_stories(territories):
    sondrio = territories["sondrio"]
    add_service_page(sondrio, offered_product(sondrio), title="Tutoring: un anno dopo")
    html = portal_client("sondrio").get(path_of(service_index(sondrio))).content.decode()
    assert "Tutoring: un anno dopo" in html
