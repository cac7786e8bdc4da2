"""Paper applications and the counter: an officer enters a resident's application, approves
it and prints the letter; a cooperative's staff redeem its code at the counter, as an order
line of their cooperative paid from the resident's programme wallet."""

import re
import zlib
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from oscar.core.loading import get_model

from portal.ledger.models import Transfer
from portal.programmes.applications import approve, move
from portal.programmes.generator import ensure_office
from portal.programmes.models import Application, LetterCode, PaperResident, Wallet
from portal.programmes.paper import PaperAnswers, Resident, enter_paper_application
from portal.programmes.spending import SPEND_KIND
from shop.dashboard.orders.access import cooperative_staff_group
from tests.conftest import portal_client
from tests.programmes_support import citizen, open_programme, tax_code

pytestmark = pytest.mark.django_db
S = Application.Status
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
COUNTER = "/shop/dashboard/counter/"
FIND_QUERIES = 15  # session, user, 2FA devices, letter, wallet, offers and categories, menu
# measured 99, most of them Oscar's order placement (lines, analytics, the cooperative's mail)
SPEND_QUERIES = 100


@pytest.fixture(autouse=True)
def _fresh_tries():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def officer(territory):
    user = citizen()
    user.groups.add(ensure_office(territory)[0].group)
    client = portal_client(territory.slug)
    client.force_login(user)
    return client, user


def staff(code: str, slug: str):
    User = get_user_model()
    email = f"sportello.{code}@example.it"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        username=email, email=email, password="x"
    )
    user.groups.add(cooperative_staff_group())
    Partner.objects.get(code=code).users.add(user)
    client = portal_client(slug)
    client.force_login(user)
    return client, user


def paper_form(programme, n: int = 1, **overrides) -> dict:
    return {
        "first_name": "Giuseppina",
        "last_name": "Bianchi",
        "tax_code": tax_code(n),
        "phone": "049 000000",
        "address": "Via Roma 1",
        "municipality": programme.municipalities[0],
        "household_size": "2",
        "income_band": "isee-fino-6000",
        "language": "it",
        **overrides,
    }


def pdf_text(pdf: bytes) -> str:
    """The text drawn on a PDF's pages (fpdf2 compresses each page's content)."""
    text = []
    # the end-of-line before "endstream" is left on the data: a stream whose compressed bytes
    # end in "\r" would lose it to an "\r?\n" there; decompressobj stops at the stream's end
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            text.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(text)


def approved_paper(territory, programme=None, n: int = 1):
    """A paper application approved in ``territory``; (application, officer)."""
    programme = programme or open_programme(territory)
    _client, user = officer(territory)
    application = enter_paper_application(
        programme,
        user,
        Resident("Giuseppina", "Bianchi", tax_code(n), "Via Roma 1"),
        PaperAnswers(household_size=2, municipality=programme.municipalities[0]),
    )
    move(application, user, S.IN_REVIEW, officer=True)
    approve(application, user)
    return application, user


def print_letter(territory, application) -> str:
    client, _user = officer(territory)
    response = client.post(f"/admin/programmi/domande/{application.pk}/lettera/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    code = re.search(
        r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", pdf_text(response.content)
    )
    return code.group(0)


@pytest.fixture
def padova(territories):
    """Padova's programme paying at Jonathan only, and Jonathan's service there."""
    territory = territories["padova"]
    programme = open_programme(territory)
    programme.cooperatives.add(Partner.objects.get(code="jonathan"))
    offer = StockRecord.objects.get(
        partner__code="jonathan", territory=territory, product__upc="italiano-l2-minori"
    )
    return territory, programme, offer


