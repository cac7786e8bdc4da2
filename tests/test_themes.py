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


def test_the_specs_palette_reaches_the_page(territories):
    napoli = territories["napoli"]
    assert napoli.palette["primary"] == "#00687a"  # from sites/napoli.toml
    html = portal_client("napoli").get("/").content.decode()
    assert "--portal-primary: #00687a" in html
    assert "--portal-primary: #00687a" not in portal_client("sondrio").get("/").content.decode()


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
