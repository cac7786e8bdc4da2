"""The rich-text editor's link choosers answer bad input with the form's error, not a 500."""

import json

import pytest

from tests.conftest import portal_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(territories):
    client = portal_client("sondrio", raise_request_exception=False)
    client.force_login(territories["sondrio"].editors.user_set.order_by("pk").first())
    return client


def modal(response) -> dict:
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)


def test_an_external_link_without_its_url_field_is_a_form_error(editor_client):
    answer = modal(editor_client.post("/admin/choose-external-link/", {"link_text": "x"}))
    assert answer["step"] == "external_link"  # the form again, not a chosen link
    assert "obbligatorio" in answer["html"]  # "Questo campo è obbligatorio."


def test_a_bad_external_url_is_a_form_error_and_a_good_one_is_chosen(editor_client):
    bad = modal(
        editor_client.post("/admin/choose-external-link/", {"external-link-chooser-url": "x y"})
    )
    assert bad["step"] == "external_link" and "URL valido" in bad["html"]
    good = modal(
        editor_client.post(
            "/admin/choose-external-link/", {"external-link-chooser-url": "https://example.it/"}
        )
    )
    assert good["step"] == "external_link_chosen"
    assert good["result"]["url"] == "https://example.it/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_email_link_that_is_not_a_url_opens_an_empty_form(editor_client, method):
    response = getattr(editor_client, method)(
        "/admin/choose-email-link/?link_url=mailto://%5B&link_text=x", {}
    )
    answer = modal(response)
    assert answer["step"] == "email_link"
