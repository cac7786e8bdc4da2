"""The translation editor (wagtail-localize) speaks the editor's language in Chromium.

Its compiled React bundle writes the actions menu toggle's label, "More actions", in plain
English outside gettext; portal/content/static/content/js/translation-editor-labels.js relabels
it through the admin's JavaScript catalog. The live server sees committed rows only: this test
commits an article, its submitted translation and an editor, and deletes them afterwards.
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from tests.conftest import portal_client
from tests.e2e.test_purchase_browser import CHROMIUM, browser, portal_server  # noqa: F401
from tests.editorial import add_article, news_index
from tests.test_moderation import member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian's Chromium is missing: `make test` installs it"
)


@pytest.fixture
def translation_to_edit(django_db_setup, django_db_blocker):
    """Sondrio's editor, an Italian article submitted for translation into English, and the
    editor's admin session."""
    from portal.territories.models import Territory

    with django_db_blocker.unblock():
        sondrio = Territory.objects.get(slug="sondrio")
        article = add_article(news_index(sondrio), "Sportello di ascolto per le famiglie")
        editor = member(sondrio.editors, "traduttrice-browser@example.it")
        client = portal_client("sondrio")
        client.force_login(editor)
        english = Locale.objects.get(language_code="en")
        response = client.post(
            f"/admin/localize/submit/page/{article.pk}/", {"locales": [english.pk]}
        )
        assert response.status_code == 302
        translated = article.get_translation(english)
        yield editor, translated, client.cookies[settings.SESSION_COOKIE_NAME].value
        Translation.objects.filter(source__object_id=article.translation_key).delete()
        TranslationSource.objects.filter(object_id=article.translation_key).delete()
        Page.objects.filter(pk__in=[translated.pk, article.pk]).delete()
        get_user_model().objects.filter(pk=editor.pk).delete()


@pytest.mark.parametrize(("language", "label"), [("it", "Altre azioni"), ("de", "Mehr Aktionen")])
def test_the_translation_editor_s_actions_menu_is_labelled_in_the_editor_s_language(
    browser,  # noqa: F811
    portal_server,  # noqa: F811
    translation_to_edit,
    django_db_blocker,
    language,
    label,
):
    editor, translated, session = translation_to_edit
    with django_db_blocker.unblock():
        profile = UserProfile.get_for_user(editor)
        profile.preferred_language = language
        profile.save()
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": f"http://sondrio.localhost:{portal_server.port}",
            }
        ]
    )
    page = context.new_page()
    page.goto(f"http://sondrio.localhost:{portal_server.port}/admin/pages/{translated.pk}/edit/")
    toggles = page.locator(".js-translation-editor .w-dropdown__toggle .w-sr-only")
    toggles.first.wait_for(state="attached")
    texts = toggles.all_text_contents()
    context.close()
    assert texts and set(texts) == {label}
