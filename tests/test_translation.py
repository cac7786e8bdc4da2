"""Translations: editors translate in the admin; each language is served at its own URL."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page

from portal.content.models import NewsPage
from tests.conftest import portal_client
from tests.editorial import (
    add_article,
    add_form_page,
    add_service_page,
    home_of,
    news_index,
    offered_product,
)

pytestmark = pytest.mark.django_db


def path_of(page) -> str:
    return urlparse(page.full_url).path


def editor_of(territory):
    user = get_user_model().objects.create_user(
        username="traduttrice@example.it", email="traduttrice@example.it", password="x"
    )
    user.groups.add(territory.editors)
    return user


@pytest.mark.parametrize("kind", ["news", "service", "form"])
def test_an_editor_translates_a_page_in_the_admin(territories, kind):
    sondrio = territories["sondrio"]
    if kind == "news":
        page = add_article(news_index(sondrio), "Apre lo sportello", tags=["sportello"])
    elif kind == "service":
        page = add_service_page(sondrio, offered_product(sondrio), title="Storia di un servizio")
    else:
        contacts = Page.objects.child_of(home_of(sondrio)).get(slug="contatti")
        page = add_form_page(contacts, title="Scrivici")
    english = Locale.objects.get(language_code="en")
    client = portal_client("sondrio")
    client.force_login(editor_of(sondrio))

    response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [english.pk]})
    assert response.status_code == 302
    translated = page.get_translation(english).specific
    translated.title = {"news": "The help desk opens", "service": "A service story"}.get(
        kind, "Write to us"
    )
    translated.save_revision().publish()

    html = portal_client("sondrio").get(path_of(translated)).content.decode()
    assert path_of(translated).startswith("/en/")
    assert f"<h1>{translated.title}</h1>" in html and '<html lang="en"' in html
    if kind == "form":  # the form's fields came along, to be translated
        assert [f.label for f in translated.form_fields.all()] == ["Nome", "Email", "Messaggio"]
        assert 'name="nome"' in html
    # the Italian original stays where it was, in Italian
    assert f"<h1>{page.title}</h1>" in portal_client("sondrio").get(path_of(page)).content.decode()


def test_a_translated_article_links_both_ways(territories):
    sondrio = territories["sondrio"]
    article = add_article(news_index(sondrio), "Notizia tradotta")
    english = article.copy_for_translation(Locale.objects.get(language_code="en")).specific
    english.title = "Translated news"
    english.save_revision().publish()
    assert isinstance(english, NewsPage)

    italian_html = portal_client("sondrio").get(path_of(article)).content.decode()
    assert f'hreflang="en" href="http://sondrio.localhost{path_of(english)}"' in italian_html
    assert f'href="{path_of(english)}" hreflang="en" lang="en"' in italian_html  # the switcher


def test_the_language_switcher_shows_only_the_portals_languages(territories):
    sondrio = portal_client("sondrio").get("/").content.decode()
    rho = portal_client("rho").get("/").content.decode()
    assert {'hreflang="it" lang="it"', 'hreflang="en" lang="en"', 'hreflang="de" lang="de"'} <= {
        s
        for s in ('hreflang="it" lang="it"', 'hreflang="en" lang="en"', 'hreflang="de" lang="de"')
        if s in sondrio
    }
    assert 'hreflang="en" lang="en"' in rho and 'lang="de"' not in rho
    assert portal_client("rho").get("/de/").status_code == 404
