"""One search for services everywhere: the shop's search, the catalogue's ``?q=`` and the
portal's /search/ find the same services, by words (all of them, any order), in titles,
descriptions, categories and whom a service is for, with Italian endings ignored."""

import re

import pytest
from oscar.core.loading import get_model

from shop.catalogue.scoping import offered_in
from shop.catalogue.search import italian_stem, search_terms
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

SEARCH_PAGES = ("/shop/search/", "/shop/catalogue/", "/search/")
ASA = "assistenza-domiciliare-asa"
NEWBORN = "cure-primi-mesi-neonato"


def offering(upc: str) -> str:
    """The slug of a portal that offers the service ``upc``."""
    product = Product.objects.get(upc=upc)
    for slug in ("sondrio", "napoli", "rho", "cremona", "padova"):
        from portal.territories.models import Territory

        if offered_in(Territory.objects.get(slug=slug)).filter(pk=product.pk).exists():
            return slug
    pytest.skip(f"no portal offers {upc}")


def found(slug: str, path: str, query: str) -> set[str]:
    response = portal_client(slug).get(path, {"q": query})
    assert response.status_code == 200
    return set(re.findall(r'data-service="([^"]+)"', response.content.decode()))


@pytest.mark.parametrize(
    "word,stem",
    [
        ("anziani", "anzian"),
        ("Anziano", "anzian"),
        ("famiglie", "famigli"),
        ("famiglia", "famigli"),
        ("associazioni", "associazion"),
        ("mesi", "mes"),
        ("amiche", "amic"),
        ("ASA", "asa"),
        ("domicilio", "domicili"),
    ],
)
def test_the_italian_stemmer_drops_plural_and_gender_endings(word, stem):
    assert italian_stem(word) == stem


def test_a_word_naming_an_audience_or_a_delivery_mode_matches_it():
    elderly, home = search_terms("anziani domicilio")
    assert "elderly" in elderly.audiences
    assert "home" in home.delivery


@pytest.mark.parametrize("path", SEARCH_PAGES)
@pytest.mark.parametrize(
    "query,upc",
    [
        ("anziani", ASA),  # the category "Anziani e domiciliarità", the audience
        ("Anziani domicilio", ASA),  # two words, neither in the title as written
        ("domicilio anziani", ASA),  # any order
        ("mesi Accompagnamento", NEWBORN),  # words, not the phrase
        ("neogenitore", NEWBORN),  # singular for plural
    ],
)
def test_every_search_box_finds_services_by_words(territories, path, query, upc):
    assert upc in found(offering(upc), path, query)


@pytest.mark.parametrize("path", SEARCH_PAGES)
def test_all_words_must_match(territories, path):
    slug = offering(ASA)
    assert ASA not in found(slug, path, "anziani neonato")
    assert found(slug, path, "zzzqqq") == set()


def test_the_three_search_boxes_agree(territories):
    for query in ("anziani", "mesi Accompagnamento", "online bambini", "casa"):
        results = [found("sondrio", path, query) for path in SEARCH_PAGES]
        assert results[0] == results[1] == results[2], query


def test_search_stays_in_its_portal(territories):
    sondrio_only = offered_in(territories["sondrio"]).exclude(
        pk__in=offered_in(territories["rho"]).values("pk")
    )
    product = sondrio_only.order_by("pk").first()
    for path in SEARCH_PAGES:
        assert product.upc in found("sondrio", path, product.title)
        assert product.upc not in found("rho", path, product.title)


def test_percent_and_underscore_are_taken_literally(territories):
    for path in SEARCH_PAGES:
        assert found("sondrio", path, "%") == set()
        assert found("sondrio", path, "_") == set()


def test_a_query_never_reaches_postgresqls_query_syntax():
    from shop.catalogue.search import full_text_prefix

    assert full_text_prefix("anzian") == "anzian:*"
    assert full_text_prefix("a&b") is None and full_text_prefix("x|!") is None


@pytest.mark.postgres
def test_on_postgresql_the_italian_full_text_stemmer_widens_the_match(territories):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    # Snowball's Italian stemmer: "accompagnare" and "accompagnamento" share "accompagn"
    assert NEWBORN in found(offering(NEWBORN), "/shop/search/", "accompagnare")
