"""Assisted mode: a welfare manager acts for a citizen of their portal, with the citizen's
consent, for 30 minutes at most, never with a card; every request is logged and listed in the
citizen's account (portal/welfare/assisted.py)."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from portal.programmes.models import PaperResident
from portal.welfare import assisted
from portal.welfare.models import AssistConsent, AssistedAction, AssistedSession, SocialPoint
from tests.conftest import portal_client
from tests.stripe_support import book_for_myself
from tests.test_welfare import manager_of, resident
from tests.wallet_support import balance, credited_wallet, offers, shown_token

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
K = AssistedAction.Kind
PAYMENT = "/shop/checkout/payment-details/"


@pytest.fixture
def sondrio(territories):
    return territories["sondrio"]


def consent(client, territory, person, **overrides):
    point = SocialPoint.objects.filter(territory=territory).first()
    data = {
        "how": "in_person",
        "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "read": "on",
        "social_point": point.pk,
    }
    data.update(overrides)
    return client.post(reverse("welfare_admin_assist", args=[territory.pk, person.pk]), data)


def start(client, territory, person):
    point = SocialPoint.objects.filter(territory=territory).first()
    return client.post(
        reverse("welfare_admin_assist_start", args=[territory.pk, person.pk]),
        {"social_point": point.pk},
    )


def handover_url(response) -> str:
    """The link the start page gives to open the portal (a link: see assisted_office.start)."""
    assert response.status_code == 200
    return re.search(r'data-handover href="([^"]+)"', response.content.decode()).group(1)


def acting(territory, person):
    """A manager of ``territory`` who recorded ``person``'s consent and is acting for them on
    the portal: (the admin client, the portal client, the manager)."""
    admin, manager = manager_of(territory, host="localhost")
    assert consent(admin, territory, person).status_code == 302
    where = urlsplit(handover_url(start(admin, territory, person)))
    assert where.netloc == f"{territory.slug}.localhost"
    portal = portal_client(territory.slug)
    assert portal.get(where.path)["Location"] == "/"
    return admin, portal, manager


def test_assisted_checkout_with_the_citizens_wallet_logged_and_listed(sondrio):
    forme, _bookshop = offers(sondrio)
    person = resident(sondrio, "anna.verdi@example.it", "Anna", "Verdi")
    wallet = credited_wallet(sondrio, person, "500.00", title="Buoni tutto")
    admin, portal, manager = acting(sondrio, person)

    home = portal.get("/").content.decode()
    assert "Stai operando per conto di Anna Verdi" in home
    assert 'role="region"' in home and reverse("welfare:assisted-stop") in home
    portal.post(f"/shop/basket/add/{forme.product_id}/", {"quantity": 1})
    assert portal.get("/shop/checkout/")["Location"] == "/shop/checkout/booking/"
    assert book_for_myself(portal, sondrio)["Location"] == PAYMENT
    page = portal.get(PAYMENT).content.decode()
    assert 'id="card-element"' not in page and "Buoni tutto" in page
    response = portal.post(
        "/shop/checkout/preview/", {"action": "place_order", "wallets": shown_token(page)}
    )
    assert response["Location"] == "/shop/checkout/thank-you/"

    order = Order.objects.get(user=person)  # the citizen's order, paid by their wallet
    assert balance(wallet.account_id) == Decimal("500.00") - forme.price
    assert portal.post(reverse("welfare:assisted-stop"))["Location"] == reverse(
        "welfare:assisted-stop"
    )
    assert "Stai operando" not in portal.get("/").content.decode()

    actions = list(AssistedAction.objects.filter(citizen=person).order_by("pk"))
    kinds = [a.kind for a in actions]
    assert kinds[0] == K.START and kinds[-1] == K.STOP
    assert K.BASKET in kinds and K.PAGE in kinds
    placed = [a for a in actions if a.kind == K.ORDER]
    assert [a.detail for a in placed] == [order.number]
    assert {(a.manager_id, a.territory_id) for a in actions} == {(manager.pk, sondrio.pk)}
    point = SocialPoint.objects.filter(territory=sondrio).first()
    assert {a.social_point_name for a in actions} == {point.name}

    citizen = portal_client(sondrio.slug)
    citizen.force_login(person)
    listed = citizen.get(reverse("welfare:my-assisted-actions")).content.decode()
    assert (
        reverse("welfare:my-assisted-actions")
        in citizen.get(reverse("welfare:my-band")).content.decode()
    )  # in the account's menu
    assert order.number in listed and manager.get_username() in listed
    # the table is the citizen's own: captioned "for you", not "for the citizen"
    assert "Operazioni fatte per tuo conto</caption>" in listed
    elsewhere = portal_client("cremona")
    elsewhere.force_login(person)
    other = elsewhere.get(reverse("welfare:my-assisted-actions")).content.decode()
    assert order.number not in other and manager.get_username() not in other  # Sondrio's only
    with translation.override("it"):
        assert str(K.ORDER.label) in listed
    log = admin.get(reverse("welfare_admin_assisted_log", args=[sondrio.pk])).content.decode()
    assert order.number in log and "Anna Verdi" in log


def test_the_card_is_replaced_by_a_payment_link_the_citizen_opens(sondrio, settings):
    forme, _bookshop = offers(sondrio)
    person = resident(sondrio, "bruno.neri@example.it", "Bruno", "Neri")
    _admin, portal, _manager = acting(sondrio, person)
    portal.post(f"/shop/basket/add/{forme.product_id}/", {"quantity": 1})
    portal.get("/shop/checkout/")
    book_for_myself(portal, sondrio)
    page = portal.get(PAYMENT).content.decode()
    assert 'id="card-element"' not in page and "data-assisted-payment-link" in page
    assert "SMS" not in page  # no SMS provider configured: not offered
    assert portal.post("/shop/checkout/card/setup/").status_code == 403

    response = portal.post(reverse("welfare:assisted-payment-link"))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["bruno.neri@example.it"]
    links = [w for w in message.body.split() if w.startswith("http://")]
    assert len(links) == 2
    pay = urlsplit(links[0])
    assert pay.netloc == "sondrio.localhost"
    assert AssistedAction.objects.filter(citizen=person, kind=K.PAYMENT_LINK).count() == 1
    assert portal.get(pay.path).status_code == 404  # not for the manager acting
    portal.post(reverse("welfare:assisted-stop"))

    anonymous = portal_client(sondrio.slug)
    assert "/login/" in anonymous.get(pay.path)["Location"]
    assert anonymous.get(urlsplit(links[1]).path).status_code == 200  # set a password
    someone = portal_client(sondrio.slug)
    someone.force_login(resident(sondrio, "altro@example.it"))
    assert someone.get(pay.path).status_code == 404
    citizen = portal_client(sondrio.slug)
    citizen.force_login(person)
    assert citizen.get(pay.path)["Location"] == "/shop/checkout/"
    # the basket the manager filled is the citizen's own: they book and pay it by card
    assert forme.product.get_title() in citizen.get("/shop/basket/").content.decode()
    assert citizen.get("/shop/checkout/")["Location"] == "/shop/checkout/booking/"
    assert book_for_myself(citizen, sondrio)["Location"] == PAYMENT
    assert 'id="card-element"' in citizen.get(PAYMENT).content.decode()
    assert citizen.get(pay.path[:-5] + "xxxx/").status_code == 404  # a forged link


def test_the_payment_link_e_mail_names_people_who_gave_no_name_by_their_address(sondrio):
    """The demo's citizen and managers have no first or last name: the e-mail said
    "Gentile ," and began with a comma."""
    forme, _bookshop = offers(sondrio)
    person = resident(sondrio, "senza.nome@example.it")
    _admin, portal, manager = acting(sondrio, person)
    portal.post(f"/shop/basket/add/{forme.product_id}/", {"quantity": 1})
    portal.get("/shop/checkout/")
    book_for_myself(portal, sondrio)
    assert portal.post(reverse("welfare:assisted-payment-link")).status_code == 302
    [message] = mail.outbox
    assert "Gentile senza.nome@example.it," in message.body
    assert f"\n{manager.email}, welfare manager di" in message.body


def test_the_session_ends_by_itself_after_thirty_minutes(sondrio):
    person = resident(sondrio, "carla.blu@example.it", "Carla", "Blu")
    _admin, portal, manager = acting(sondrio, person)
    assert "Stai operando" in portal.get("/").content.decode()
    session = AssistedSession.objects.get(citizen=person)
    AssistedSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=assisted.SESSION_MINUTES, seconds=1)
    )
    response = portal.get("/shop/basket/")
    assert response["Location"] == reverse("welfare:assisted-stop")
    notice = portal.get(response["Location"]).content.decode()
    assert "terminata da sola dopo 30 minuti" in notice and "Stai operando" not in notice
    session.refresh_from_db()
    assert session.ended_at is not None
    back = portal.get("/")
    assert "Stai operando" not in back.content.decode()
    assert back.wsgi_request.user == manager  # the manager's own session again
    assert AssistedAction.objects.filter(citizen=person, kind=K.STOP).count() == 1


def test_a_manager_of_a_never_finds_sees_or_acts_for_bs_citizens(territories):
    sondrio, cremona = territories["sondrio"], territories["cremona"]
    theirs = resident(cremona, "dario.cremonese@example.it", "Dario", "Cremonese")
    admin, _manager = manager_of(sondrio, host="localhost")
    found = admin.post(reverse("welfare_admin_citizens", args=[sondrio.pk]), {"q": "Dario"})
    assert "dario.cremonese@example.it" not in found.content.decode()
    for url in (
        reverse("welfare_admin_assist", args=[sondrio.pk, theirs.pk]),
        reverse("welfare_admin_assist", args=[cremona.pk, theirs.pk]),
        reverse("welfare_admin_new_citizen", args=[cremona.pk]),
        reverse("welfare_admin_assisted_log", args=[cremona.pk]),
    ):
        assert admin.get(url).status_code == 404, url
    assert consent(admin, sondrio, theirs).status_code == 404
    assert start(admin, sondrio, theirs).status_code == 404
    assert start(admin, cremona, theirs).status_code == 404
    assert not AssistConsent.objects.exists() and not AssistedSession.objects.exists()
    # a handover made on B never works on A's portal
    other_admin, other_manager = manager_of(cremona, host="localhost")
    consent(other_admin, cremona, theirs)
    where = urlsplit(handover_url(start(other_admin, cremona, theirs)))
    assert portal_client("sondrio").get(where.path).status_code == 404


def test_no_acting_without_consent_and_double_submits_change_nothing(sondrio):
    person = resident(sondrio, "elena.gialli@example.it", "Elena", "Gialli")
    admin, _manager = manager_of(sondrio, host="localhost")
    refused = start(admin, sondrio, person)
    assert refused["Location"] == reverse("welfare_admin_assist", args=[sondrio.pk, person.pk])
    assert not AssistedSession.objects.exists()
    assert consent(admin, sondrio, person, read="").status_code == 400  # not read: no record
    assert consent(admin, sondrio, person, how="").status_code == 400
    assert not AssistConsent.objects.exists()
    moment = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    consent(admin, sondrio, person, given_at=moment)
    consent(admin, sondrio, person, given_at=moment)
    assert AssistConsent.objects.count() == 1
    first, second = start(admin, sondrio, person), start(admin, sondrio, person)
    assert AssistedSession.objects.count() == 1
    portal = portal_client(sondrio.slug)
    portal.get(urlsplit(handover_url(first)).path)
    portal.get(urlsplit(handover_url(second)).path)
    portal.post(reverse("welfare:assisted-stop"))
    portal.post(reverse("welfare:assisted-stop"))
    assert AssistedAction.objects.filter(kind=K.START).count() == 1
    assert AssistedAction.objects.filter(kind=K.STOP).count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/shop/accounts/change-password/",
        "/shop/accounts/profile/edit/",
        "/shop/accounts/profile/delete/",
        "/security/two-factor/",
        "/shop/accounts/logout/",
    ],
)
def test_sensitive_account_actions_are_refused_while_acting(sondrio, path):
    person = resident(sondrio, "fabio.rosa@example.it", "Fabio", "Rosa")
    _admin, portal, _manager = acting(sondrio, person)
    response = portal.post(path, {"email": "ladro@example.it", "new_password1": "x"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.email == "fabio.rosa@example.it" and person.is_active
    assert AssistedAction.objects.filter(citizen=person, kind=K.REFUSED).count() == 1
    assert "Stai operando" in portal.get("/").content.decode()  # still acting


def test_a_citizen_made_at_the_desk_bad_tax_code_writes_nothing(sondrio):
    admin, manager = manager_of(sondrio, host="localhost")
    url = reverse("welfare_admin_new_citizen", args=[sondrio.pk])
    users = get_user_model().objects.count()
    data = {"first_name": "Gino", "last_name": "Marrone", "tax_code": "ABC", "phone": "0342 1"}
    response = admin.post(url, data)
    assert response.status_code == 400
    assert "16" in response.content.decode()  # the tax code's rule is said
    assert get_user_model().objects.count() == users and not PaperResident.objects.exists()

    data["tax_code"] = "mrrgni80a01f712z"
    response = admin.post(url, data)
    person = PaperResident.objects.get(territory=sondrio).user
    assert response["Location"] == reverse("welfare_admin_assist", args=[sondrio.pk, person.pk])
    assert not person.has_usable_password() and person.email == ""
    found = admin.post(
        reverse("welfare_admin_citizens", args=[sondrio.pk]), {"q": "MRRGNI80A01F712Z"}
    )
    assert "Marrone" in found.content.decode()
    assert admin.post(url, data).status_code == 400  # the same tax code again: nothing new
    assert PaperResident.objects.count() == 1


def test_an_application_filed_while_acting_says_so(sondrio):
    from tests.programmes_support import open_programme, tax_code

    programme = open_programme(sondrio)
    person = resident(sondrio, "gaia.viola@example.it", "Gaia", "Viola")
    _admin, portal, _manager = acting(sondrio, person)
    url = f"/programmi/{programme.slug}/domanda/"
    data = {
        "tax_code": tax_code(7),
        "household_size": "2",
        "municipality": programme.municipalities[0],
        "income_band": "isee-fino-6000",
        "continue": "1",
    }
    response = portal.post(url, data)
    assert response["Location"].endswith("/domanda/riepilogo/"), response.content.decode()[:300]
    portal.post(f"/programmi/{programme.slug}/domanda/riepilogo/")
    application = programme.applications.get(applicant=person)
    assert application.channel == application.Channel.ASSISTED and application.protocol
    filed = AssistedAction.objects.filter(citizen=person, kind=K.APPLICATION)
    assert application.protocol in [a.detail for a in filed]


def test_acting_costs_one_read_and_one_insert_and_the_list_is_flat(sondrio):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = resident(sondrio, "ugo.grigi@example.it", "Ugo", "Grigi")
    own = portal_client(sondrio.slug)
    own.force_login(person)
    own.get("/shop/basket/")
    with CaptureQueriesContext(connection) as as_citizen:
        own.get("/shop/basket/")
    _admin, portal, _manager = acting(sondrio, person)
    portal.get("/shop/basket/")
    with CaptureQueriesContext(connection) as as_manager:
        portal.get("/shop/basket/")
    extra = len(as_manager) - len(as_citizen)
    assert extra == 2, [q["sql"][:90] for q in as_manager]  # the session, the log row
    inserts = [q for q in as_manager if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1

    listing = reverse("welfare:my-assisted-actions")
    own.get(listing)
    with CaptureQueriesContext(connection) as few:
        assert own.get(listing).status_code == 200
    for _n in range(5):
        portal.get("/")
    with CaptureQueriesContext(connection) as more:
        assert own.get(listing).status_code == 200
    assert len(more) == len(few) <= 25, (len(few), len(more))


SENT_SMS = []


def record_sms(to: str, body: str) -> None:
    """Stands in for an SMS provider (none is configured in this project): keeps the message."""
    SENT_SMS.append((to, body))


def test_sms_is_offered_only_with_a_provider_and_sends_the_link(sondrio, settings):
    forme, _bookshop = offers(sondrio)
    admin, _manager = manager_of(sondrio, host="localhost")
    admin.post(
        reverse("welfare_admin_new_citizen", args=[sondrio.pk]),
        {
            "first_name": "Ida",
            "last_name": "Sms",
            "tax_code": "SMSDIA80A41F712X",
            "phone": "333 1234567",
        },
    )
    person = PaperResident.objects.get(tax_code="SMSDIA80A41F712X").user
    _admin, portal, _manager = acting(sondrio, person)
    portal.post(f"/shop/basket/add/{forme.product_id}/", {"quantity": 1})
    portal.get("/shop/checkout/")
    book_for_myself(portal, sondrio)
    page = portal.get(PAYMENT).content.decode()
    assert 'name="by" value="sms"' not in page and 'id="card-element"' not in page
    settings.PORTAL_SMS_BACKEND = "tests.test_assisted_mode.record_sms"
    page = portal.get(PAYMENT).content.decode()
    assert 'name="by" value="sms"' in page
    SENT_SMS.clear()
    portal.post(reverse("welfare:assisted-payment-link"), {"by": "sms"})
    [(to, body)] = SENT_SMS
    assert to == "333 1234567" and "/assistenza/paga/" in body
    assert AssistedAction.objects.filter(citizen=person, kind=K.PAYMENT_LINK).count() == 1


def test_a_handover_link_opens_once_and_a_withdrawn_consent_stops_everything(sondrio):
    person = resident(sondrio, "olga.ocra@example.it", "Olga", "Ocra")
    admin, _manager = manager_of(sondrio, host="localhost")
    consent(admin, sondrio, person)
    link = urlsplit(handover_url(start(admin, sondrio, person))).path
    portal = portal_client(sondrio.slug)
    assert portal.get(link)["Location"] == "/"
    assert portal.get(link)["Location"] == "/"  # clicked twice: still the same session
    assert portal_client(sondrio.slug).get(link).status_code == 404  # a copied link: no
    assert portal.post(reverse("welfare:my-assisted-actions")).status_code == 404  # not the manager

    citizen = portal_client(sondrio.slug)
    citizen.force_login(person)
    listed = reverse("welfare:my-assisted-actions")
    assert "Ritira il mio consenso" in citizen.get(listed).content.decode()
    citizen.post(listed)
    citizen.post(listed)  # twice: nothing more
    assert AssistConsent.objects.filter(citizen=person, withdrawn_at__isnull=False).count() == 1
    assert AssistedSession.objects.get(citizen=person).ended_at is not None
    assert AssistedAction.objects.filter(citizen=person, kind=K.STOP).count() == 1
    assert portal.get("/shop/basket/")["Location"] == reverse("welfare:assisted-stop")
    start(admin, sondrio, person)  # no consent in force: refused
    assert AssistedSession.objects.filter(citizen=person).count() == 1
