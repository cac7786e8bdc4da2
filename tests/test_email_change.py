"""Changing the e-mail in the profile (issue 10, no account enumeration): a taken and a free
address get the same answer; the new address gets a link (or its owner a note); the change
happens only from the link, once, on its own portal; the old address is told afterwards."""

import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client

from shop.customer.email_change import SALT
from tests.test_registration import client_for, host_of, link_in, visible_text

pytestmark = pytest.mark.django_db
User = get_user_model()
EDIT = "/shop/accounts/profile/edit/"


def people():
    mario = User.objects.create_user(
        username="mario", email="mario@example.it", password="x", first_name="Mario"
    )
    lucia = User.objects.create_user(username="lucia", email="lucia@example.it", password="x")
    return mario, lucia


def signed_in(territory, user) -> Client:
    client = client_for(territory)
    client.force_login(user, backend="portal.security.backends.EmailBackend")
    return client


def edit(client: Client, email: str, first_name: str = "Mario", prefix: str = ""):
    return client.post(
        f"{prefix}{EDIT}",
        {"first_name": first_name, "last_name": "Rossi", "email": email},
        follow=True,
    )


def html_of(message) -> str:
    [html] = [content for content, kind in message.alternatives if kind == "text/html"]
    return html


def test_a_taken_address_gets_exactly_the_answer_a_free_one_gets(territories):
    mario, __ = people()
    sondrio = territories["sondrio"]
    client = signed_in(sondrio, mario)
    mail.outbox.clear()
    free = edit(client, "nuovo@example.it")
    taken = edit(client, "lucia@Example.IT")
    assert free.status_code == taken.status_code == 200
    assert free.redirect_chain == taken.redirect_chain == [("/shop/accounts/profile/", 302)]
    text = free.content.decode()
    assert "Abbiamo inviato un link a nuovo@example.it" in text
    assert "already exists" not in taken.content.decode()
    assert "esiste già" not in taken.content.decode()
    assert visible_text(free, "nuovo@example.it") == visible_text(taken, "lucia@example.it")
    # nothing changed yet, but the name did
    mario.refresh_from_db()
    assert mario.email == "mario@example.it"
    assert mario.last_name == "Rossi"
    assert User.objects.get(username="lucia").email == "lucia@example.it"
    # one e-mail to each new address, none to the old one yet
    assert [m.to for m in mail.outbox] == [["nuovo@example.it"], ["lucia@example.it"]]
    confirm, note = mail.outbox
    assert confirm.subject == "Conferma il tuo nuovo indirizzo e-mail su SondrioWelfare"
    assert note.subject == "Qualcuno ha provato a usare il tuo indirizzo su SondrioWelfare"
    assert "/email/" not in note.body and "/email/" not in html_of(note)
    assert '<html lang="it">' in html_of(confirm) and '<html lang="it">' in html_of(note)
    for link in [link_in(confirm, "/email/"), link_in(note, "/password-reset/")]:
        assert urlsplit(link).netloc == host_of(sondrio), link


def test_the_name_alone_saves_at_once_and_sends_nothing(territories):
    mario, __ = people()
    client = signed_in(territories["sondrio"], mario)
    mail.outbox.clear()
    response = edit(client, "MARIO@example.it", first_name="Marietto")
    assert "Abbiamo inviato" not in response.content.decode()
    mario.refresh_from_db()
    assert (mario.first_name, mario.email) == ("Marietto", "mario@example.it")
    assert mail.outbox == []


def test_the_address_changes_only_from_the_link_once_and_the_old_one_is_told(territories):
    mario, __ = people()
    sondrio = territories["sondrio"]
    client = signed_in(sondrio, mario)
    mail.outbox.clear()
    edit(client, "nuovo@example.it")
    [confirm] = mail.outbox
    link = link_in(confirm, "/email/")
    assert link in confirm.body
    path = urlsplit(link).path

    mailbox = client_for(sondrio)  # the new address's mail app, not signed in
    page = mailbox.get(path)
    assert page.status_code == 200
    assert "<strong>nuovo@example.it</strong>" in page.content.decode()
    mario.refresh_from_db()
    assert mario.email == "mario@example.it"  # GET changes nothing
    assert len(mail.outbox) == 1

    done = client.post(path, follow=True)
    assert done.status_code == 200
    assert "Il tuo indirizzo e-mail ora è nuovo@example.it" in done.content.decode()
    mario.refresh_from_db()
    assert mario.email == "nuovo@example.it"
    [notice] = mail.outbox[1:]
    assert notice.to == ["mario@example.it"]
    assert "nuovo@example.it" in notice.body
    reset = [link for link in link_in.__globals__["links_of"](notice) if "password-reset" in link]
    assert reset and all(urlsplit(link).netloc == host_of(sondrio) for link in reset)

    again = mailbox.post(path)
    assert again.status_code == 410
    assert "è già stato usato" in again.content.decode()
    assert len(mail.outbox) == 2


