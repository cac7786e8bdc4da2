"""Translations follow the source pages' workflow: a page submitted for translation gets a
draft, the editor hands the finished translation to the moderators, a moderator's approval
publishes it; nothing untranslated goes live under another language."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from tests.conftest import portal_client
from tests.editorial import add_article, news_index
from tests.test_moderation import member

pytestmark = pytest.mark.django_db
SUBMIT = "portal-submit-translation"


def path_of(page) -> str:
    return urlparse(page.full_url).path


def translate_all(translation: Translation) -> None:
    """What a translator does in the editor: every string, in English."""
    segments = StringSegment.objects.filter(source=translation.source).select_related("string")
    for segment in segments:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={"data": f"EN {segment.string.data}"},
        )


@pytest.fixture
def submitted(territories):
    """An Italian article that Sondrio's editor has submitted for translation into English."""
    sondrio = territories["sondrio"]
    article = add_article(news_index(sondrio), "Apre lo sportello di ascolto")
    editor = member(sondrio.editors, "traduttrice@example.it")
    client = portal_client("sondrio")
    client.force_login(editor)
    english = Locale.objects.get(language_code="en")
    response = client.post(f"/admin/localize/submit/page/{article.pk}/", {"locales": [english.pk]})
    assert response.status_code == 302
    translated = article.get_translation(english)
    translation = Translation.objects.get(
        source__object_id=article.translation_key, target_locale=english
    )
    return sondrio, client, translated, translation


def test_a_page_submitted_for_translation_is_a_draft_not_a_live_copy(submitted):
    _sondrio, _client, translated, _translation = submitted
    assert translated.live is False
    assert portal_client("sondrio").get(path_of(translated)).status_code == 404


def test_the_editor_submits_the_translation_and_the_moderator_approves_it(submitted):
    sondrio, client, translated, translation = submitted
    moderator = member(sondrio.moderators, "moderatrice@example.it")
    editor_screen = client.get(f"/admin/pages/{translated.pk}/edit/").content.decode()
    assert f'value="{SUBMIT}"' in editor_screen

    translate_all(translation)
    mail.outbox.clear()
    response = client.post(f"/admin/pages/{translated.pk}/edit/", {"action": SUBMIT})
    assert response.status_code == 302
    translated.refresh_from_db()
    state = translated.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert translated.live is False
    assert portal_client("sondrio").get(path_of(translated)).status_code == 404
    assert any(moderator.email in message.to for message in mail.outbox)

    approver = portal_client("sondrio")
    approver.force_login(moderator)
    task_state = state.current_task_state
    response = approver.post(
        f"/admin/pages/workflow/action/{translated.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    translated.refresh_from_db()
    assert translated.live and translated.title == "EN Apre lo sportello di ascolto"
    html = portal_client("sondrio").get(path_of(translated)).content.decode()
    assert "EN Apre lo sportello di ascolto" in html


def test_an_unfinished_translation_cannot_be_submitted(submitted):
    _sondrio, client, translated, _translation = submitted
    response = client.post(f"/admin/pages/{translated.pk}/edit/", {"action": SUBMIT}, follow=True)
    assert "non sono ancora tradotti" in response.content.decode()
    translated.refresh_from_db()
    assert translated.current_workflow_state is None
    assert translated.live is False


def test_a_moderator_cannot_publish_an_unfinished_translation(
    submitted, django_capture_on_commit_callbacks
):
    sondrio, _client, translated, translation = submitted
    moderator = portal_client("sondrio")
    moderator.force_login(member(sondrio.moderators, "moderatore@example.it"))
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes then
        moderator.post(f"/admin/pages/{translated.pk}/edit/", {"action": "publish"})
    translated.refresh_from_db()
    assert translated.live is False

    translate_all(translation)
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(f"/admin/pages/{translated.pk}/edit/", {"action": "publish"})
    translated.refresh_from_db()
    assert translated.live is True  # a moderator may publish a finished one directly


def test_an_editor_of_another_portal_cannot_submit_it(submitted, territories):
    _sondrio, _client, translated, translation = submitted
    translate_all(translation)
    outsider = portal_client("sondrio")
    outsider.force_login(member(territories["rho"].editors, "redattore.rho@example.it"))
    outsider.post(f"/admin/pages/{translated.pk}/edit/", {"action": SUBMIT})
    assert Page.objects.get(pk=translated.pk).current_workflow_state is None


def test_syncing_translations_never_publishes_the_new_italian_text(
    submitted, django_capture_on_commit_callbacks
):
    sondrio, client, translated, translation = submitted
    translate_all(translation)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    translated.refresh_from_db()
    assert translated.live and translated.title == "EN Apre lo sportello di ascolto"

    source = translation.source.get_source_instance()
    source.title = "Lo sportello di ascolto cambia orario"
    source.save_revision().publish()
    screen = client.get(f"/admin/localize/update/{translation.source.pk}/").content.decode()
    assert 'name="publish_translations"' not in screen
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/localize/update/{translation.source.pk}/", {"publish_translations": "on"}
        )
    assert response.status_code == 302
    translated.refresh_from_db()
    assert translated.title == "EN Apre lo sportello di ascolto"
    html = portal_client("sondrio").get(path_of(translated)).content.decode()
    assert "cambia orario" not in html
