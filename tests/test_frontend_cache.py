"""A CDN in front: anonymous pages say how long it may keep them, and publishing purges the
changed page and the listings above it, on the page's own host, at a real HTTP receiver on
loopback (what a Varnish or a CDN's purge endpoint gets)."""

import http.server
import threading

import pytest

from tests.conftest import portal_client
from tests.editorial import add_article, news_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def purge_receiver(settings):
    """An HTTP server on 127.0.0.1 recording each PURGE as (Host, path)."""
    received: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802  (the method's name is the HTTP verb)
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield received
    server.shutdown()
    server.server_close()


def test_an_anonymous_page_may_be_kept_by_a_shared_cache_and_revalidated_by_browsers():
    for attempt in ("miss", "hit"):
        response = portal_client("sondrio").get("/chi-siamo/")
        assert response["X-Portal-Cache"] == attempt
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=60"} <= control
        assert "Cookie" in response["Vary"]


def test_pages_for_one_visitor_are_not_offered_to_shared_caches(django_user_model):
    user = django_user_model.objects.create_user("lucia", "lucia@example.it", "x")
    client = portal_client("sondrio")
    client.force_login(user)
    response = client.get("/chi-siamo/")
    assert "public" not in response.get("Cache-Control", "")
    basket = portal_client("sondrio").get("/shop/basket/")
    assert "public" not in basket.get("Cache-Control", "")


def test_publishing_purges_the_page_and_the_listings_above_it_on_its_own_host(
    territories, purge_receiver
):
    sondrio = territories["sondrio"]
    index = news_index(sondrio)
    article = add_article(index, "Apre lo sportello")
    purge_receiver.clear()
    article.title = "Nuovo titolo"
    article.save_revision().publish()

    hosts = {host for host, _path in purge_receiver}
    paths = {path for _host, path in purge_receiver}
    assert hosts == {sondrio.site.root_url.split("//")[1]}  # sondrio.localhost:8000 in dev
    site = sondrio.site
    assert article.relative_url(site) in paths
    assert index.relative_url(site) in paths and "/" in paths
    assert len(paths) == 3
