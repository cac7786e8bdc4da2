"""Anonymous readers get whole pages from the cache; nobody gets a page that is stale or not
theirs."""

import pytest
from django.test import Client
from wagtail.models import Page

from tests.conftest import portal_client
from tests.editorial import add_form_page
from tests.test_forms import contacts_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60


def fresh(slug: str = "sondrio") -> Client:
    """A visitor with no cookies (the test client keeps cookies between requests)."""
    return portal_client(slug)


def test_an_anonymous_reader_gets_the_home_from_the_cache(django_assert_num_queries):
    first = fresh().get("/")
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = fresh().get("/")
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content


def test_a_published_change_is_served_at_once(territories):
    fresh().get("/chi-siamo/")
    home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    about = home.get_children().get(slug="chi-siamo").specific
    about.title = "La nostra rete"
    about.save_revision().publish()

    response = fresh().get("/chi-siamo/")
    assert response["X-Portal-Cache"] == "miss"
    assert "La nostra rete" in response.content.decode()


def test_each_host_and_language_has_its_own_page():
    sondrio = fresh("sondrio").get("/").content.decode()
    rho = fresh("rho").get("/").content.decode()
    english = fresh("sondrio").get("/en/").content.decode()
    assert "SondrioWelfare" in sondrio and "RhoWelfare" not in sondrio
    assert "RhoWelfare" in rho and "SondrioWelfare" not in rho
    assert '<html lang="en"' in english


def test_signed_in_visitors_and_visitors_with_cookies_are_never_served_from_the_cache(
    django_user_model,
):
    fresh().get("/")
    user = django_user_model.objects.create_user("lucia", "lucia@example.it", "x")
    signed_in = fresh()
    signed_in.force_login(user)
    assert "X-Portal-Cache" not in signed_in.get("/")
    with_basket = fresh()
    with_basket.cookies["oscar_open_basket"] = "1:abc"
    assert "X-Portal-Cache" not in with_basket.get("/")


def test_pages_with_a_form_and_the_shop_are_not_cached(territories):
    for path in ("/shop/catalogue/", "/search/?q=studio"):
        fresh().get(path)
        assert "X-Portal-Cache" not in fresh().get(path)
    form = add_form_page(contacts_page(territories["sondrio"]))
    path = form.get_url()
    first = fresh().get(path)
    assert first.status_code == 200
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Portal-Cache" not in first  # the CSRF cookie is set: a page for one visitor
    assert "X-Portal-Cache" not in fresh().get(path)


def test_a_publish_in_one_portal_leaves_the_other_portals_pages_cached(territories):
    """Each portal has its own generation: an editor in Rho does not empty Sondrio's cache."""
    fresh("sondrio").get("/chi-siamo/")
    fresh("rho").get("/")
    rho_home = Page.objects.get(pk=territories["rho"].site.root_page_id)
    about = rho_home.get_children().live().first().specific
    about.title = "Chi siamo a Rho"
    about.save_revision().publish()

    assert fresh("sondrio").get("/chi-siamo/")["X-Portal-Cache"] == "hit"
    rho = fresh("rho").get("/")
    assert rho["X-Portal-Cache"] == "miss" and "Chi siamo a Rho" in rho.content.decode()


def test_an_offer_changes_its_portal_a_shared_product_every_portal(territories):
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    Product = get_model("catalogue", "Product")
    for slug in ("sondrio", "rho"):
        fresh(slug).get("/")
    offer = StockRecord.objects.filter(territory=territories["rho"]).first()
    offer.price += 1
    offer.save()  # Rho's price: Rho's home (featured services) is stale, Sondrio's is not
    assert fresh("sondrio").get("/")["X-Portal-Cache"] == "hit"
    assert fresh("rho").get("/")["X-Portal-Cache"] == "miss"

    product = Product.objects.filter(parent=None).first()
    product.title = product.title + " (nuovo)"
    product.save()  # the shared catalogue: every portal
    assert fresh("sondrio").get("/")["X-Portal-Cache"] == "miss"
    assert fresh("rho").get("/")["X-Portal-Cache"] == "miss"


def test_moving_a_page_to_another_portal_refreshes_both(territories):
    sondrio_home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    rho_home = Page.objects.get(pk=territories["rho"].site.root_page_id)
    about = sondrio_home.get_children().get(slug="chi-siamo").specific
    about.slug = "chi-siamo-sondrio"  # Rho has a "chi-siamo" of its own
    about.save_revision().publish()
    assert 'href="/chi-siamo-sondrio/"' in fresh("sondrio").get("/").content.decode()
    assert fresh("rho").get("/")["X-Portal-Cache"] == "miss"  # both cached now

    Page.objects.get(pk=about.pk).move(rho_home, pos="last-child")

    sondrio = fresh("sondrio").get("/")
    assert sondrio["X-Portal-Cache"] == "miss"
    assert 'href="/chi-siamo-sondrio/"' not in sondrio.content.decode()
    rho = fresh("rho").get("/")
    assert rho["X-Portal-Cache"] == "miss" and 'href="/chi-siamo-sondrio/"' in rho.content.decode()
