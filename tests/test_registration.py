"""Sign-up confirmed by e-mail (issue 10, no account enumeration): registering an address
that has an account reads exactly like registering a new one; the owner is told by e-mail;
the account is made only by the e-mailed link, once, on its own portal.

Accounts are shared by all portals (one e-mail, one account, as before); a sign-up link,
though, belongs to the portal it was asked on and opens only on that host.
"""

import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail, signing
from django.test import Client, override_settings
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_model

from shop.customer.models import PendingSignup
from shop.customer.signup import SALT
from tests.test_moderation_emails import links_of

pytestmark = pytest.mark.django_db
User = get_user_model()
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

PASSWORD = "Girasole-Azzurro-77"
CHECK_YOUR_EMAIL = "Controlla la tua e-mail"


def host_of(territory) -> str:
    """The portal's own address with its port in development (what e-mails link to)."""
    return urlsplit(territory.site.root_url).netloc


def client_for(territory) -> Client:
    return Client(HTTP_HOST=host_of(territory))


def register(client: Client, email: str, prefix: str = ""):
    """The register half of the login-or-register page."""
    return client.post(
        f"{prefix}/shop/accounts/login/",
        {
            "registration-email": email,
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "Register",
        },
    )


def visible_text(response, email: str) -> str:
    """The page as a visitor reads it, with the typed address and per-response tokens out."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'nonce="[^"]+"', "", page)
    return page.replace(email, "ADDRESS")


def owner(email: str = "lucia@example.it"):
    return User.objects.create_user(username="lucia", email=email, password="vecchia-Password-9")


def link_in(message, path_part: str) -> str:
    [link] = [link for link in links_of(message) if path_part in link]
    return link


def follow(link: str, client: Client | None = None):
    parts = urlsplit(link)
    client = client or Client(HTTP_HOST=parts.netloc)
    return client, client.get(parts.path)


# --- the same answer for a new and a known address ------------------------------------------


@pytest.mark.parametrize("page", ["/shop/accounts/login/", "/shop/accounts/register/"])
def test_a_known_address_gets_exactly_the_page_a_new_one_gets(territories, page):
    owner()
    sondrio = territories["sondrio"]

    def answer(email: str):
        if page.endswith("/login/"):
            return register(client_for(sondrio), email)
        return client_for(sondrio).post(
            page, {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        )

    new, known = answer("nuova@example.it"), answer("lucia@example.it")
    assert new.status_code == known.status_code == 200
    assert CHECK_YOUR_EMAIL in new.content.decode()
    assert (
        "Abbiamo inviato un messaggio a <strong>nuova@example.it</strong>" in new.content.decode()
    )
    assert visible_text(new, "nuova@example.it") == visible_text(known, "lucia@example.it")
    assert "already exists" not in known.content.decode()
    assert "esiste già" not in known.content.decode()
    assert User.objects.filter(email__iexact="lucia@example.it").count() == 1
    assert not User.objects.filter(email="nuova@example.it").exists()


def test_each_address_gets_one_e_mail_and_only_the_owner_hears_of_the_account(territories):
    owner()
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    register(client_for(sondrio), "nuova@example.it")
    register(client_for(sondrio), "Lucia@Example.IT")
    assert [m.to for m in mail.outbox] == [["nuova@example.it"], ["lucia@example.it"]]
    confirm, note = mail.outbox
    assert confirm.subject == "Conferma la registrazione su SondrioWelfare"
    assert note.subject == (
        "Qualcuno ha provato a registrarsi su SondrioWelfare con il tuo indirizzo"
    )
    assert PendingSignup.objects.filter(email="nuova@example.it").count() == 1
    assert not PendingSignup.objects.filter(email__iexact="lucia@example.it").exists()


class CountingHasher(PBKDF2PasswordHasher):
    """Django's default hasher, counting the hashes it computes (the work that a registration
    for a known address would save if it skipped the hash, and that a stopwatch would show)."""

    algorithm = "pbkdf2_sha256_counted"
    computed = 0

    def encode(self, password, salt, iterations=None):
        CountingHasher.computed += 1
        return super().encode(password, salt, iterations)


def hashes_of(action) -> int:
    before = CountingHasher.computed
    action()
    return CountingHasher.computed - before


@override_settings(PASSWORD_HASHERS=["tests.test_registration.CountingHasher"])
def test_registering_a_known_address_takes_as_long_as_a_new_one(territories):
    """The same hashing work on both paths, counted (a wall-clock comparison fails on a busy
    machine): without the hash on the known path, measured 0.17 s against 5.1 s for four
    registrations with Django's default hasher."""
    owner()
    client = client_for(territories["sondrio"])

    def register_ok(email: str) -> None:
        assert register(client, email).status_code == 200

    new = hashes_of(lambda: register_ok("nuova@example.it"))
    known = hashes_of(lambda: register_ok("lucia@example.it"))
    assert new == known == 1
    # and on a quiet machine the clock agrees
    start = time.perf_counter()
    register_ok("nuova2@example.it")
    new_seconds = time.perf_counter() - start
    start = time.perf_counter()
    register_ok("lucia@example.it")
    print(f"PBKDF2: new {new_seconds:.3f} s, known {time.perf_counter() - start:.3f} s")