def test_paper_application_letter_and_counter_redemption(padova):
    territory, programme, offer = padova
    client, user = officer(territory)
    form = client.get(f"/admin/programmi/{programme.pk}/domanda-cartacea/").content.decode()
    assert 'name="tax_code"' in form and 'name="address"' in form

    response = client.post(
        f"/admin/programmi/{programme.pk}/domanda-cartacea/", paper_form(programme)
    )
    application = Application.objects.get(programme=programme)
    assert response.status_code == 302
    assert application.channel == Application.Channel.PAPER
    assert application.status == S.SUBMITTED and application.protocol
    resident = application.applicant
    assert resident.email == "" and not resident.has_usable_password()
    assert resident.get_full_name() == "Giuseppina Bianchi"
    assert PaperResident.objects.get(user=resident).address == "Via Roma 1"
    page = client.get(f"/admin/programmi/domande/{application.pk}/").content.decode()
    assert "Giuseppina Bianchi" in page and "Via Roma 1" in page

    client.post(f"/admin/programmi/domande/{application.pk}/", {"action": "take"})
    client.post(f"/admin/programmi/domande/{application.pk}/approva/")
    application.refresh_from_db()
    assert application.status == S.APPROVED and application.amount == Decimal("250.00")

    letter = client.post(f"/admin/programmi/domande/{application.pk}/lettera/")
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    text = pdf_text(letter.content)
    assert "Giuseppina Bianchi" in text and programme.title in text
    assert "250,00 \x80" in text and "Jonathan" in text  # the amount (€ in cp1252), where
    assert "Il vostro codice" in text and "Da spendere entro il" not in text  # no expiry set
    assert b"/Subtype /Image" in letter.content  # the QR code
    code = re.search(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}-[2-9A-Z]{2}", text).group(0)
    stored = LetterCode.objects.get(application=application)
    assert code.replace("-", "")[-4:] == stored.code_last4 and code not in stored.code_digest

    counter, cashier = staff("jonathan", "padova")
    assert "Riscatta un buono" in counter.get("/shop/dashboard/").content.decode()
    found = counter.post(COUNTER, {"code": code.lower().replace("-", " ")})
    html = found.content.decode()
    assert "Giuseppina Bianchi" in html and "250,00" in html
    assert application.protocol not in html and "Via Roma" not in html  # nothing else
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    spend = {"code": code, "token": token, "service": offer.pk, "amount": "40,50"}
    done = counter.post(COUNTER, spend)
    assert done.status_code == 302
    wallet = Wallet.objects.get(owner=resident)
    wallet.account.refresh_from_db()
    assert wallet.account.balance == Decimal("209.50")
    order = Order.objects.get(user=resident)
    line = order.lines.get()
    assert line.partner.code == "jonathan" and line.line_price_incl_tax == Decimal("40.50")
    assert order.total_incl_tax == Decimal("40.50") and order.territory == territory
    source = order.sources.get()
    assert source.amount_debited == Decimal("40.50") and programme.title in source.source_type.name
    receipt = counter.get(done["Location"]).content.decode()
    assert order.number in receipt and "Giuseppina Bianchi" in receipt and "40,50" in receipt
    assert "Credito residuo" in receipt and "209,50" in receipt

    again = counter.post(COUNTER, spend)  # a double submit: the same receipt, nothing moved
    assert again.status_code == 302 and again["Location"] == done["Location"]
    assert Transfer.objects.filter(kind=SPEND_KIND).count() == 1
    assert Order.objects.filter(user=resident).count() == 1


