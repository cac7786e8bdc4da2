"""Every link in the moderation e-mails opens on the page's own portal, signed in or not."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tests.test_moderation import about_page, edit_post, member

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"'<>]+")
HREF = re.compile(r"href=\"([^\"]+)\"")


def links_of(message) -> list[str]:
    """Every address in the text part and every link (href) of the HTML part."""
    links = {link.rstrip(".,)") for link in LINK.findall(message.body)}
    for content, _type in getattr(message, "alternatives", []):
        links.update(html.unescape(href) for href in HREF.findall(content))
    return sorted(links)


def assert_links_open_on(
    territory, message, user, *, login_path: str = "/admin/login/", opens=None
) -> None:
    """Each link is on the portal's own address (its port in development); signed out it
    leads to that host's login page (``login_path``: the admin's, or the shop's), signed in as
    ``user`` it opens, and ``opens(response, link)`` checks it is the right page."""
    links = links_of(message)
    assert links, message.body
    own = urlsplit(territory.site.root_url).netloc
    for link in links:
        parts = urlsplit(link)
        assert parts.netloc == own, link
        target = parts.path + (f"?{parts.query}" if parts.query else "")

        anonymous = Client(HTTP_HOST=parts.netloc)
        response = anonymous.get(target)
        if response.status_code == 302:
            login = urlsplit(response["Location"])
            assert login.netloc in ("", parts.netloc), link
            assert login.path == login_path, link
            assert anonymous.get(login.path, {"next": parts.path}).status_code == 200, link
        else:  # a public page (the approved page's live address)
            assert response.status_code == 200, link

        signed_in = Client(HTTP_HOST=parts.netloc)
        if user is not None:
            signed_in.force_login(user)
        response = signed_in.get(target)
        assert response.status_code == 200, link
        if opens is not None:
            opens(response, link)


def submit(territory, editor, title: str):
    page = about_page(territory)
    client = Client(HTTP_HOST=urlsplit(territory.site.root_url).netloc)
    client.force_login(editor)
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_post(page, title, "action-submit"))
    assert response.status_code == 302
    page.refresh_from_db()
    return page


def test_the_moderators_email_links_open_the_page_on_its_portal(territories):
    sondrio = territories["sondrio"]
    editor = member(sondrio.editors, "redattore@example.it")
    moderator = member(sondrio.moderators, "moderatore@example.it")
    mail.outbox.clear()
    submit(sondrio, editor, "Chi siamo davvero")

    [message] = [m for m in mail.outbox if moderator.email in m.to]
    assert_links_open_on(sondrio, message, moderator)


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_editors_email_links_open_on_the_pages_portal(territories, action):
    sondrio = territories["sondrio"]
    editor = member(sondrio.editors, "redattore@example.it")
    moderator = member(sondrio.moderators, "moderatore@example.it")
    page = submit(sondrio, editor, "Chi siamo, rivisto")
    task_state = page.current_workflow_state.current_task_state

    mail.outbox.clear()
    client = Client(HTTP_HOST=urlsplit(sondrio.site.root_url).netloc)
    client.force_login(moderator)
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": "Va bene" if action == "approve" else "Da rivedere"},
    )
    assert response.status_code in (200, 302)

    [message] = [m for m in mail.outbox if editor.email in m.to]
    assert_links_open_on(sondrio, message, editor)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000"])
def test_the_admin_login_page_opens_on_the_hub(host):
    assert Client(HTTP_HOST=host).get("/admin/login/").status_code == 200


@pytest.mark.parametrize("slug", ["sondrio", "napoli", "rho", "cremona", "padova"])
def test_the_admin_login_page_opens_on_every_portal_host(territories, slug):
    territory = territories[slug]
    for host in [urlsplit(territory.site.root_url).netloc, *territory.hostnames]:
        assert Client(HTTP_HOST=host).get("/admin/login/").status_code == 200, host


@pytest.mark.parametrize("slug", ["sondrio", "rho"])
def test_the_shops_password_reset_link_opens_on_the_portals_host_with_its_port(territories, slug):
    """Oscar's e-mail built the link from the sites row (no port): it opened nothing."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    host = urlsplit(territories[slug].site.root_url).netloc
    get_user_model().objects.create_user(
        username="lucia@example.it", email="lucia@example.it", password="vecchia-password-1"
    )
    client = Client(HTTP_HOST=host)
    mail.outbox.clear()
    response = client.post(reverse("password-reset"), {"email": "lucia@example.it"})
    assert response.status_code == 302
    [message] = mail.outbox
    links = links_of(message)
    assert links, message.body
    for link in links:
        parts = urlsplit(link)
        assert parts.netloc == host, link
        opened = Client(HTTP_HOST=parts.netloc).get(parts.path, follow=True)
        assert opened.status_code == 200, link
        assert b'name="new_password1"' in opened.content, link
