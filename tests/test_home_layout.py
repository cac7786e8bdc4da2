"""The home page's body: its image is part of the page as loaded, not a blank band.

A lazy image (``loading="lazy"``) is fetched only when the visitor scrolls near it; until
then its box, sized by width and height, stays empty: on the demo's home page that was the
blank gap before "Scopri i servizi". Both themes render the body with the same block.
"""

import re

import pytest

from tests.conftest import portal_client
from tests.editorial import home_of, small_image

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])
def test_the_home_pages_image_comes_with_the_page(territories, slug):
    territory = territories[slug]
    home = home_of(territory)
    image = small_image(f"{slug} illustration", collection=territory.collection)
    home.body = [
        ("paragraph", "<p>Chi siamo.</p>"),
        ("image", {"image": image, "alt_text": "Cerchi colorati", "caption": ""}),
        (
            "call_to_action",
            {
                "title": "Scopri i servizi",
                "text": "",
                "link_label": "Vai",
                "link_page": None,
                "link_url": "https://example.org/",
            },
        ),
    ]
    home.save_revision().publish()

    html = portal_client(slug).get("/").content.decode()
    figure = re.search(r'<figure class="figure portal-figure">(.*?)</figure>', html, re.S)
    assert figure is not None
    img = re.search(r"<img [^>]*>", figure.group(1)).group(0)
    assert 'alt="Cerchi colorati"' in img
    assert "loading=" not in img  # fetched with the page
    assert html.index("portal-figure") < html.index('class="portal-cta-title">Scopri i servizi')
