"""One search box per portal: its pages in the reader's language and its services, no more."""

import pytest

from tests.conftest import portal_client
from tests.editorial import add_article, news_index, offered_product

pytestmark = pytest.mark.django_db


def test_search_finds_the_portals_pages_and_services(territories):
    sondrio = territories["sondrio"]
    add_article(news_index(sondrio), "Nasce lo sportello per i caregiver", lead="Ascolto e aiuto.")
    product = offered_product(sondrio)
    word = product.title.split()[0]

    html = portal_client("sondrio").get("/search/", {"q": "caregiver"}).content.decode()
    assert "Nasce lo sportello per i caregiver" in html
    services = portal_client("sondrio").get("/search/", {"q": word}).content.decode()
    assert f'data-service="{product.upc}"' in services


def test_search_never_shows_another_portals_page_or_service(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    add_article(news_index(sondrio), "Zafferano di Sondrio", lead="Notizia valtellinese.")
    add_article(news_index(rho), "Zafferano di Rho", lead="Notizia rhodense.")
    only_sondrio = offered_product(sondrio, not_in=rho)

    rho_html = portal_client("rho").get("/search/", {"q": "zafferano"}).content.decode()
    assert "Zafferano di Rho" in rho_html and "Zafferano di Sondrio" not in rho_html
    rho_services = portal_client("rho").get("/search/", {"q": only_sondrio.title}).content.decode()
    assert f'data-service="{only_sondrio.upc}"' not in rho_services

    sondrio_html = portal_client("sondrio").get("/search/", {"q": "zafferano"}).content.decode()
    assert "Zafferano di Sondrio" in sondrio_html and "Zafferano di Rho" not in sondrio_html


def test_search_keeps_to_the_readers_language(territories):
    sondrio = territories["sondrio"]
    add_article(news_index(sondrio, "it"), "Lampone italiano")
    add_article(news_index(sondrio, "en"), "Lampone in English")
    client = portal_client("sondrio")
    english = client.get("/en/search/", {"q": "lampone"}).content.decode()
    assert "Lampone in English" in english and "Lampone italiano" not in english


def test_drafts_are_not_found(territories):
    add_article(news_index(territories["sondrio"]), "Mirtillo segreto", publish=False)
    html = portal_client("sondrio").get("/search/", {"q": "mirtillo"}).content.decode()
    assert "Mirtillo segreto" not in html


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # italia and borgo themes
def test_an_empty_or_odd_query_gets_a_clear_answer(territories, slug):
    client = portal_client(slug)
    empty = client.get("/search/", {"q": "   "})
    assert empty.status_code == 200
    assert 'role="status"' in empty.content.decode()
    nothing = client.get("/search/", {"q": "qwertyuiop" * 50})  # long, matching nothing
    assert nothing.status_code == 200
    assert "data-page=" not in nothing.content.decode()
    assert client.post("/search/", {"q": "x"}).status_code == 405


def test_the_header_search_box_goes_to_the_portal_search(territories):
    html = portal_client("sondrio").get("/").content.decode()
    assert 'action="/search/"' in html
