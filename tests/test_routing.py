"""Each host serves its own portal; an unknown host is a 404, never another portal."""

import re

import pytest

from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
NAMES = {
    "sondrio": "SondrioWelfare",
    "napoli": "NapoliWelfare",
    "rho": "RhoWelfare",
    "cremona": "welfareXcremona",
    "padova": "Welfare Bene Comune",
}


@pytest.mark.parametrize("slug", NAMES)
def test_each_host_serves_its_own_home(slug):
    response = portal_client(slug).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert NAMES[slug] in title
    for other, name in NAMES.items():
        if other != slug:
            assert name not in html


def test_a_production_host_name_serves_its_portal(client):
    response = client.get("/", HTTP_HOST="www.sondriowelfare.it")
    assert response.status_code == 200
    assert "SondrioWelfare" in response.content.decode()


@pytest.mark.parametrize(
    "host", ["lecco.localhost", "www.example.org", "sondrio.localhost.evil.it"]
)
def test_an_unknown_host_is_a_404(client, host):
    for path in ("/", "/chi-siamo/", "/shop/catalogue/"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 404, path
        assert "SondrioWelfare" not in response.content.decode()


def test_a_language_the_portal_does_not_offer_is_a_404():
    assert portal_client("sondrio").get("/de/").status_code == 200
    assert portal_client("napoli").get("/de/").status_code == 404
    assert portal_client("napoli").get("/en/").status_code == 200


def test_the_hub_host_lists_every_portal(client):
    assert client.get("/", HTTP_HOST="localhost").url == "/portals/"
    response = client.get("/portals/", HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    for slug, name in NAMES.items():
        assert name in html and f"http://{slug}.localhost" in html


def test_an_unknown_host_404_is_in_italian(client):
    portal_client("napoli").get("/en/")  # leave English active on this thread
    response = client.get("/", HTTP_HOST="nowhere.localhost")
    assert response.status_code == 404
    assert '<html lang="it"' in response.content.decode()


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # the italia theme and the borgo theme
def test_every_page_of_a_portal_renders_in_every_language(territories, slug):
    from wagtail.models import Page

    home = territories[slug].site.root_page
    pages = Page.objects.live().filter(
        translation_key__in=Page.objects.descendant_of(home, inclusive=True).values(
            "translation_key"
        )
    )
    client = portal_client(slug)
    urls = [page.get_url() for page in pages]
    assert len(urls) == 9 * len(territories[slug].languages)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url