def test_a_link_for_an_address_taken_since_changes_nothing(territories):
    mario, __ = people()
    sondrio = territories["sondrio"]
    edit(signed_in(sondrio, mario), "nuovo@example.it")
    path = urlsplit(link_in(mail.outbox[-1], "/email/")).path
    User.objects.create_user(username="nuovo", email="nuovo@example.it", password="x")
    refused = client_for(sondrio).post(path)
    assert refused.status_code == 410
    assert "appartiene ora a un altro account" in refused.content.decode()
    mario.refresh_from_db()
    assert mario.email == "mario@example.it"


class OldSigner(signing.TimestampSigner):
    """Signs as if 25 hours ago (links last 24)."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 25 * 3600)


def test_forged_and_expired_links_change_nothing(territories):
    mario, __ = people()
    sondrio = territories["sondrio"]
    data = {"user": mario.pk, "old": mario.email, "new": "x@example.it", "portal": sondrio.pk}
    good = signing.dumps(data, salt=SALT, compress=True)
    for token, status, text in [
        (good[:-2] + ("AA" if not good.endswith("AA") else "BB"), 400, "non è valido"),
        (signing.dumps(data, salt="shop.customer.signup", compress=True), 400, "non è valido"),
        ("not-a-token", 400, "non è valido"),
        (OldSigner(salt=SALT).sign_object(data, compress=True), 410, "è scaduto"),
    ]:
        client = client_for(sondrio)
        for response in (
            client.get(f"/shop/accounts/email/{token}/"),
            client.post(f"/shop/accounts/email/{token}/"),
        ):
            assert response.status_code == status, token
            assert text in response.content.decode()
    mario.refresh_from_db()
    assert mario.email == "mario@example.it"
    assert mail.outbox == []


def test_a_napoli_link_does_not_change_the_address_on_sondrios_host(territories):
    mario, __ = people()
    napoli, sondrio = territories["napoli"], territories["sondrio"]
    mail.outbox.clear()
    edit(signed_in(napoli, mario), "nuovo@example.it")
    [confirm] = mail.outbox
    assert confirm.subject == "Conferma il tuo nuovo indirizzo e-mail su NapoliWelfare"
    link = link_in(confirm, "/email/")
    assert urlsplit(link).netloc == host_of(napoli)
    path = urlsplit(link).path
    refused = client_for(sondrio).post(path)
    assert refused.status_code == 400
    assert "appartiene a un altro portale" in refused.content.decode()
    mario.refresh_from_db()
    assert mario.email == "mario@example.it"
    assert client_for(napoli).post(path).status_code == 302
    mario.refresh_from_db()
    assert mario.email == "nuovo@example.it"


@pytest.mark.parametrize(
    ("language", "subject", "button", "sent"),
    [
        (
            "en",
            "Confirm your new e-mail address at SondrioWelfare",
            "Change my e-mail address",
            "We have sent a link to nuovo@example.it",
        ),
        (
            "de",
            "Bestätigen Sie Ihre neue E-Mail-Adresse bei SondrioWelfare",
            "Meine E-Mail-Adresse ändern",
            "Wir haben einen Link an nuovo@example.it gesendet",
        ),
    ],
)
def test_the_link_opens_in_the_language_of_the_page(territories, language, subject, button, sent):
    mario, __ = people()
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    page = edit(signed_in(sondrio, mario), "nuovo@example.it", prefix=f"/{language}")
    assert sent in page.content.decode()
    [message] = mail.outbox
    assert message.subject == subject
    assert f'<html lang="{language}">' in html_of(message)
    link = link_in(message, "/email/")
    assert urlsplit(link).path.startswith(f"/{language}/shop/accounts/email/")
    assert button in client_for(sondrio).get(urlsplit(link).path).content.decode()
    assert client_for(sondrio).post(urlsplit(link).path).status_code == 302
    [notice] = mail.outbox[1:]  # Oscar's notice to the old address, in the same language
    assert notice.to == ["mario@example.it"]
    assert f'<html lang="{language}">' in html_of(notice)
