"""Offers and ranges show the request's portal's services only: a range of the platform
lists on Napoli what Napoli offers, never a service only Sondrio sells."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.catalogue.scoping import offered_in
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")


def only_in(here, there):
    """A service offered in ``here`` and not in ``there``."""
    return offered_in(here).exclude(pk__in=offered_in(there).values("pk")).order_by("pk").first()


@pytest.fixture
def campaign(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    sondrio_only, napoli_only = only_in(sondrio, napoli), only_in(napoli, sondrio)
    assert sondrio_only and napoli_only
    products = Range.objects.create(name="Autunno insieme", slug="autunno", is_public=True)
    products.add_product(sondrio_only)
    products.add_product(napoli_only)
    offer = ConditionalOffer.objects.create(
        name="Sconto d'autunno",
        slug="sconto-autunno",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=products, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=products, type=Benefit.PERCENTAGE, value=10),
    )
    return offer, products, sondrio_only, napoli_only


@pytest.mark.parametrize(
    "url",
    [
        reverse("offer:list"),
        reverse("offer:detail", args=["sconto-autunno"]),
        reverse("catalogue:range", args=["autunno"]),
    ],
)
def test_offer_and_range_pages_list_only_this_portals_services(campaign, url):
    _offer, _range, sondrio_only, napoli_only = campaign
    on_napoli = portal_client("napoli").get(url)
    assert on_napoli.status_code == 200
    assert napoli_only.title in on_napoli.text
    assert sondrio_only.title not in on_napoli.text

    on_sondrio = portal_client("sondrio").get(url)
    assert on_sondrio.status_code == 200
    assert sondrio_only.title in on_sondrio.text
    assert napoli_only.title not in on_sondrio.text


def test_a_range_with_nothing_on_offer_here_is_not_found(territories):
    sondrio_only = only_in(territories["sondrio"], territories["napoli"])
    products = Range.objects.create(name="Solo Sondrio", slug="solo-sondrio", is_public=True)
    products.add_product(sondrio_only)
    url = reverse("catalogue:range", args=["solo-sondrio"])
    assert portal_client("napoli").get(url).status_code == 404
    assert portal_client("sondrio").get(url).status_code == 200
