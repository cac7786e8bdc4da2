"""Newsletter subscriptions: double opt-in on each portal's host, the same answer for a known
address, consent recorded, preferences and one-click unsubscribe (RFC 8058) by signed links,
bounces unsubscribing; bad input answers clearly and writes nothing."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from portal.newsletters.models import Consent, Subscriber
from portal.newsletters.subscriptions import CONFIRM_SALT, subscriber_token
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"https?://[^\s\"<]+/newsletter/conferma/[^\s\"<]+/")
PREFERENCES = re.compile(r"https?://[^\s\"<]+/newsletter/preferenze/[^\s\"<]+/")


def subscribe(client, email="anna@example.it", interests=("elderly",), language="it", **extra):
    data = {"email": email, "interests": list(interests), "language": language, "consent": "on"}
    return client.post("/newsletter/", {**data, **extra})


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def subscribed(client, email="anna@example.it", **kwargs) -> Subscriber:
    subscribe(client, email, **kwargs)
    link = CONFIRM.search(mail.outbox[-1].body).group(0)
    client.post(path_of(link))
    return Subscriber.objects.get(email=email, territory__slug=client.defaults["HTTP_HOST"][:-10])


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])  # italia and borgo
@pytest.mark.parametrize(
    "prefix, heading, label",
    [("", "Newsletter", "Consenso"), ("/en", "Newsletter", "I agree"), ("/de", "Newsletter", "")],
)
def test_the_subscription_page_answers_on_every_portal_and_language(
    territories, slug, prefix, heading, label
):
    response = portal_client(slug).get(f"{prefix}/newsletter/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Newsletter</h1>" in text
    for field in ("id_email", "id_language", "id_consent", "id_interests_0"):
        assert f'for="{field}"' in text, field
    assert "Anziani" in text if not prefix else True


def test_italian_first_with_english_and_german(territories):
    it = portal_client("sondrio").get("/newsletter/").content.decode()
    en = portal_client("sondrio").get("/en/newsletter/").content.decode()
    de = portal_client("sondrio").get("/de/newsletter/").content.decode()
    assert "Iscriviti" in it and "Subscribe" in en and "Abonnieren" in de


def test_double_opt_in_writes_nothing_until_the_link_is_followed(territories):
    client = portal_client("sondrio")
    response = subscribe(client)
    assert response.status_code == 200
    assert "anna@example.it" in response.content.decode()
    assert not Subscriber.objects.exists()
    [message] = mail.outbox
    link = CONFIRM.search(message.body).group(0)
    assert link.startswith("http://sondrio.localhost/newsletter/conferma/")
    assert link in message.alternatives[0][0]
    # GET only asks (a mail scanner opening the link subscribes nobody)
    page = client.get(path_of(link))
    assert page.status_code == 200 and not Subscriber.objects.exists()
    assert client.post(path_of(link)).status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.territory, subscriber.language) == (
        "anna@example.it",
        territories["sondrio"],
        "it",
    )
    assert subscriber.interest_codes() == ["elderly"]
    [consent] = Consent.objects.all()
    assert consent.territory == territories["sondrio"]
    assert consent.text_version == "2026-12"
    assert abs(consent.given_at - timezone.now()) < timedelta(minutes=1)
    # the link followed again (a double click) changes nothing
    assert client.post(path_of(link)).status_code == 200
    assert Subscriber.objects.count() == 1 and Consent.objects.count() == 1


def test_a_known_address_gets_the_same_page_and_a_preferences_link(territories):
    client = portal_client("sondrio")
    subscribed(client)
    mail.outbox.clear()
    new = subscribe(client, "bruno@example.it").content.decode()
    known = subscribe(client, "anna@example.it").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|bruno@example.it|anna@example.it')
    assert strip.sub("", new) == strip.sub("", known)
    to_new, to_known = mail.outbox
    assert CONFIRM.search(to_new.body) and not PREFERENCES.search(to_new.body)
    assert PREFERENCES.search(to_known.body) and not CONFIRM.search(to_known.body)
    assert Consent.objects.count() == 1  # nothing written for the known address


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "not-an-address"}, "email", "valid e-mail"),
        ({"email": ""}, "email", "Enter your e-mail"),
        ({"consent": ""}, "consent", "consent"),
        ({"language": "xx"}, "language", "valid choice"),
    ],
)
def test_bad_input_is_an_error_tied_to_its_field_and_writes_nothing(
    territories, data, field, message
):
    valid = {"email": "a@example.it", "language": "en", "consent": "on"}
    response = portal_client("sondrio").post("/en/newsletter/", {**valid, **data})
    assert response.status_code == 400
    text = response.content.decode()
    assert f'aria-describedby="id_{field}-error"' in text
    error = re.search(rf'id="id_{field}-error"[^>]*>([^<]*)<', text).group(1)
    assert message.lower() in error.lower()
    assert not mail.outbox and not Subscriber.objects.exists()


def test_an_expired_forged_or_other_portal_link_subscribes_nobody(territories, settings):
    client = portal_client("sondrio")
    subscribe(client)
    link = path_of(CONFIRM.search(mail.outbox[-1].body).group(0))
    forged = link.replace("/conferma/", "/conferma/x")
    assert client.post(forged).status_code == 404
    assert "not valid" in client.get("/en" + forged).content.decode()
    assert portal_client("rho").post(link).status_code == 404
    settings.PORTAL_NEWSLETTER_LINK_HOURS = -1
    expired = client.post(link)
    assert expired.status_code == 410 and "expired" in client.get("/en" + link).content.decode()
    assert not Subscriber.objects.exists() and not Consent.objects.exists()


def test_a_link_asked_for_before_unsubscribing_cannot_subscribe_again(territories):
    client = portal_client("sondrio")
    subscriber = subscribed(client)
    old = signing.dumps(
        {
            "e": "anna@example.it",
            "t": territories["sondrio"].pk,
            "i": "",
            "l": "it",
            "v": "2026-12",
            "at": (timezone.now() - timedelta(hours=1)).isoformat(),
        },
        salt=CONFIRM_SALT,
        compress=True,
    )
    client.post(f"/newsletter/disiscrizione/{subscriber_token(subscriber)}/")
    assert client.post(f"/newsletter/conferma/{old}/").status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_preferences_by_signed_link(territories):
    client = portal_client("sondrio")
    subscriber = subscribed(client)
    url = f"/newsletter/preferenze/{subscriber_token(subscriber)}/"
    page = client.get(url)
    assert page.status_code == 200 and "anna@example.it" in page.content.decode()
    saved = client.post(
        url, {"interests": ["children", "families"], "language": "en", "paused": "on"}
    )
    assert saved.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.interest_codes() == ["children", "families"]
    assert (subscriber.language, subscriber.status) == ("en", "paused")
    client.post(url, {"language": "it"})
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.interests) == ("active", "")
    # forged, or on another portal: 404 and nothing changes
    assert (
        client.post(url.replace("/preferenze/", "/preferenze/x"), {"language": "en"}).status_code
        == 404
    )
    assert portal_client("rho").post(url, {"language": "en"}).status_code == 404
    assert client.post(url, {"language": "xx"}).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.language == "it"


def test_one_click_unsubscribe_needs_no_login_no_csrf_and_gives_no_page(territories):
    subscriber = subscribed(portal_client("sondrio"))
    url = f"/newsletter/disiscrizione/{subscriber_token(subscriber)}/"
    mail_program = Client(HTTP_HOST="sondrio.localhost", enforce_csrf_checks=True)
    forged = mail_program.post(
        url.replace("/disiscrizione/", "/disiscrizione/x"), {"List-Unsubscribe": "One-Click"}
    )
    assert forged.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == "active"
    # a GET (a link checker) unsubscribes nobody
    assert mail_program.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "active"
    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.content == b""
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribe_reason == "one-click"
    when = subscriber.unsubscribed_at
    assert mail_program.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200  # replay
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == when
    # the same token on another portal is refused
    assert (
        Client(HTTP_HOST="rho.localhost").post(url, {"List-Unsubscribe": "One-Click"}).status_code
        == 404
    )


def test_the_unsubscribe_link_of_an_e_mail_asks_then_confirms(territories):
    client = portal_client("cremona")
    subscriber = subscribed(client)
    url = f"/en/newsletter/disiscrizione/{subscriber_token(subscriber)}/"
    assert "Yes, unsubscribe me" in client.get(url).content.decode()
    done = client.post(url)
    assert "You are unsubscribed" in done.content.decode()


def test_a_bounce_or_complaint_at_the_webhook_unsubscribes_the_address(territories):
    subscriber = subscribed(portal_client("sondrio"))
    other = subscribed(portal_client("rho"), "carla@example.it")
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "Email": "anna@example.it",
        "BouncedAt": "2026-12-02T10:00:00Z",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    }
    client = Client(HTTP_HOST="sondrio.localhost")
    url = "/anymail/postmark/tracking/"
    refused = client.post(url, json.dumps(payload), content_type="application/json")
    assert refused.status_code in (400, 401, 403)
    subscriber.refresh_from_db()
    assert subscriber.status == "active"
    auth = "Basic " + base64.b64encode(b"anymail:dev-only-not-secret").decode()
    ok = client.post(
        url, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth
    )
    assert ok.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_reason) == ("unsubscribed", "bounced")
    complaint = {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "ID": 43,
        "Email": "carla@example.it",
        "BouncedAt": "2026-12-02T10:00:00Z",
    }
    client.post(
        url, json.dumps(complaint), content_type="application/json", HTTP_AUTHORIZATION=auth
    )
    other.refresh_from_db()
    assert (other.status, other.unsubscribe_reason) == ("unsubscribed", "complained")


def test_the_newsletter_block_puts_the_form_in_any_page(territories):
    from portal.content.models import StandardPage
    from tests.editorial import home_of

    home = home_of(territories["cremona"])
    page = StandardPage(
        title="Resta informato",
        slug="resta-informato",
        body=[("newsletter", {"title": "La nostra newsletter", "text": "Una volta al mese."})],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    text = portal_client("cremona").get("/resta-informato/").content.decode()
    assert "La nostra newsletter" in text
    assert 'action="/newsletter/"' in text and 'for="newsletter-email"' in text


def test_a_page_with_the_form_never_hands_one_visitors_csrf_token_to_another(territories):
    """The page's body is a kept fragment unless a block shows a form ({% portalcache %}
    ``when=page.body|keepable``): a second visitor's form must carry their own token."""
    from portal.content.models import StandardPage
    from tests.editorial import home_of

    home = home_of(territories["cremona"])
    page = StandardPage(title="Iscriviti", slug="iscriviti", body=[("newsletter", {"title": "N"})])
    home.add_child(instance=page)
    page.save_revision().publish()
    first = Client(HTTP_HOST="cremona.localhost", enforce_csrf_checks=True)
    first.get("/iscriviti/")
    second = Client(HTTP_HOST="cremona.localhost", enforce_csrf_checks=True)
    html = second.get("/iscriviti/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(
        "/newsletter/",
        {"csrfmiddlewaretoken": token, "email": "nuova@example.it", "language": "it"},
    )
    assert response.status_code != 403
