"""Wish lists and stock alerts: a portal shows, and accepts, only the services it offers.

The person's Sondrio service never appears in Napoli's account pages nor in a shared wish
list opened on Napoli, and cannot be added there; on Sondrio it does and can.
Addresses are the person's and stay the same on every portal (not tested here: nothing of
one portal is in them); baskets and orders are per portal (their own tests).
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.catalogue.scoping import offered_in
from tests.conftest import portal_client
from tests.orders_support import citizen

pytestmark = pytest.mark.django_db
WishList = get_model("wishlists", "WishList")
ProductAlert = get_model("customer", "ProductAlert")


def only_in(here, there):
    return offered_in(here).exclude(pk__in=offered_in(there).values("pk")).order_by("pk").first()


@pytest.fixture
def saved(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    sondrio_only, napoli_only = only_in(sondrio, napoli), only_in(napoli, sondrio)
    wishlist = WishList.objects.create(owner=citizen(), name="Da regalare")
    wishlist.visibility = WishList.PUBLIC
    wishlist.save()
    wishlist.add(sondrio_only)
    wishlist.add(napoli_only)
    return wishlist, sondrio_only, napoli_only


def signed_in(slug):
    client = portal_client(slug)
    client.force_login(citizen())
    return client


@pytest.mark.parametrize("shared", [False, True], ids=["account", "shared link"])
def test_a_wish_list_shows_the_services_of_the_portal_it_is_opened_on(saved, shared):
    wishlist, sondrio_only, napoli_only = saved
    url = (
        reverse("wishlists:detail", args=[wishlist.key])
        if shared
        else reverse("customer:wishlists-detail", args=[wishlist.key])
    )
    on_napoli = signed_in("napoli").get(url)
    assert on_napoli.status_code == 200
    assert napoli_only.title in on_napoli.text
    assert sondrio_only.title not in on_napoli.text

    on_sondrio = (portal_client("sondrio") if shared else signed_in("sondrio")).get(url)
    assert on_sondrio.status_code == 200
    assert sondrio_only.title in on_sondrio.text
    assert napoli_only.title not in on_sondrio.text


def test_the_wish_lists_page_counts_this_portals_services(saved):
    wishlist, _sondrio_only, napoli_only = saved
    wishlist.lines.filter(product=napoli_only).delete()
    page = signed_in("napoli").get(reverse("customer:wishlists-list"))
    assert [w.services_here for w in page.context["wishlists"]] == [0]
    page = signed_in("sondrio").get(reverse("customer:wishlists-list"))
    assert [w.services_here for w in page.context["wishlists"]] == [1]


def test_another_portals_service_cannot_be_added_to_a_wish_list(saved):
    wishlist, sondrio_only, napoli_only = saved
    wishlist.lines.all().delete()
    napoli = signed_in("napoli")
    for url in (
        reverse("customer:wishlists-add-product", args=[sondrio_only.pk]),
        reverse("customer:wishlists-create-with-product", args=[sondrio_only.pk]),
    ):
        assert napoli.post(url, {"name": "Regali"}).status_code == 404, url
    assert not wishlist.lines.exists()
    napoli.post(reverse("customer:wishlists-add-product", args=[napoli_only.pk]))
    assert list(wishlist.lines.values_list("product", flat=True)) == [napoli_only.pk]


def test_another_portals_line_cannot_be_removed_or_moved_from_here(saved):
    wishlist, sondrio_only, _napoli_only = saved
    line = wishlist.lines.get(product=sondrio_only)
    napoli = signed_in("napoli")
    url = reverse(
        "customer:wishlists-remove-product", kwargs={"key": wishlist.key, "line_pk": line.pk}
    )
    assert napoli.post(url).status_code == 404
    assert wishlist.lines.filter(pk=line.pk).exists()
    assert signed_in("sondrio").post(url).status_code == 302
    assert not wishlist.lines.filter(pk=line.pk).exists()


def test_stock_alerts_are_listed_and_made_on_the_services_portal_only(territories, saved):
    _wishlist, sondrio_only, _napoli_only = saved
    ProductAlert.objects.create(user=citizen(), product=sondrio_only)
    napoli, sondrio = signed_in("napoli"), signed_in("sondrio")
    alerts = reverse("customer:alerts-list")
    assert sondrio_only.title not in napoli.get(alerts).text
    assert sondrio_only.title in sondrio.get(alerts).text

    create = reverse("customer:alert-create", args=[sondrio_only.pk])
    assert napoli.post(create).status_code == 404
    assert ProductAlert.objects.filter(product=sondrio_only).count() == 1


def test_reviews_open_on_the_portals_that_offer_the_service_only(saved):
    """Reviews are of the platform's shared service; a portal that does not sell it has no
    page for them, as it has no product page."""
    _wishlist, sondrio_only, _napoli_only = saved
    ProductReview = get_model("reviews", "ProductReview")
    review = ProductReview.objects.create(
        product=sondrio_only,
        user=citizen(),
        title="Molto utile",
        body="…",
        score=5,
        status=ProductReview.APPROVED,
    )
    args = {"product_slug": sondrio_only.slug, "product_pk": sondrio_only.pk}
    reviews = reverse("catalogue:reviews-list", kwargs=args)
    detail = reverse("catalogue:reviews-detail", kwargs={**args, "pk": review.pk})
    add = reverse("catalogue:reviews-add", kwargs=args)
    for url in (reviews, detail, add):
        assert signed_in("napoli").get(url).status_code == 404, url
    assert "Molto utile" in portal_client("sondrio").get(reviews).text
    assert "Molto utile" in portal_client("sondrio").get(detail).text
