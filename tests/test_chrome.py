"""The cached chrome (header, menus, footer) shows editors' changes on the very next request,
and never one portal's chrome on another."""

import pytest
from wagtail.models import Page

from portal.territories.models import PortalSettings, TerritoryHost
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db


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
