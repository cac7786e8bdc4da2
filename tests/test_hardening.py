"""The hardening of issue 10: sign-in throttling, no account enumeration, inert spreadsheet
cells, security headers, two-factor sign-in, POST-only logout, gift-code limits."""

import re
import time
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.compat import UnicodeCSVWriter
from oscar.core.loading import get_model

from portal.security.addresses import client_ip
from shop.giftcards.redemption import TenderLine, plan_tender
from tests.conftest import portal_client
from tests.test_giftcards import new_card

StockRecord = get_model("partner", "StockRecord")

THROTTLED = override_settings(AXES_ENABLED=True)


def shop_login(client: Client, email: str, password: str):
    return client.post(
        "/shop/accounts/login/",
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )


# --- login throttling --------------------------------------------------------------------


@pytest.mark.django_db
@THROTTLED
def test_the_shop_login_locks_an_account_after_five_wrong_passwords(territories, django_user_model):
    django_user_model.objects.create_user("maria", "maria@example.it", "right-password-1")
    client = portal_client("sondrio")
    for _ in range(5):
        shop_login(client, "maria@example.it", "wrong")
    locked = shop_login(client, "Maria@Example.it", "right-password-1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Troppi tentativi di accesso non riusciti" in page
    assert 'href="/shop/password-reset/"' in page
    assert "_auth_user_id" not in client.session
    # from another address too: the account is locked, not only the address
    other = Client(HTTP_HOST="sondrio.localhost", REMOTE_ADDR="10.0.0.9")
    assert shop_login(other, "maria@example.it", "right-password-1").status_code == 429


@pytest.mark.django_db
@THROTTLED
def test_one_address_trying_many_accounts_is_locked(territories):
    client = portal_client("sondrio")
    for n in range(5):
        shop_login(client, f"nobody{n}@example.it", "guess")
    assert shop_login(client, "another@example.it", "guess").status_code == 429


@pytest.mark.django_db
@THROTTLED
def test_the_admin_and_dashboard_logins_are_throttled_too(territories, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.it", "right-password-1")
    admin = Client(HTTP_HOST="sondrio.localhost")
    for _ in range(5):
        admin.post("/admin/login/", {"username": "boss", "password": "wrong"})
    locked = admin.post("/admin/login/", {"username": "boss", "password": "right-password-1"})
    assert locked.status_code == 429
    assert "/admin/password_reset/" in locked.content.decode()

    dashboard = Client(HTTP_HOST="sondrio.localhost", REMOTE_ADDR="10.0.0.7")
    page = dashboard.post(
        "/shop/dashboard/login/", {"username": "boss@example.it", "password": "right-password-1"}
    )
    assert page.status_code == 429  # the same account, locked everywhere


@pytest.mark.django_db
@THROTTLED
def test_a_new_password_unlocks_the_account(territories, django_user_model):
    user = django_user_model.objects.create_user("maria", "maria@example.it", "right-password-1")
    client = portal_client("sondrio")
    for _ in range(5):
        shop_login(client, "maria@example.it", "wrong")
    user.set_password("new-password-2")
    user.save()  # what the reset e-mail's link does
    other = Client(HTTP_HOST="sondrio.localhost", REMOTE_ADDR="10.0.0.9")
    response = shop_login(other, "maria@example.it", "new-password-2")
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(user.pk)


# --- no account enumeration --------------------------------------------------------------


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_an_unknown_address_takes_as_long_as_a_known_one(territories, django_user_model):
    django_user_model.objects.create_user("maria", "maria@example.it", "right-password-1")
    request = RequestFactory().post("/shop/accounts/login/")

    def seconds(email: str) -> float:
        # this process's CPU time: the hashing is CPU work, and other processes' load (CI runs
        # two suites side by side) weighs on wall time unevenly (0.69 once, against 0.7)
        start = time.process_time()
        assert authenticate(request, username=email, password="wrong") is None
        return time.process_time() - start

    seconds("maria@example.it")  # warm up
    known = unknown = 0.0
    for _ in range(4):  # side by side, so that the machine's load weighs on both alike
        known += seconds("maria@example.it")
        unknown += seconds("nobody@example.it")
    # before: one hash for an unknown address, two for a known one (ratio about 0.5)
    assert unknown > 0.7 * known, (known, unknown)


# --- spreadsheet formulas ----------------------------------------------------------------


def test_oscar_csv_cells_come_out_inert():
    import io

    out = io.StringIO()
    UnicodeCSVWriter(open_file=out).writerow(
        ['=HYPERLINK("http://evil/")', "+1", "-2", "@SUM(A1)", "\tx", "Maria", Decimal("-5.00")]
    )
    assert out.getvalue().strip() == (
        '"\'=HYPERLINK(""http://evil/"")",\'+1,\'-2,\'@SUM(A1),\'\tx,Maria,-5.00'
    )


@pytest.mark.django_db
def test_wagtail_report_csv_cells_come_out_inert(territories, django_user_model):
    from wagtail.models import Page

    page = Page.objects.filter(depth=3).first().specific
    page.title = '=HYPERLINK("http://evil/","Clic")'
    page.specific.save_revision().publish()
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(django_user_model.objects.create_superuser("boss", "boss@example.it", "x"))
    response = admin.get("/admin/reports/aging-pages/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


# --- headers -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_have_a_strict_csp_and_a_permissions_policy(territories):
    response = portal_client("sondrio").get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'nonce-" not in script_src
    page = response.content.decode()
    # no inline script at all: every <script> loads a file (cached pages carry no nonce)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all("src=" in tag for tag in scripts), scripts
    assert "http://127.0.0.1:8420" in script_src  # localstripe's Stripe.js in tests
    assert "frame-ancestors 'self'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def directive(policy: str, name: str) -> str:
    return next(d.strip() for d in policy.split(";") if d.strip().startswith(name + " "))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # the italia and the borgo theme
def test_public_pages_allow_no_inline_style_and_carry_none(territories, slug):
    from tests.editorial import add_service_page, offered_product

    client = portal_client(slug)
    product = offered_product(territories[slug])
    service_page = add_service_page(territories[slug], product)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    paths = [
        "/",
        service_page.get_url(),
        "/shop/catalogue/",
        product.get_absolute_url(),
        "/shop/basket/",
        "/shop/checkout/",
        "/search/?q=casa",
        "/nessuna-pagina/",  # the 404 page
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert directive(response["Content-Security-Policy"], "style-src") == "style-src 'self'"
        html = response.content.decode()
        assert "<style" not in html, path
        assert not re.findall(r"<[^>]+\sstyle=[^>]*>", html), path


@pytest.mark.django_db
def test_the_server_error_page_needs_no_inline_style(territories):
    from django.contrib.staticfiles import finders
    from django.utils import translation
    from django.views.defaults import server_error

    from portal.territories.themes import use_theme

    with use_theme("italia"), translation.override("it"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert "<h1>Si è verificato un errore</h1>" in html
    assert "<style" not in html and " style=" not in html
    assert '<link rel="stylesheet" href="/static/italia/css/error.css">' in html
    assert "header { background: #0066cc" in open(finders.find("italia/css/error.css")).read()


@pytest.mark.django_db
def test_the_admin_has_its_own_policy_and_still_works(territories, django_user_model):
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(django_user_model.objects.create_superuser("boss", "boss@example.it", "x"))
    response = admin.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_basket_cookie_is_samesite_lax(territories):
    client = portal_client("sondrio")
    stock = StockRecord.objects.filter(territory=territories["sondrio"]).first()
    response = client.post(f"/shop/basket/add/{stock.product_id}/", {"quantity": 1})
    assert response.cookies["oscar_open_basket"]["samesite"] == "Lax"


# --- two-factor sign-in ------------------------------------------------------------------


def token_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.django_db
@override_settings(PORTAL_TWO_FACTOR_REQUIRED=True, PORTAL_CATALOGUE_MANAGERS_GROUP="Gestori")
def test_catalogue_managers_must_add_an_app_and_give_its_code(territories, django_user_model):
    manager = django_user_model.objects.create_user("anna", "anna@example.it", "x", is_staff=True)
    manager.groups.add(Group.objects.create(name="Gestori"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    response = client.get("/shop/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/security/two-factor/?next=")
    page = client.get(response["Location"])
    assert "data:image/svg+xml" in page.content.decode()  # the QR code to scan
    device = TOTPDevice.objects.get(user=manager)
    wrong = client.post("/security/two-factor/", {"token": "000000", "next": "/shop/dashboard/"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    right = client.post(
        "/security/two-factor/", {"token": token_of(device), "next": "/shop/dashboard/"}
    )
    # signed in: the recovery codes, shown once, then on to the dashboard
    assert right.status_code == 200 and 'href="/shop/dashboard/"' in right.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/shop/dashboard/").status_code != 302 or (
        "two-factor" not in client.get("/shop/dashboard/")["Location"]
    )


@pytest.mark.django_db
@override_settings(PORTAL_TWO_FACTOR_REQUIRED=True)
def test_superusers_need_a_code_and_other_staff_do_not(territories, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.it", "x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(boss)
    assert "/security/two-factor/" in client.get("/admin/")["Location"]
    editor = django_user_model.objects.create_user("ed", "ed@example.it", "x", is_staff=True)
    client.force_login(editor)
    response = client.get("/admin/")
    assert "two-factor" not in response.get("Location", "")


# --- logout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_takes_a_post_not_a_link(territories, django_user_model):
    client = portal_client("sondrio")
    client.force_login(django_user_model.objects.create_user("m", "m@example.it", "x"))
    assert client.get("/shop/accounts/logout/").status_code == 405  # an <img> elsewhere
    assert "_auth_user_id" in client.session
    page = client.get("/shop/catalogue/").content.decode()
    assert 'id="logout_form" class="d-inline" method="post"' in page
    assert client.post("/shop/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


# --- gift vouchers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_spent_voucher_is_refused_not_applied_for_nothing(territories):
    from portal.ledger.models import Account
    from portal.ledger.transfers import transfer
    from shop.giftcards.accounts import spent_account

    sondrio = territories["sondrio"]
    card, code = new_card(sondrio, "20.00")
    transfer(
        Account.objects.get(pk=card.account_id),
        spent_account(sondrio),
        Decimal("20.00"),
        kind="giftcard-spend",
    )
    client = portal_client("sondrio")
    page = client.post("/shop/giftcards/apply/", {"code": code}, follow=True).content.decode()
    assert "già stato speso" in page
    assert "0,00 €" not in page
    assert str(card.pk) not in str(client.session.get("giftcards:sondrio", []))


def test_a_voucher_never_pays_for_another_voucher():
    class Card:
        pk, cooperative_id, expires_on, is_expired = 1, None, None, False

    from shop.giftcards import redemption

    card = Card()
    original = redemption.available_balance
    redemption.available_balance = lambda c: Decimal("100.00")
    try:
        plan = plan_tender(
            Decimal("80.00"),
            [card],
            [TenderLine(1, Decimal("30.00")), TenderLine(None, Decimal("50.00"), True)],
        )
    finally:
        redemption.available_balance = original
    assert plan.covered == Decimal("30.00")
    assert plan.remainder == Decimal("50.00")


@pytest.mark.django_db
def test_checking_a_right_code_many_times_is_never_blocked(territories):
    _card, code = new_card(territories["sondrio"])
    client = portal_client("sondrio")
    for _ in range(15):
        assert client.post("/shop/giftcards/balance/", {"code": code}).status_code == 200


@override_settings(PORTAL_TRUSTED_PROXIES=1)
def test_the_client_address_is_read_behind_one_trusted_proxy():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    assert client_ip(request) == "203.0.113.5"  # the spoofed first entry is ignored
    with override_settings(PORTAL_TRUSTED_PROXIES=0):
        assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is ignored


@pytest.mark.django_db
def test_signing_out_in_english_lands_on_the_english_home(territories, django_user_model):
    client = portal_client("sondrio")
    client.force_login(django_user_model.objects.create_user("e", "e@example.it", "x"))
    assert client.get("/en/shop/accounts/logout/").status_code == 405  # a POST there too
    answer = client.post("/en/shop/accounts/logout/")
    assert (answer.status_code, answer["Location"]) == (302, "/en/")
    assert "_auth_user_id" not in client.session
    client.force_login(django_user_model.objects.get(username="e"))
    assert client.post("/shop/accounts/logout/")["Location"] == "/"
