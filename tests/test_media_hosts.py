"""Uploads under /media/ (the demo serves them) answer only on their own portal's host, and
to their owners in the admin wherever they use it."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model

from tests.conftest import portal_client
from tests.editorial import small_image

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_urls")]


@pytest.fixture
def sondrio_files(territories):
    image = small_image("baita", collection=territories["sondrio"].collection)
    rendition = image.get_rendition("max-60x30")
    document = get_document_model().objects.create(
        title="orari",
        file=ContentFile(b"orari", name="orari.txt"),
        collection=territories["sondrio"].collection,
    )
    return {
        "original": image.file.url,
        "rendition": rendition.file.url,
        "document": document.file.url,
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("kind", ["original", "rendition", "document"])
def test_a_sondrio_file_is_served_on_sondrio_and_not_on_napoli(sondrio_files, kind):
    url = sondrio_files[kind]
    assert url.startswith("/media/")
    own = portal_client("sondrio").get(url)
    assert own.status_code == 200 and body(own)
    assert portal_client("napoli").get(url).status_code == 404
    assert Client(HTTP_HOST="localhost").get(url).status_code == 404  # the hub, signed out


@pytest.mark.parametrize("kind", ["original", "rendition"])
def test_owners_see_their_images_in_the_admin_on_any_host(territories, sondrio_files, kind):
    url = sondrio_files[kind]
    owner = Client(HTTP_HOST="localhost")
    owner.force_login(territories["sondrio"].editors.user_set.order_by("pk").first())
    assert owner.get(url).status_code == 200
    rival = Client(HTTP_HOST="localhost")
    rival.force_login(territories["napoli"].editors.user_set.order_by("pk").first())
    assert rival.get(url).status_code == 404
    rival_at_home = portal_client("napoli")
    rival_at_home.force_login(territories["napoli"].editors.user_set.order_by("pk").first())
    assert rival_at_home.get(url).status_code == 404


def test_a_file_of_no_portal_is_served_everywhere(territories):
    image = small_image("catalogo")  # the root collection: no territory's
    for host in ("sondrio.localhost", "napoli.localhost", "localhost"):
        assert Client(HTTP_HOST=host).get(image.file.url).status_code == 200