# --- the owner's e-mail -------------------------------------------------------------------


def test_the_owners_e_mail_links_to_the_portals_login_and_password_reset(territories):
    lucia = owner()
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    register(client_for(sondrio), "lucia@example.it")
    [note] = mail.outbox
    [html] = [content for content, kind in note.alternatives if kind == "text/html"]
    assert '<html lang="it">' in html
    assert "se sei stato tu" in note.body.lower()
    for link in links_of(note):
        assert urlsplit(link).netloc == host_of(sondrio), link

    client, login = follow(link_in(note, "/accounts/login/"))
    assert login.status_code == 200
    assert b'name="login-username"' in login.content
    signed_in = client.post(
        urlsplit(link_in(note, "/accounts/login/")).path,
        {
            "login-username": "lucia@example.it",
            "login-password": "vecchia-Password-9",
            "login_submit": "1",
        },
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(lucia.pk)

    __, reset = follow(link_in(note, "/password-reset/"))
    assert reset.status_code == 200
    assert b'name="email"' in reset.content


# --- a new address: the account comes with the link ----------------------------------------


def test_the_account_is_created_only_when_the_link_is_followed(territories):
    sondrio = territories["sondrio"]
    registered = []

    def count(sender, user, **kwargs):
        registered.append(user.email)

    user_registered.connect(count)
    try:
        mail.outbox.clear()
        visitor = client_for(sondrio)
        register(visitor, "nuova@example.it")
        assert not User.objects.filter(email="nuova@example.it").exists()
        [message] = mail.outbox
        [html] = [content for content, kind in message.alternatives if kind == "text/html"]
        assert '<html lang="it">' in html
        link = link_in(message, "/signup/")
        assert urlsplit(link).netloc == host_of(sondrio)
        assert link in message.body  # the text part has the same link

        client, page = follow(link, visitor)
        assert page.status_code == 200
        assert "Crea il mio account" in page.content.decode()
        assert "account di <strong>nuova@example.it</strong> e accedi" in page.content.decode()
        assert not User.objects.filter(email="nuova@example.it").exists()  # GET makes nothing

        response = client.post(urlsplit(link).path)
        assert response.status_code == 302
        assert response["Location"] == "/shop/accounts/"
        user = User.objects.get(email="nuova@example.it")
        assert user.check_password(PASSWORD) and user.is_active
        assert client.session["_auth_user_id"] == str(user.pk)
        account = client.get("/shop/accounts/", follow=True)
        assert account.status_code == 200
        assert "nuova@example.it" in account.content.decode()

        # Oscar's signal and welcome e-mail, once
        assert registered == ["nuova@example.it"]
        [welcome] = [m for m in mail.outbox[1:] if m.to == ["nuova@example.it"]]
        assert welcome.subject == "Grazie per la registrazione."
        assert "il tuo account è pronto" in welcome.body
        [html] = [content for content, kind in welcome.alternatives if kind == "text/html"]
        assert '<html lang="it">' in html
        [account_link] = links_of(welcome)
        assert urlsplit(account_link).netloc == host_of(sondrio)
        assert client.get(urlsplit(account_link).path, follow=True).status_code == 200
        assert follow(account_link)[1]["Location"].startswith("/shop/accounts/login/")

        # a second click: a clear page, no second account, no second welcome
        for again in (client_for(sondrio), client):
            assert again.get(urlsplit(link).path).status_code == 410
            used = again.post(urlsplit(link).path)
            assert used.status_code == 410
            assert "è già stato usato" in used.content.decode()
        assert User.objects.filter(email__iexact="nuova@example.it").count() == 1
        assert registered == ["nuova@example.it"]
        assert len(mail.outbox) == 2
    finally:
        user_registered.disconnect(count)


def test_two_links_for_one_address_make_one_account(territories):
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    register(client_for(sondrio), "nuova@example.it")
    register(client_for(sondrio), "nuova@example.it")
    first, second = (link_in(m, "/signup/") for m in mail.outbox)
    assert client_for(sondrio).post(urlsplit(first).path).status_code == 302
    refused = client_for(sondrio).post(urlsplit(second).path)
    assert refused.status_code == 410
    assert "esiste già un account" in refused.content.decode().lower()
    assert User.objects.filter(email="nuova@example.it").count() == 1


@pytest.mark.parametrize(
    ("language", "subject", "button"),
    [
        ("en", "Confirm your registration at SondrioWelfare", "Create my account"),
        ("de", "Bestätigen Sie Ihre Registrierung bei SondrioWelfare", "Mein Konto erstellen"),
    ],
)
def test_the_link_opens_in_the_language_of_the_page(territories, language, subject, button):
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    page = register(client_for(sondrio), "nuova@example.it", prefix=f"/{language}")
    assert page.status_code == 200
    [message] = mail.outbox
    assert message.subject == subject
    [html] = [content for content, kind in message.alternatives if kind == "text/html"]
    assert f'<html lang="{language}">' in html
    link = link_in(message, "/signup/")
    assert urlsplit(link).path.startswith(f"/{language}/shop/accounts/signup/")
    client, confirm = follow(link)
    assert button in confirm.content.decode()
    response = client.post(urlsplit(link).path)
    assert response["Location"] == f"/{language}/shop/accounts/"


# --- links that create nothing -------------------------------------------------------------


def pending(territory, email: str = "nuova@example.it") -> PendingSignup:
    return PendingSignup.objects.create(email=email, password="!", territory=territory)


class OldSigner(signing.TimestampSigner):
    """Signs as if 49 hours ago (links last 48)."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 49 * 3600)


def test_a_forged_link_is_refused_and_changes_nothing(territories):
    sondrio = territories["sondrio"]
    row = pending(sondrio)
    good = signing.dumps({"signup": row.pk}, salt=SALT, compress=True)
    for token in [
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # tampered signature
        signing.dumps({"signup": row.pk}, salt="another-purpose", compress=True),
        "not-a-token",
    ]:
        client = client_for(sondrio)
        for response in (
            client.get(f"/shop/accounts/signup/{token}/"),
            client.post(f"/shop/accounts/signup/{token}/"),
        ):
            assert response.status_code == 400, token
            assert "non è valido" in response.content.decode()
    assert not User.objects.filter(email="nuova@example.it").exists()
    assert PendingSignup.objects.get(pk=row.pk).confirmed is None


def test_an_expired_link_is_refused_and_changes_nothing(territories):
    sondrio = territories["sondrio"]
    row = pending(sondrio)
    token = OldSigner(salt=SALT).sign_object({"signup": row.pk}, compress=True)
    response = client_for(sondrio).post(f"/shop/accounts/signup/{token}/")
    assert response.status_code == 410
    assert "è scaduto" in response.content.decode()
    assert 'href="/shop/accounts/register/"' in response.content.decode()
    assert not User.objects.filter(email="nuova@example.it").exists()


def test_a_napoli_link_does_not_sign_up_on_sondrios_host(territories):
    napoli, sondrio = territories["napoli"], territories["sondrio"]
    mail.outbox.clear()
    register(client_for(napoli), "nuova@example.it")
    [message] = mail.outbox
    assert message.subject == "Conferma la registrazione su NapoliWelfare"
    link = link_in(message, "/signup/")
    assert urlsplit(link).netloc == host_of(napoli)
    path = urlsplit(link).path

    on_sondrio = client_for(sondrio)
    assert on_sondrio.get(path).status_code == 400
    refused = on_sondrio.post(path)
    assert refused.status_code == 400
    assert "appartiene a un altro portale" in refused.content.decode()
    assert not User.objects.filter(email="nuova@example.it").exists()

    assert client_for(napoli).post(path).status_code == 302  # on its own portal it works
    assert User.objects.filter(email="nuova@example.it").count() == 1


# --- the checkout's new customer ------------------------------------------------------------


def basket_client(territory) -> tuple[Client, "StockRecord"]:
    offer = StockRecord.objects.filter(territory=territory).order_by("pk").first()
    client = client_for(territory)
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    return client, offer


def start_as_new_customer(client: Client, email: str) -> str:
    """The gateway's "new customer" option, then its registration page; the e-mailed link."""
    response = client.post("/shop/checkout/", {"username": email, "options": "new"})
    assert response.status_code == 302
    register_url = urlsplit(response["Location"])
    assert register_url.path == "/shop/accounts/register/"
    query = parse_qs(register_url.query)
    assert query == {"next": ["/shop/checkout/booking/"], "email": [email]}
    form = client.get(response["Location"])
    assert f'value="{email}"' in form.content.decode()
    mail.outbox.clear()
    sent = client.post(
        response["Location"],
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "redirect_url": query["next"][0],
        },
    )
    assert sent.status_code == 200
    assert CHECK_YOUR_EMAIL in sent.content.decode()
    [message] = mail.outbox
    return message


