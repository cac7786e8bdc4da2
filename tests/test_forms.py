"""Form pages: accessible, kept in the admin, e-mailed to the portal, robots turned away."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page

from portal.territories.models import PortalSettings
from tests.conftest import portal_client
from tests.editorial import add_form_page, home_of

pytestmark = pytest.mark.django_db
ANSWER = {"nome": "Maria Rossi", "email": "maria@example.it", "messaggio": "Vorrei informazioni."}


def contacts_page(territory):
    return Page.objects.child_of(home_of(territory)).get(slug="contatti")


def path_of(page) -> str:
    return urlparse(page.full_url).path


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # italia and borgo themes
def test_a_form_page_renders_with_labels(territories, slug):
    page = add_form_page(contacts_page(territories[slug]))
    html = portal_client(slug).get(path_of(page)).content.decode()
    assert "<h1>Scrivici</h1>" in html
    assert '<label for="id_nome" class="active">Nome *</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'aria-hidden="true" hidden' in html  # the honeypot is hidden from people


def test_an_answer_is_kept_and_mailed_to_the_portals_address(territories):
    sondrio = territories["sondrio"]
    page = add_form_page(contacts_page(sondrio))
    response = portal_client("sondrio").post(path_of(page), {**ANSWER, "website": ""})

    assert response.status_code == 200
    assert "Grazie, ti risponderemo presto." in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    assert submission.get_data()["nome"] == "Maria Rossi"
    assert "website" not in submission.form_data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [PortalSettings.for_site(sondrio.site).email]
    assert "Vorrei informazioni." in mail.outbox[0].body


def test_the_pages_own_address_wins(territories):
    page = add_form_page(contacts_page(territories["sondrio"]), to_address="uffici@example.it")
    portal_client("sondrio").post(path_of(page), ANSWER)
    assert mail.outbox[0].to == ["uffici@example.it"]


def test_a_robot_filling_the_honeypot_is_refused(territories):
    page = add_form_page(contacts_page(territories["sondrio"]))
    response = portal_client("sondrio").post(path_of(page), {**ANSWER, "website": "http://spam"})

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_a_missing_field_is_named_and_nothing_is_saved(territories):
    page = add_form_page(contacts_page(territories["sondrio"]))
    response = portal_client("sondrio").post(path_of(page), {**ANSWER, "messaggio": ""})

    html = response.content.decode()
    assert 'href="#id_messaggio"' in html and 'aria-invalid="true"' in html
    assert not FormSubmission.objects.filter(page=page).exists()
    assert mail.outbox == []


def test_a_post_without_csrf_token_is_refused(territories):
    page = add_form_page(contacts_page(territories["sondrio"]))
    client = portal_client("sondrio", enforce_csrf_checks=True)
    assert client.post(path_of(page), ANSWER).status_code == 403
    assert not FormSubmission.objects.filter(page=page).exists()
