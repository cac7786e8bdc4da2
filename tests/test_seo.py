"""Sitemaps, robots.txt, canonical, hreflang and OpenGraph tags: each portal its own."""

from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest

from tests.conftest import portal_client
from tests.editorial import add_article, news_index, offered_product

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(slug: str) -> list[str]:
    response = portal_client(slug).get("/sitemap.xml")
    assert response.status_code == 200
    return [loc.text for loc in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_each_sitemap_lists_only_its_portal(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    add_article(news_index(sondrio), "Notizia per la mappa")
    sondrio_urls, rho_urls = sitemap_urls("sondrio"), sitemap_urls("rho")

    assert {urlparse(u).hostname for u in sondrio_urls} == {"sondrio.localhost"}
    assert {urlparse(u).hostname for u in rho_urls} == {"rho.localhost"}
    paths = {urlparse(u).path for u in sondrio_urls}
    assert {"/", "/en/", "/de/", "/notizie/notizia-per-la-mappa/"} <= paths
    assert "/notizie/notizia-per-la-mappa/" not in {urlparse(u).path for u in rho_urls}
    # the territory's services, and only those
    only_sondrio = offered_product(sondrio, not_in=rho)
    assert only_sondrio.get_absolute_url() in paths
    assert only_sondrio.get_absolute_url() not in {urlparse(u).path for u in rho_urls}


def test_robots_txt_points_to_the_hosts_sitemap(territories):
    response = portal_client("rho").get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://rho.localhost/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /en/shop/checkout/" in text
    assert "Disallow: /de/" not in text  # Rho is in Italian and English only


def test_no_sitemap_on_a_host_without_portal(db):
    from django.test import Client

    assert Client(HTTP_HOST="localhost").get("/sitemap.xml").status_code == 404
    assert Client(HTTP_HOST="localhost").get("/robots.txt").status_code == 404


def test_canonical_and_hreflang_list_only_the_portals_languages(territories):
    html = portal_client("sondrio").get("/chi-siamo/").content.decode()
    assert '<link rel="canonical" href="http://sondrio.localhost/chi-siamo/">' in html
    assert '<link rel="alternate" hreflang="it" href="http://sondrio.localhost/chi-siamo/">' in html
    assert (
        '<link rel="alternate" hreflang="en" href="http://sondrio.localhost/en/about-us/">' in html
    )
    assert 'hreflang="de" href="http://sondrio.localhost/de/uber-uns/"' in html
    rho = portal_client("rho").get("/chi-siamo/").content.decode()
    assert 'hreflang="de"' not in rho and 'hreflang="en"' in rho


def test_a_page_without_translation_has_no_alternates(territories):
    article = add_article(news_index(territories["sondrio"]), "Solo in italiano")
    html = portal_client("sondrio").get(urlparse(article.full_url).path).content.decode()
    assert 'rel="alternate" hreflang=' not in html


def test_opengraph_tags(territories):
    html = portal_client("sondrio").get("/en/about-us/").content.decode()
    assert '<meta property="og:site_name" content="SondrioWelfare">' in html
    assert '<meta property="og:url" content="http://sondrio.localhost/en/about-us/">' in html
    assert '<meta property="og:title" content="About us">' in html
    assert '<meta property="og:locale" content="en">' in html
    shop = portal_client("sondrio").get("/shop/catalogue/?page=1").content.decode()
    assert '<link rel="canonical" href="http://sondrio.localhost/shop/catalogue/">' in shop


def test_the_shop_pages_head_is_right_for_each_host_path_and_portal(territories):
    """The shop's SEO head is cached with the chrome: never another host's, page's or
    portal's address, never a stale portal name."""
    from portal.territories.models import TerritoryHost

    sondrio = territories["sondrio"]
    TerritoryHost.objects.create(territory=sondrio, hostname="welfare.valtellina.example")
    first = portal_client("sondrio").get("/shop/catalogue/").content.decode()
    other_host = (
        portal_client("sondrio")
        .get("/shop/catalogue/", HTTP_HOST="welfare.valtellina.example")
        .content.decode()
    )
    basket = portal_client("sondrio").get("/shop/basket/").content.decode()
    rho = portal_client("rho").get("/shop/catalogue/").content.decode()

    assert '<link rel="canonical" href="http://sondrio.localhost/shop/catalogue/">' in first
    assert (
        '<link rel="canonical" href="http://welfare.valtellina.example/shop/catalogue/">'
        in other_host
    )
    assert '<link rel="canonical" href="http://sondrio.localhost/shop/basket/">' in basket
    assert '<link rel="canonical" href="http://rho.localhost/shop/catalogue/">' in rho
    assert '<meta property="og:site_name" content="RhoWelfare">' in rho

    sondrio.name = "Welfare Valtellina"
    sondrio.save()
    renamed = portal_client("sondrio").get("/shop/catalogue/").content.decode()
    assert '<meta property="og:site_name" content="Welfare Valtellina">' in renamed