def spend_form(counter, code: str) -> dict:
    html = counter.post(COUNTER, {"code": code}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    return {"code": code, "token": token}


def nothing_spent():
    return not Transfer.objects.filter(kind=SPEND_KIND).exists() and not Order.objects.exists()


def test_more_than_the_balance_is_refused_and_writes_nothing(padova):
    territory, programme, offer = padova
    application, _user = approved_paper(territory, programme)
    code = print_letter(territory, application)
    counter, _cashier = staff("jonathan", "padova")
    data = {**spend_form(counter, code), "service": offer.pk, "amount": "250,01"}
    html = unescape(counter.post(COUNTER, data).content.decode())
    assert "Il credito disponibile è 250,00 €: l'importo non può superarlo." in html
    assert nothing_spent()


def test_a_code_of_another_territory_is_refused(territories, padova):
    rho = territories["rho"]
    application, _user = approved_paper(rho, n=7)
    code = print_letter(rho, application)
    counter, _cashier = staff("jonathan", "padova")
    response = counter.post(COUNTER, {"code": code})
    html = response.content.decode()
    assert "Giuseppina" not in html
    assert "Questo codice non corrisponde a una lettera valida di questo portale." in html
    assert nothing_spent()


def test_a_reprinted_letter_replaces_the_old_code(padova):
    territory, programme, _offer = padova
    application, _user = approved_paper(territory, programme)
    old = print_letter(territory, application)
    new = print_letter(territory, application)
    counter, _cashier = staff("jonathan", "padova")
    assert "Giuseppina" not in counter.post(COUNTER, {"code": old}).content.decode()
    assert "Giuseppina" in counter.post(COUNTER, {"code": new}).content.decode()


def test_staff_cannot_redeem_into_another_cooperative(padova):
    territory, programme, offer = padova
    application, _user = approved_paper(territory, programme)
    code = print_letter(territory, application)
    theirs = StockRecord.objects.filter(territory=territory).exclude(partner__code="jonathan")
    counter, _cashier = staff("jonathan", "padova")
    data = {**spend_form(counter, code), "service": theirs.first().pk, "amount": "10"}
    response = counter.post(COUNTER, data)
    assert response.status_code == 200 and nothing_spent()
    # and Veneto Insieme, which the programme does not pay, has nothing to redeem into
    other, _ = staff("veneto-insieme", "padova")
    html = other.post(COUNTER, {"code": code}).content.decode()
    assert 'name="amount"' not in html
    data = {**spend_form(counter, code), "service": offer.pk, "amount": "10"}
    receipt = counter.post(COUNTER, data)["Location"]
    assert other.get(receipt).status_code == 404
    assert counter.get(receipt).status_code == 200


def test_an_officer_of_another_territory_gets_404(territories, padova):
    territory, programme, _offer = padova
    application, _user = approved_paper(territory, programme)
    rho_officer, _ = officer(territories["rho"])
    assert rho_officer.get(f"/admin/programmi/{programme.pk}/domanda-cartacea/").status_code == 404
    response = rho_officer.post(
        f"/admin/programmi/{programme.pk}/domanda-cartacea/", paper_form(programme, n=3)
    )
    assert response.status_code == 404
    assert (
        rho_officer.post(f"/admin/programmi/domande/{application.pk}/lettera/").status_code == 404
    )
    assert Application.objects.filter(programme=programme).count() == 1
    assert not LetterCode.objects.exists()


def test_one_paper_application_per_household(padova):
    territory, programme, _offer = padova
    client, _user = officer(territory)
    url = f"/admin/programmi/{programme.pk}/domanda-cartacea/"
    client.post(url, paper_form(programme))
    again = client.post(url, paper_form(programme, first_name="Mario"))
    assert again.status_code == 200
    assert "già" in again.content.decode()
    assert Application.objects.filter(programme=programme).count() == 1
    assert PaperResident.objects.count() == 1


def test_a_bad_paper_form_writes_nothing(padova):
    territory, programme, _offer = padova
    client, _user = officer(territory)
    url = f"/admin/programmi/{programme.pk}/domanda-cartacea/"
    response = client.post(url, paper_form(programme, tax_code="ABC"))
    assert response.status_code == 200 and "ABC" in response.content.decode()
    assert not Application.objects.exists() and not PaperResident.objects.exists()


def test_wrong_codes_are_limited(padova, settings):
    settings.PORTAL_GIFTCARD_TRIES = 3
    territory, programme, _offer = padova
    application, _user = approved_paper(territory, programme)
    code = print_letter(territory, application)
    counter, _cashier = staff("jonathan", "padova")
    for _ in range(3):
        assert counter.post(COUNTER, {"code": "2222-2222-2222-2222-22"}).status_code == 200
    blocked = counter.post(COUNTER, {"code": code})
    assert blocked.status_code == 429 and "Giuseppina" not in blocked.content.decode()


def test_only_cooperative_staff_open_the_counter(territories, padova):
    territory, _programme, _offer = padova
    moderator = citizen()
    moderator.groups.add(territory.moderators)
    for user in (citizen(), moderator):
        client = portal_client("padova")
        client.force_login(user)
        assert client.get(COUNTER).status_code in (302, 403, 404)
    counter, _cashier = staff("jonathan", "padova")
    assert counter.get(COUNTER).status_code == 200


def test_the_demo_letter_works_at_the_counter(territories):
    from portal.programmes.demo import officers
    from portal.programmes.paper_demo import load_paper_letter
    from portal.territories.demo import ensure_user

    officers(ensure_user)
    programme, first = load_paper_letter()
    programme, code = load_paper_letter()  # run again: the same application, a new letter
    assert programme.territory.slug == "padova" and code != first
    assert programme.applications.filter(channel=Application.Channel.PAPER).count() == 1
    counter, _cashier = staff("jonathan", "padova")
    html = counter.post(COUNTER, {"code": code}).content.decode()
    assert "Giuseppina Carta" in html and "350,00" in html and 'name="amount"' in html
    assert "Giuseppina" not in counter.post(COUNTER, {"code": first}).content.decode()


def test_the_counters_queries_do_not_grow_with_the_services(padova, django_assert_max_num_queries):
    territory, programme, offer = padova
    application, _user = approved_paper(territory, programme)
    code = print_letter(territory, application)
    counter, _cashier = staff("jonathan", "padova")
    counter.get(COUNTER)
    with django_assert_max_num_queries(FIND_QUERIES):
        html = counter.post(COUNTER, {"code": code}).content.decode()
    assert html.count("<option") == 1 + len(counter_services(territory))
    data = {**spend_form(counter, code), "service": offer.pk, "amount": "10"}
    with django_assert_max_num_queries(SPEND_QUERIES):
        assert counter.post(COUNTER, data).status_code == 302


def counter_services(territory):
    return StockRecord.objects.filter(partner__code="jonathan", territory=territory)


def test_the_letter_is_in_the_residents_language(padova):
    territory, programme, _offer = padova
    client, user = officer(territory)
    url = f"/admin/programmi/{programme.pk}/domanda-cartacea/"
    client.post(url, paper_form(programme, language="de"))
    application = Application.objects.get(programme=programme)
    move(application, user, S.IN_REVIEW, officer=True)
    approve(application, user)
    text = pdf_text(client.post(f"/admin/programmi/domande/{application.pk}/lettera/").content)
    assert "Ihr Code" in text and "Il vostro codice" not in text
    assert 'value="fr"' not in client.get(url).content.decode()  # no letter without translation


def test_an_expired_credit_is_refused_at_the_counter(padova):
    from datetime import timedelta

    from django.utils import timezone

    territory, programme, _offer = padova
    application, _user = approved_paper(territory, programme)
    code = print_letter(territory, application)
    programme.credit_expires_on = timezone.localdate() - timedelta(days=1)
    programme.save(update_fields=["credit_expires_on"])
    counter, _cashier = staff("jonathan", "padova")
    html = counter.post(COUNTER, {"code": code}).content.decode()
    assert "Questo credito è scaduto il" in html and 'name="amount"' not in html
    assert nothing_spent()
