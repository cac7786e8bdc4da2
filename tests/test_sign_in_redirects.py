"""Every page that needs a signed-in person sends a visitor to the portal's own login page,
in the page's language: no redirect to Django's default ``/accounts/login/`` (a 404 here).

The URL patterns are walked from the resolver (every one without parameters, in each
language the portal offers), so a view added later is covered the day it appears."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from tests.conftest import portal_client

pytestmark = pytest.mark.django_db


def plain_paths(resolver=None, prefix: str = "") -> list[str]:
    """The paths of every URL pattern that takes no parameter (Italian: no prefix)."""
    paths = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            piece = ""
        elif isinstance(pattern, RoutePattern):
            piece = str(pattern)
            if "<" in piece:
                continue
        elif isinstance(pattern, RegexPattern):
            piece = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
            if re.search(r"[()\[\]?*+\\|{}]", piece):
                continue
        else:
            continue
        if isinstance(entry, URLResolver):
            paths += plain_paths(entry, prefix + piece)
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + piece)
    return sorted(set(paths))


@pytest.mark.parametrize("language", ["it", "en", "de"])
def test_every_sign_in_redirect_lands_on_the_portals_login_page(territories, language):
    client = portal_client("sondrio")
    lang_prefix = "" if language == "it" else f"/{language}"
    sign_in_redirects = {}
    for path in plain_paths():
        if path.startswith(("/admin/", "/security/", "/static/", "/media/", "/documents/")):
            continue  # staff pages: the admin's own login page (tested below)
        translated = (
            "/shop/",
            "/eventi/",
            "/programmi/",
            "/la-mia-fascia/",
            "/operazioni-per-tuo-conto/",
            "/welfare-aziendale/",
        )
        url = lang_prefix + path if path.startswith(translated) else path
        response = client.get(url)
        if response.status_code in (301, 302) and "next=" in response.get("Location", ""):
            sign_in_redirects[url] = response["Location"]
    # the account, its orders and e-mails, the webinars, the dashboard at least
    for needed in (
        "/shop/accounts/",
        "/shop/accounts/orders/",
        "/eventi/i-miei-webinar/",
        "/programmi/le-mie-domande/",
        "/programmi/il-mio-portafoglio/",
        "/la-mia-fascia/",
        "/operazioni-per-tuo-conto/",
        "/shop/accounts/family/",
        "/shop/accounts/welfare/",
    ):
        assert any(u.endswith(needed) or u == lang_prefix + needed for u in sign_in_redirects), (
            needed,
            sorted(sign_in_redirects),
        )
    for url, location in sign_in_redirects.items():
        target = urlsplit(location)
        assert target.path in (
            f"{lang_prefix}/shop/accounts/login/",
            f"{lang_prefix}/shop/dashboard/login/",
        ), (url, location)
        login = client.get(location)
        assert login.status_code == 200, (url, location)
        assert 'name="login-password"' in login.text or 'name="password"' in login.text


def test_the_admin_sends_visitors_to_its_own_login_page(territories):
    response = portal_client("napoli").get("/admin/pages/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/admin/login/"
    assert portal_client("napoli").get(response["Location"]).status_code == 200


def test_the_dashboard_refund_sends_visitors_to_the_dashboard_login(territories):
    response = portal_client("sondrio").post("/shop/payment/orders/100001/refund/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/shop/dashboard/login/"
    assert portal_client("sondrio").get(response["Location"]).status_code == 200
