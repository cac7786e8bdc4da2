"""Fragments kept between requests ({% portalcache %}: header, footer, a page's content) and
the remembered route of a path show editors' changes on the very next request, and never one
portal's, language's or theme's on another: each dimension of the key is tested on its own,
so that dropping it from the key fails here."""

import time

import pytest
from django.core.cache import cache
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from django.utils import translation
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction

from portal.territories import generations
from portal.territories.models import PortalSettings, TerritoryHost
from portal.territories.themes import use_theme
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
    cache.set(f"{generations.GENERATION_KEY}:{territory.pk}", "set-by-another-worker", timeout=None)


def test_a_change_made_by_another_worker_shows_at_once(territories):
    """Each process keeps the chrome in memory too; the shared generation still decides."""
    client = portal_client("rho")
    assert "02 9999 0000" not in client.get("/shop/catalogue/").content.decode()
    _phone_saved_elsewhere(territories["rho"], "02 9999 0000")

    assert "02 9999 0000" in client.get("/shop/catalogue/").content.decode()


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


FRAGMENT = engines["django"].from_string(
    '{% load portal_cache %}{% portalcache "test" extra when=keep %}{{ value }}{% endportalcache %}'
)


def render(request, value: str, *, extra: str = "", keep: bool = True) -> str:
    return FRAGMENT.render({"value": value, "extra": extra, "keep": keep}, request)


def request_for(territory, host: str | None = None, path: str = "/", secure: bool = False):
    hostname = host or territory.hosts.first().hostname
    request = RequestFactory().get(path, HTTP_HOST=hostname, secure=secure)
    request.territory = territory
    return request


def test_a_kept_fragment_is_shown_again(territories):
    request = request_for(territories["sondrio"])
    assert render(request, "first") == "first"
    assert render(request, "second") == "first"


# each dimension of every fragment's key: a change in it alone renders the fragment afresh
def test_a_fragment_is_kept_per_portal(territories):
    assert render(request_for(territories["sondrio"]), "sondrio") == "sondrio"
    assert render(request_for(territories["rho"]), "rho") == "rho"


def test_a_fragment_is_kept_per_language(territories):
    request = request_for(territories["sondrio"])
    with translation.override("it"):
        assert render(request, "italiano") == "italiano"
    with translation.override("en"):
        assert render(request, "english") == "english"


def test_a_fragment_is_kept_per_theme(territories):
    request = request_for(territories["sondrio"])
    with use_theme("italia"):
        assert render(request, "italia") == "italia"
    with use_theme("borgo"):
        assert render(request, "borgo") == "borgo"


def test_a_fragment_is_kept_per_generation(territories):
    request = request_for(territories["sondrio"])
    assert render(request, "before") == "before"
    generations.invalidate(territories["sondrio"].pk)
    assert render(request, "after") == "after"
    generations.invalidate(None)  # the shared catalogue changed
    assert render(request, "shared") == "shared"


def test_a_fragment_is_kept_per_host_and_scheme(territories):
    sondrio = territories["sondrio"]
    TerritoryHost.objects.create(territory=sondrio, hostname="welfare.valtellina.example")
    assert render(request_for(sondrio), "first host") == "first host"
    assert render(request_for(sondrio, "welfare.valtellina.example"), "second") == "second"
    assert render(request_for(sondrio, secure=True), "https") == "https"


def test_a_fragment_is_kept_per_what_it_names(territories):
    request = request_for(territories["sondrio"])
    assert render(request, "page 1", extra="1") == "page 1"
    assert render(request, "page 2", extra="2") == "page 2"


def test_a_fragment_never_keys_on_the_query_string(territories):
    render(request_for(territories["sondrio"], path="/?q=first"), "kept")
    entries = len(cache._cache)
    for words in ("yoga", "pilates", "x" * 40):
        assert render(request_for(territories["sondrio"], path=f"/?q={words}"), words) == "kept"
    assert len(cache._cache) == entries


def test_a_fragment_with_when_false_is_rendered_every_time(territories):
    request = request_for(territories["sondrio"])
    assert render(request, "a form", keep=False) == "a form"
    assert render(request, "another", keep=False) == "another"


def test_a_fragment_is_rendered_afresh_in_a_preview(territories):
    request = request_for(territories["sondrio"])
    render(request, "published")
    request.is_preview = True
    assert render(request, "draft") == "draft"