@pytest.mark.parametrize("same_browser", [True, False])
def test_a_new_customer_at_checkout_comes_back_signed_in_with_the_basket(territories, same_browser):
    rho = territories["rho"]
    client, offer = basket_client(rho)
    message = start_as_new_customer(client, "nuova@example.it")
    assert not User.objects.filter(email="nuova@example.it").exists()
    link = link_in(message, "/signup/")
    browser = client if same_browser else client_for(rho)  # e.g. the phone's mail app
    assert browser.get(urlsplit(link).path).status_code == 200
    response = browser.post(urlsplit(link).path)
    assert response["Location"] == "/shop/checkout/booking/"
    booking = browser.get("/shop/checkout/booking/")
    assert booking.status_code == 200
    assert offer.product.title in booking.content.decode()
    user = User.objects.get(email="nuova@example.it")
    [basket] = Basket.objects.filter(owner=user, status=Basket.OPEN)
    assert [line.product_id for line in basket.all_lines()] == [offer.product_id]


def test_the_checkout_gateway_never_says_an_address_has_an_account(territories):
    owner()
    rho = territories["rho"]
    client, __ = basket_client(rho)
    answers = {}
    for email in ("nuova@example.it", "lucia@example.it"):
        for option in ("new", "anonymous"):
            response = client.post("/shop/checkout/", {"username": email, "options": option})
            location = response["Location"].replace(quote(email), "X")
            answers[email, option] = (response.status_code, location)
    assert answers["nuova@example.it", "new"] == answers["lucia@example.it", "new"]
    assert answers["nuova@example.it", "anonymous"] == answers["lucia@example.it", "anonymous"]
    assert answers["lucia@example.it", "anonymous"] == (302, "/shop/checkout/booking/")

    # the known address on the registration page: the same page, and the owner's e-mail
    message = start_as_new_customer(basket_client(rho)[0], "lucia@example.it")
    assert message.to == ["lucia@example.it"]
    assert "/signup/" not in message.body
    assert User.objects.filter(email__iexact="lucia@example.it").count() == 1


def test_expired_sign_ups_are_forgotten_with_their_password_hashes(territories):
    from datetime import timedelta

    from django.utils import timezone

    sondrio = territories["sondrio"]
    old, recent = pending(sondrio, "vecchia@example.it"), pending(sondrio, "recente@example.it")
    PendingSignup.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=49))
    register(client_for(sondrio), "nuova@example.it")
    assert not PendingSignup.objects.filter(pk=old.pk).exists()
    assert PendingSignup.objects.filter(pk=recent.pk).exists()
    mail.outbox.clear()
    register(client_for(sondrio), "altra@example.it")
    client_for(sondrio).post(urlsplit(link_in(mail.outbox[0], "/signup/")).path)
    confirmed = PendingSignup.objects.get(email="altra@example.it")
    assert confirmed.user.email == "altra@example.it"
    assert confirmed.password == ""  # the account holds the hash, not this row
