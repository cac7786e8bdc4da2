"""News: index with pagination and filters, articles, feeds per portal, the home's blocks."""

from datetime import timedelta
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.content.models import NewsIndexPage
from tests.conftest import page_queries, portal_client
from tests.editorial import add_article, add_articles, category, news_index, small_image

pytestmark = pytest.mark.django_db

# What a citizen's page costs with any number of articles: pinned so a per-item query fails.
# (rendered afresh after a publish, served again from what that request kept), with a cookie
# (past the whole-page cache of visitors without one).
HOME_QUERIES = (20, 0)  # the home of tests/test_query_budget.py, and the articles' categories
NEWS_INDEX_QUERIES = (23, 0)
ATOM = "{http://www.w3.org/2005/Atom}"


def path_of(page) -> str:
    return urlparse(page.full_url).path


def queries_for(slug: str, path: str) -> tuple[int, str]:
    client = portal_client(slug)
    client.get(path)  # warm the caches a running server has warm (renditions, site roots)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # italia and borgo themes
def test_news_index_and_article_render_on_every_theme(territories, slug):
    index = news_index(territories[slug])
    article = add_article(
        index,
        "Apre il portale",
        author="Redazione",
        image=small_image("apertura"),
        image_alt="Cerchi colorati",
        category=category("Territorio", "territorio"),
        tags=["apertura"],
    )
    client = portal_client(slug)

    listing = client.get(path_of(index)).content.decode()
    assert "Apre il portale" in listing and "In breve: Apre il portale." in listing
    assert "#apertura" in listing and "Territorio" in listing

    response = client.get(path_of(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Apre il portale</h1>" in html
    assert "Redazione" in html and 'alt="Cerchi colorati"' in html
    assert '<meta property="og:type" content="article">' in html


def test_news_index_paginates_newest_first(territories, settings):
    settings.PORTAL_NEWS_PER_PAGE = 4
    index = news_index(territories["sondrio"])
    add_articles(index, 6)
    client = portal_client("sondrio")

    first = client.get(path_of(index)).content.decode()
    second = client.get(path_of(index) + "?page=2").content.decode()
    assert first.count('data-article="') == 4 and second.count('data-article="') == 2
    assert first.index("Notizia numero 0<") < first.index("Notizia numero 3<")
    assert "Notizia numero 5<" in second
    # a page number that does not exist shows the last page, not an error
    assert client.get(path_of(index) + "?page=99").content.decode().count('data-article="') == 2
    assert client.get(path_of(index) + "?page=abc").status_code == 200


def test_news_index_filters_by_tag_and_category(territories):
    index = news_index(territories["sondrio"])
    services = category("Servizi", "servizi")
    add_article(index, "Nuovo servizio di tutoring", category=services, tags=["scuola"])
    add_article(index, "Una nuova cooperativa", tags=["cooperative"])
    client = portal_client("sondrio")

    by_tag = client.get(path_of(index) + "?tag=scuola").content.decode()
    assert "Nuovo servizio di tutoring" in by_tag and "Una nuova cooperativa" not in by_tag
    by_category = client.get(path_of(index) + "?category=servizi").content.decode()
    assert "Nuovo servizio di tutoring" in by_category
    assert "Una nuova cooperativa" not in by_category

    unknown = client.get(path_of(index) + "?category=nessuna")
    assert unknown.status_code == 200
    assert "No article matches this filter." in unknown.content.decode() or (
        "Nessun articolo" in unknown.content.decode()
    )
    assert 'data-article="' not in unknown.content.decode()


def test_an_unpublished_article_is_not_listed(territories):
    index = news_index(territories["sondrio"])
    add_article(index, "Bozza riservata", publish=False)
    assert "Bozza riservata" not in portal_client("sondrio").get(path_of(index)).content.decode()


def test_feeds_list_only_their_portals_articles(territories):
    add_article(news_index(territories["sondrio"]), "Notizia da Sondrio")
    add_article(news_index(territories["rho"]), "Notizia da Rho")

    for slug, own, other in (("sondrio", "Sondrio", "Rho"), ("rho", "Rho", "Sondrio")):
        index_path = path_of(news_index(territories[slug]))
        client = portal_client(slug)
        rss = client.get(index_path + "feed/rss/")
        assert rss["Content-Type"].startswith("application/rss+xml")
        titles = [t.text for t in ElementTree.fromstring(rss.content).iter("item/title")] or [
            i.find("title").text for i in ElementTree.fromstring(rss.content).iter("item")
        ]
        assert f"Notizia da {own}" in titles and f"Notizia da {other}" not in titles
        links = [i.find("link").text for i in ElementTree.fromstring(rss.content).iter("item")]
        assert all(urlparse(link).hostname == f"{slug}.localhost" for link in links)

        atom = client.get(index_path + "feed/atom/")
        assert atom["Content-Type"].startswith("application/atom+xml")
        entries = [
            e.find(f"{ATOM}title").text
            for e in ElementTree.fromstring(atom.content).iter(f"{ATOM}entry")
        ]
        assert f"Notizia da {own}" in entries and f"Notizia da {other}" not in entries


def test_the_feed_of_a_language_lists_that_languages_articles(territories):
    sondrio = territories["sondrio"]
    add_article(news_index(sondrio, "it"), "Articolo in italiano")
    add_article(news_index(sondrio, "en"), "An article in English")
    client = portal_client("sondrio")
    english = client.get(path_of(news_index(sondrio, "en")) + "feed/rss/").content.decode()
    assert "An article in English" in english and "Articolo in italiano" not in english


@pytest.mark.parametrize("path", ["/", "/chi-siamo/", "/shop/catalogue/", "/en/"])
def test_every_page_announces_the_portals_feeds(territories, path):
    html = portal_client("sondrio").get(path).content.decode()
    index = "/en/news/" if path.startswith("/en/") else "/notizie/"
    assert '<link rel="alternate" type="application/rss+xml" title="SondrioWelfare' in html
    assert f'href="http://sondrio.localhost{index}feed/rss/"' in html
    assert f'href="http://sondrio.localhost{index}feed/atom/"' in html


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
def test_home_shows_the_three_latest_news(territories, slug):
    add_articles(news_index(territories[slug]), 5)
    html = portal_client(slug).get("/").content.decode()
    assert html.count('data-article="') == 3
    assert "Notizia numero 0<" in html and "Notizia numero 2<" in html
    assert "Notizia numero 3<" not in html


def _set_campaign(home, starts, ends):
    home.campaign = [
        (
            "campaign",
            {
                "title": "Settimana del welfare",
                "text": "Prezzi ridotti su tutti i servizi per gli anziani.",
                "link_label": "Scopri l'offerta",
                "link_page": None,
                "link_url": "https://example.org/offerta",
                "starts_at": starts,
                "ends_at": ends,
            },
        )
    ]
    home.save_revision().publish()


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
def test_home_shows_a_campaign_only_while_it_runs(territories, slug):
    home = territories[slug].site.root_page.specific
    now = timezone.now()
    client = portal_client(slug)

    _set_campaign(home, now - timedelta(days=1), now + timedelta(days=6))
    html = client.get("/").content.decode()
    assert "Settimana del welfare" in html and 'href="https://example.org/offerta"' in html

    _set_campaign(home, now + timedelta(days=1), now + timedelta(days=6))
    assert "Settimana del welfare" not in client.get("/").content.decode()
    _set_campaign(home, now - timedelta(days=6), now - timedelta(days=1))
    assert "Settimana del welfare" not in client.get("/").content.decode()


def test_a_campaign_that_ends_before_it_starts_is_refused():
    from wagtail.blocks import StructBlockValidationError

    from portal.content.blocks import CampaignBlock

    block = CampaignBlock()
    now = timezone.now()
    value = block.to_python(
        {
            "title": "X",
            "starts_at": now.isoformat(),
            "ends_at": (now - timedelta(days=1)).isoformat(),
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_news_pages_live_only_under_the_news_index():
    from portal.content.models import HomePage, NewsPage

    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsPage.allowed_subpage_models() == []
    assert not NewsPage.can_create_at(HomePage())


@pytest.mark.parametrize("path, budget", [("/", HOME_QUERIES), ("news", NEWS_INDEX_QUERIES)])
def test_queries_do_not_grow_with_the_number_of_articles(territories, path, budget):
    sondrio = territories["sondrio"]
    index = news_index(sondrio)
    path = path_of(index) if path == "news" else path
    image = small_image("notizia", sondrio.collection)
    services = category("Servizi", "servizi")
    add_articles(index, 3, image=image, cat=services)
    *few, few_html = page_queries(portal_client("sondrio"), path, HTTP_COOKIE="seen=1")
    add_articles(index, 27, image=small_image("altra", sondrio.collection), cat=services)
    *many, many_html = page_queries(portal_client("sondrio"), path, HTTP_COOKIE="seen=1")

    assert (tuple(few), tuple(many)) == (budget, budget)
    assert few_html.count('data-article="') == 3
    assert many_html.count('data-article="') == (3 if path == "/" else 10)
