"""Moderation: an editor submits, the territory's moderator publishes; scheduled publishing."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.conftest import portal_client
from tests.editorial import add_article, home_of, news_index

pytestmark = pytest.mark.django_db


def member(group, email: str):
    user = get_user_model().objects.create_user(username=email, email=email, password="x")
    user.groups.add(group)
    return user


def about_page(territory):
    return Page.objects.child_of(home_of(territory)).get(slug="chi-siamo").specific


def edit_post(page, title: str, action: str) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": rich_text("<p>Chi siamo, in breve.</p>"),
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    data[action] = "1"
    return data


def test_an_editor_submits_and_a_moderator_publishes(territories):
    sondrio = territories["sondrio"]
    page = about_page(sondrio)
    editor = member(sondrio.editors, "redattore@example.it")
    moderator = member(sondrio.moderators, "moderatore@example.it")
    citizen = portal_client("sondrio")

    client = portal_client("sondrio")
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/{page.pk}/edit/", edit_post(page, "Chi siamo davvero", "action-submit")
    )
    assert response.status_code == 302
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert "Chi siamo davvero" not in citizen.get("/chi-siamo/").content.decode()

    client.force_login(moderator)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    assert "Chi siamo davvero" in citizen.get("/chi-siamo/").content.decode()


def test_an_editor_cannot_publish_by_themselves(territories):
    sondrio = territories["sondrio"]
    page = about_page(sondrio)
    client = portal_client("sondrio")
    client.force_login(member(sondrio.editors, "redattrice@example.it"))
    client.post(
        f"/admin/pages/{page.pk}/edit/", edit_post(page, "Pubblicato da solo", "action-publish")
    )
    assert "Pubblicato da solo" not in portal_client("sondrio").get("/chi-siamo/").content.decode()


def test_a_moderator_of_another_portal_cannot_approve(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    page = about_page(sondrio)
    client = portal_client("sondrio")
    client.force_login(member(sondrio.editors, "redattore2@example.it"))
    client.post(f"/admin/pages/{page.pk}/edit/", edit_post(page, "Da approvare", "action-submit"))
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state

    client.force_login(member(rho.moderators, "moderatore.rho@example.it"))
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (302, 403, 404)  # refused: back to the dashboard
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"
    assert "Da approvare" not in portal_client("sondrio").get("/chi-siamo/").content.decode()


def test_scheduled_publishing(territories):
    index = news_index(territories["sondrio"])
    article = add_article(index, "Notizia programmata", publish=False)
    article.go_live_at = timezone.now() + timedelta(days=1)
    revision = article.save_revision()
    revision.publish()
    path = urlparse(article.full_url).path
    citizen = portal_client("sondrio")

    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert citizen.get(path).status_code == 404
    call_command("publish_scheduled")
    assert citizen.get(path).status_code == 404  # not yet: tomorrow

    # the day comes (the schedule is moved, not the clock)
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    assert citizen.get(path).status_code == 200
    assert "Notizia programmata" in citizen.get(urlparse(index.full_url).path).content.decode()
