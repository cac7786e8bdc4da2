"""The cached chrome (header, menus, footer) shows editors' changes on the very next request,
and never one portal's chrome on another."""

import time

import pytest
from django.core.cache import cache
from django.template import TemplateSyntaxError, engines
from oscar.core.loading import get_model
from wagtail.models import Page

from portal.territories import chrome
from portal.territories.models import PortalSettings, TerritoryHost
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")


def test_a_published_title_shows_in_the_menu_at_once(territories):
    client = portal_client("sondrio")
    assert "Chi siamo" in client.get("/").content.decode()  # cached now
    home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    about = home.get_children().get(slug="chi-siamo").specific
    about.title = "La nostra rete"
    about.save_revision().publish()

    html = client.get("/").content.decode()
    assert "La nostra rete" in html
    assert "Chi siamo" not in html


def test_an_unpublished_page_leaves_the_menu(territories):
    client = portal_client("sondrio")
    assert 'href="/chi-siamo/"' in client.get("/").content.decode()
    home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    home.get_children().get(slug="chi-siamo").specific.unpublish()

    assert 'href="/chi-siamo/"' not in client.get("/").content.decode()


def test_saved_contacts_show_in_the_footer_at_once(territories):
    client = portal_client("rho")
    client.get("/")
    settings = PortalSettings.for_site(territories["rho"].site)
    settings.phone = "02 1234 5678"
    settings.save()

    assert "02 1234 5678" in client.get("/").content.decode()


def test_the_chrome_is_cached_per_portal_and_per_language(territories):
    sondrio = portal_client("sondrio").get("/").content.decode()
    rho = portal_client("rho").get("/").content.decode()
    english = portal_client("sondrio").get("/en/").content.decode()

    assert "SondrioWelfare" in sondrio and "RhoWelfare" not in sondrio
    assert "RhoWelfare" in rho and "SondrioWelfare" not in rho
    assert 'href="/en/' in english  # the English menu, not the cached Italian one
    assert 'href="/chi-siamo/"' not in english


def test_a_new_host_name_answers_at_once(territories):
    client = portal_client("sondrio")
    assert client.get("/", HTTP_HOST="welfare.valtellina.example").status_code == 404
    TerritoryHost.objects.create(
        territory=territories["sondrio"], hostname="welfare.valtellina.example"
    )

    response = client.get("/", HTTP_HOST="welfare.valtellina.example")
    assert response.status_code == 200
    assert "SondrioWelfare" in response.content.decode()


def _phone_saved_elsewhere(territory, phone: str) -> None:
    """What another worker's save leaves here: the row changed in the database and a new
    generation token in the shared cache (its signal ran there, not here)."""
    PortalSettings.objects.filter(site=territory.site).update(phone=phone)
    cache.set(f"{chrome.GENERATION_KEY}:{territory.pk}", "set-by-another-worker", timeout=None)


def test_a_change_made_by_another_worker_shows_at_once(territories):
    """Each process keeps the chrome in memory too; the shared generation still decides."""
    client = portal_client("rho")
    assert "02 9999 0000" not in client.get("/shop/catalogue/").content.decode()
    _phone_saved_elsewhere(territories["rho"], "02 9999 0000")

    assert "02 9999 0000" in client.get("/shop/catalogue/").content.decode()


def test_the_chrome_kept_in_memory_expires_with_the_shared_cache(territories, settings):
    settings.PORTAL_CHROME_CACHE_SECONDS = 1
    client = portal_client("rho")
    client.get("/shop/catalogue/")
    # a change no signal announced (a script, a restore): the chrome shows it when it expires
    PortalSettings.objects.filter(site=territories["rho"].site).update(phone="02 8888 0000")
    assert "02 8888 0000" not in client.get("/shop/catalogue/").content.decode()
    time.sleep(1.1)

    assert "02 8888 0000" in client.get("/shop/catalogue/").content.decode()


def test_chrome_fragments_are_rendered_afresh_outside_a_request(db):
    template = engines["django"].from_string(
        '{% load portal_chrome %}{% chrome "footer" %}{{ phone }}{% endchrome %}'
    )
    assert template.render({"phone": "0342 1"}) == "0342 1"
    assert template.render({"phone": "0342 2"}) == "0342 2"


@pytest.mark.parametrize(
    "tag", ["{% chrome %}", "{% chrome footer %}", '{% chrome "a" "b" %}', "{% chrome 'a\" %}"]
)
def test_a_chrome_fragment_needs_one_quoted_name(tag):
    with pytest.raises(TemplateSyntaxError, match="one quoted name"):
        engines["django"].from_string("{% load portal_chrome %}" + tag + "x{% endchrome %}")


def title_of(html: str) -> str:
    return html.split("<title>")[1].split("</title>")[0]


def test_a_listings_kept_head_follows_its_address_and_a_renamed_category(territories):
    client = portal_client("rho")
    category = Category.objects.filter(depth=1).first()
    assert category.name in title_of(client.get(category.get_absolute_url()).content.decode())

    category.name = "Benessere per tutti"
    category.save()
    assert title_of(client.get(category.get_absolute_url()).content.decode()).startswith(
        "Benessere per tutti | "
    )

    yoga = title_of(client.get("/shop/search/?q=yoga").content.decode())
    pilates = title_of(client.get("/shop/search/?q=pilates").content.decode())
    assert "yoga" in yoga and "pilates" in pilates
