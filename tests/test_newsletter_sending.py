"""Newsletter issues: previewed and tested in the admin, sent to a segment after the sender
has seen how many it reaches and who; e-mails in HTML (with its language) and text, links
tagged with the campaign, one-click unsubscribe headers; a send resumed sends nobody twice."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.newsletters.models import Delivery, Send
from portal.newsletters.sending import create_send, segment, send_pending
from tests.newsletter_support import communications_user, issue, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    return [
        subscriber(sondrio, "anna@example.it", "it", ["elderly"]),
        subscriber(sondrio, "bruno@example.it", "en", ["children"]),
        subscriber(sondrio, "carla@example.it", "it"),  # no interest chosen: hears of all
        subscriber(rho, "dario@example.it", "it", ["children"]),
        subscriber(rho, "anna@example.it", "it", ["children"]),  # on two portals: one e-mail
        subscriber(rho, "elsa@example.it", "it", status="paused"),
        subscriber(rho, "fabio@example.it", "it", status="unsubscribed"),
    ]


def emails(qs):
    return sorted(qs.values_list("email", flat=True))


def test_a_segment_is_portals_interests_and_language(territories, people):
    sondrio, rho = territories["sondrio"], territories["rho"]
    assert emails(segment([sondrio])) == ["anna@example.it", "bruno@example.it", "carla@example.it"]
    assert emails(segment([sondrio], ["children"])) == ["bruno@example.it", "carla@example.it"]
    assert emails(segment([sondrio, rho], ["children"], "it")) == [
        "anna@example.it",
        "carla@example.it",
        "dario@example.it",
    ]
    assert emails(segment([territories["napoli"]])) == []


def admin_client(user, host="sondrio.localhost") -> Client:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def test_the_sender_sees_the_reach_and_a_sample_then_sends_once(
    territories, people, django_capture_on_commit_callbacks
):
    page = issue()
    client = admin_client(communications_user())
    url = f"/admin/newsletters/{page.pk}/send/"
    assert client.get(url).status_code == 200
    segment_data = {"territories": [territories["sondrio"].pk, territories["rho"].pk]}
    preview = client.post(url, {**segment_data, "interests": ["children"], "preview": "1"})
    text = preview.content.decode()
    assert "Questo numero raggiungerà 4 persone." in text  # Italian: the admin's default
    assert "dario@example.it" in text
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    assert not mail.outbox and not Send.objects.exists()
    data = {**segment_data, "interests": ["children"], "token": token, "send": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)  # a double submit
    assert Send.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.it",
        "bruno@example.it",
        "carla@example.it",
        "dario@example.it",
    ]
    assert Send.objects.get().status == "done"


def test_each_e_mail_has_its_language_links_tagged_and_one_click_unsubscribe(territories, people):
    page = issue()
    send = create_send(page, [territories["sondrio"]], [], "", None)
    assert send_pending(send.pk, rate=0) == 3
    by_address = {m.to[0]: m for m in mail.outbox}
    message = by_address["bruno@example.it"]
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert '<html lang="it">' in by_address["anna@example.it"].alternatives[0][0]
    assert "You receive this e-mail because" in html
    unsubscribe = re.search(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith(
        territories["sondrio"].site.root_url + "/newsletter/disiscrizione/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html and unsubscribe in message.body
    assert (
        "https://example.it/centri?x=1&amp;utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=estate-2027"
        in html
    )
    assert (
        "https://example.it/iscrizioni?utm_source=newsletter&utm_medium=email&utm_campaign=estate-2027"
        in message.body
    )
    assert "il programma (https://example.it/centri?x=1&utm_source" in message.body
    assert "Centri estivi\n-------------" in message.body
    # the unsubscribe address works from the e-mail, with the mail program's one-click POST
    path = "/" + unsubscribe.split("/", 3)[3]
    answer = Client(HTTP_HOST="sondrio.localhost", enforce_csrf_checks=True).post(
        path, {"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    people[1].refresh_from_db()
    assert people[1].status == "unsubscribed"


def test_a_send_resumed_sends_each_remaining_once_and_skips_who_left(territories, people):
    page = issue()
    send = create_send(page, [territories["sondrio"], territories["rho"]], [], "", None)
    assert send.deliveries.count() == 4  # anna once, though on two portals
    assert send_pending(send.pk, limit=2, rate=0) == 2
    first = {m.to[0] for m in mail.outbox}
    remaining = send.deliveries.filter(state="pending").select_related("subscriber")
    leaving = remaining.first().subscriber
    leaving.status = "unsubscribed"
    leaving.save()
    assert send_pending(send.pk, rate=0) == 1
    assert send_pending(send.pk, rate=0) == 0
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 3
    assert first <= set(addresses) and leaving.email not in addresses
    assert Delivery.objects.filter(send=send, state="skipped").count() == 1


def test_send_a_test_to_me_and_the_admin_preview(territories, people):
    page = issue(publish=False)
    user = communications_user()
    client = admin_client(user)
    response = client.post(f"/admin/newsletters/{page.pk}/send-test/")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email] and "Estate 2027" in message.subject
    # not published: the real send is refused, nothing is written
    refused = client.post(
        f"/admin/newsletters/{page.pk}/send/",
        {"territories": [territories["sondrio"].pk], "token": "t", "send": "1"},
    )
    assert refused.status_code == 400 and not Send.objects.exists()
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert preview.status_code in (200, 400)  # 400: no preview data posted yet