def test_a_fragment_expires(territories, settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 1
    request = request_for(territories["sondrio"])
    render(request, "old")
    time.sleep(1.1)
    assert render(request, "new") == "new"


def test_fragments_are_off_at_zero_seconds(territories, settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    request = request_for(territories["sondrio"])
    render(request, "one")
    assert render(request, "two") == "two"


def test_fragments_are_rendered_afresh_outside_a_request(db):
    assert FRAGMENT.render({"value": "0342 1", "keep": True}) == "0342 1"
    assert FRAGMENT.render({"value": "0342 2", "keep": True}) == "0342 2"


@pytest.mark.parametrize("tag", ["{% portalcache %}", "{% portalcache footer %}"])
def test_a_fragment_needs_a_quoted_name(tag):
    with pytest.raises(TemplateSyntaxError, match="a quoted name first"):
        engines["django"].from_string("{% load portal_cache %}" + tag + "x{% endportalcache %}")


def test_the_language_switcher_links_this_shop_address_with_its_query(territories):
    """The switcher is outside the header's fragments: its links follow the address."""
    client = portal_client("sondrio")
    client.get("/shop/catalogue/?page=1")
    html = client.get("/shop/catalogue/?page=2").content.decode()
    assert 'href="/en/shop/catalogue/?page=2"' in html


# the remembered route of a path (portal/content/routing.py); a cookie takes the requests
# past the whole-page cache, as a visitor with a session
def routes_kept() -> int:
    return sum(1 for key in cache._cache if ":portal:route:" in key)


def test_the_route_of_a_path_is_remembered_and_costs_no_query(
    territories, django_assert_num_queries
):
    client = portal_client("sondrio")
    assert client.get("/chi-siamo/", HTTP_COOKIE="x=1").status_code == 200
    assert routes_kept() == 1
    with django_assert_num_queries(0):  # the route, the page and its fragments: all kept
        assert client.get("/chi-siamo/", HTTP_COOKIE="x=1").status_code == 200


def test_the_same_path_is_another_page_on_another_portal_and_in_another_language(territories):
    sondrio = portal_client("sondrio").get("/", HTTP_COOKIE="x=1").content.decode()
    rho = portal_client("rho").get("/", HTTP_COOKIE="x=1").content.decode()
    english = portal_client("sondrio").get("/en/", HTTP_COOKIE="x=1").content.decode()
    assert "SondrioWelfare" in sondrio and "RhoWelfare" in rho
    assert '<html lang="it"' in sondrio and '<html lang="en"' in english
    assert routes_kept() == 3


def test_a_path_that_answers_404_is_not_remembered(territories):
    client = portal_client("sondrio")
    for n in range(5):
        assert client.get(f"/non-esiste-{n}/", HTTP_COOKIE="x=1").status_code == 404
    assert routes_kept() == 0


def test_an_unpublished_page_is_no_longer_served_from_its_remembered_route(territories):
    client = portal_client("sondrio")
    assert client.get("/chi-siamo/", HTTP_COOKIE="x=1").status_code == 200
    home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    home.get_children().get(slug="chi-siamo").specific.unpublish()
    assert client.get("/chi-siamo/", HTTP_COOKIE="x=1").status_code == 404


def test_a_view_restriction_applies_at_once_to_a_remembered_route(territories):
    client = portal_client("sondrio")
    assert client.get("/chi-siamo/", HTTP_COOKIE="x=1").status_code == 200
    home = Page.objects.get(pk=territories["sondrio"].site.root_page_id)
    page = home.get_children().get(slug="chi-siamo")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/chi-siamo/", HTTP_COOKIE="x=1")
    assert response.status_code == 302 and "login" in response["Location"]


def test_whether_a_body_can_be_kept_is_told_without_reading_its_images(territories):
    """``keepable`` looks at each block's type only: a body with an image and a call to action
    (to a page) costs no query, so that a page served from its kept fragments reads neither;
    a newsletter form in the body still makes it rendered every time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.images.models import Image

    from portal.content.blocks import BodyBlock
    from portal.territories.templatetags.portal_cache import keepable

    image = Image.objects.first()
    raw = [
        {"type": "image", "value": {"image": image.pk if image else 1}, "id": "a"},
        {"type": "call_to_action", "value": {"title": "Vai", "link_page": 1}, "id": "b"},
    ]
    stream = BodyBlock().to_python(raw)
    with CaptureQueriesContext(connection) as queries:
        assert keepable(stream) is True
    assert queries.captured_queries == []

    with_form = BodyBlock().to_python([*raw, {"type": "newsletter", "value": {}, "id": "c"}])
    with CaptureQueriesContext(connection) as queries:
        assert keepable(with_form) is False
    assert queries.captured_queries == []
