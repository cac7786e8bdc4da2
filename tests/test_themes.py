"""The spec picks the theme and the palette; switching theme needs no code."""

import os
import re

import pytest
from django.contrib.staticfiles import finders

from portal.territories.themes import available_themes, theme_chain
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
BORGO_CSS = "/static/borgo/css/theme.css"
ITALIA_CSS = "/static/italia/css/theme.css"


def test_both_themes_are_available_and_borgo_extends_italia():
    assert {"italia", "borgo"} <= set(available_themes())
    assert [t.name for t in theme_chain("borgo")] == ["borgo", "italia"]
    assert [t.name for t in theme_chain("no-such-theme")] == ["italia"]


def test_each_portal_renders_its_own_theme(territories):
    sondrio = portal_client("sondrio").get("/").content.decode()
    rho = portal_client("rho").get("/").content.decode()
    # each theme's own subset of Bootstrap Italia (make assets), never the package's 1 MB bundle
    assert "/static/bundle/italia.css" in sondrio and "/static/bundle/italia.js" in sondrio
    assert "/static/bundle/borgo.css" in rho and "/static/bundle/borgo.js" in rho
    assert "/static/bundle/borgo." not in sondrio and "/static/bundle/italia." not in rho
    assert "bootstrap-italia.bundle.min.js" not in sondrio + rho
    assert BORGO_CSS not in sondrio
    assert BORGO_CSS in rho


def test_switching_a_territorys_theme_needs_no_code(territories):
    sondrio = territories["sondrio"]
    sondrio.theme = "borgo"
    sondrio.save()
    for path in ("/", "/shop/catalogue/", "/chi-siamo/"):
        assert BORGO_CSS in portal_client("sondrio").get(path).content.decode(), path
    assert BORGO_CSS not in portal_client("napoli").get("/").content.decode()


def palette_of(client) -> tuple[str, str]:
    """The address of the palette stylesheet a portal's home links, and that file's text."""
    html = client.get("/").content.decode()
    match = re.search(r'<link rel="stylesheet" href="(/theme/palette-[0-9a-f]+\.css)">', html)
    assert match, "the home page links no palette stylesheet"
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    return match.group(1), response.content.decode()


def test_the_specs_palette_reaches_the_page(territories):
    napoli = territories["napoli"]
    assert napoli.palette["primary"] == "#00687a"  # from sites/napoli.toml
    napoli_url, napoli_css = palette_of(portal_client("napoli"))
    sondrio_url, sondrio_css = palette_of(portal_client("sondrio"))
    assert "--portal-primary: #00687a;" in napoli_css
    assert "--portal-primary: #0b5c8a;" in sondrio_css  # sites/sondrio.toml
    assert napoli_url != sondrio_url
    # the palette is no inline <style> any more
    assert "--portal-primary" not in portal_client("napoli").get("/").content.decode()


def test_each_portal_gets_its_own_palette_on_the_same_address(territories):
    """The address names a version, not a portal: the host decides whose colours come back."""
    napoli_url, _ = palette_of(portal_client("napoli"))
    css = portal_client("sondrio").get(napoli_url).content.decode()
    assert "--portal-primary: #0b5c8a;" in css and "#00687a" not in css


def test_a_borgo_portal_gets_its_palette_too(territories):
    _, css = palette_of(portal_client("rho"))
    assert "--portal-primary: #3d6b35;" in css  # sites/rho.toml
    assert "--portal-on-secondary: #1b1b1b;" in css  # dark text on the light #f0a202


def test_the_palette_is_cached_for_a_year_and_revalidated_by_etag(territories):
    client = portal_client("sondrio")
    url, _ = palette_of(client)
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{url.removeprefix("/theme/palette-").removesuffix(".css")}"'
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_changed_colour_changes_the_address_and_the_file(territories):
    client = portal_client("sondrio")
    old_url, old_css = palette_of(client)
    sondrio = territories["sondrio"]
    sondrio.palette = {**sondrio.palette, "primary": "#5a2d82"}
    sondrio.save()
    new_url, new_css = palette_of(client)
    assert new_url != old_url
    assert "--portal-primary: #5a2d82;" in new_css and "#0b5c8a" not in new_css
    # a page cached before the change names the old address: it gets today's colours, and
    # is told to ask again rather than keep them for a year
    stale = client.get(old_url)
    assert stale.content.decode() == new_css
    assert stale["Cache-Control"] == "public, no-cache"


def test_a_colour_that_is_not_a_colour_cannot_write_css(territories):
    sondrio = territories["sondrio"]
    sondrio.palette = {"primary": "red;}body{display:none", "secondary": "#f2a900"}
    sondrio.save()
    _, css = palette_of(portal_client("sondrio"))
    assert "display:none" not in css
    assert "--portal-primary: #0066cc;" in css  # the default theme's blue instead


def test_the_palette_address_takes_only_a_version(territories):
    assert portal_client("sondrio").get("/theme/palette-x.css").status_code == 404
    assert portal_client("sondrio").post("/theme/palette-abc.css").status_code == 405


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
@pytest.mark.parametrize("path", ["/", "/shop/catalogue/"])
def test_every_static_address_of_a_page_is_a_file(territories, slug, path):
    """Production's manifest storage (hashed names) refuses to name anything else: a folder's
    address (the fonts' folder, once) makes every page answer 500. Also fails when the
    themes' bundles were not built (`make assets`)."""
    html = portal_client(slug).get(path).content.decode()
    addresses = set(re.findall(r'"/static/([^"#?]+)', html))
    assert "bundle/italia.css" in addresses or "bundle/borgo.css" in addresses
    not_files = [a for a in addresses if not os.path.isfile(finders.find(a) or "")]
    assert not_files == []


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
def test_the_shop_pages_load_no_jquery_and_no_oscar_ui_js(territories, slug):
    """Catalogue, category, product, basket and the checkout's first step: bundle/shop.js only
    (jQuery and Oscar's ui.js were 120 KB of the product page's script, and its slowest part)."""
    from oscar.core.loading import get_model

    offer = (
        get_model("partner", "StockRecord")
        .objects.filter(territory__slug=slug)
        .select_related("product__parent")
        .order_by("pk")
        .first()
    )
    product = offer.product.parent or offer.product
    client = portal_client(slug)
    data = {"quantity": 1}
    if offer.product.parent_id:
        data["child_id"] = offer.product.pk
    assert client.post(f"/shop/basket/add/{product.pk}/", data).status_code == 302
    category = product.get_categories().first()
    paths = ["/shop/catalogue/", product.get_absolute_url(), "/shop/basket/", "/shop/checkout/"]
    if category:
        paths.append(category.get_absolute_url())
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        scripts = re.findall(r'<script[^>]* src="([^"]+)"', response.content.decode())
        assert any("bundle/shop" in src for src in scripts), (path, scripts)
        assert [src for src in scripts if "jquery" in src or "oscar/ui" in src] == [], path
