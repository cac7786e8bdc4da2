"""A programme from end to end, as its people do it, each step through the pages they use:
the citizen applies online, the officer takes it in charge and asks for a document, the
citizen answers, the officer approves, the wallet is credited, the citizen pays a service
with the wallet and the rest by card, and the officer's dashboard and the public
transparency page show the spend."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.ledger.models import Account
from portal.programmes.models import Application, Wallet
from portal.programmes.spending import spent_account
from tests.conftest import portal_client
from tests.programmes_support import citizen, open_programme, tax_code
from tests.stripe_support import CARD_OK, localstripe_url, stripe_settings  # noqa: F401 (fixtures)
from tests.test_programme_office import officer_of
from tests.test_transparency import helped
from tests.wallet_support import offers, pay_shown, wallet_client

pytestmark = pytest.mark.django_db
S = Application.Status
PDF = b"%PDF-1.4\n% a document\n"


def dashboard(client, programme) -> dict:
    return client.get(f"/admin/programmi/{programme.pk}/cruscotto/dati.json").json()


@pytest.mark.usefixtures("stripe_settings")
def test_apply_review_approve_spend_and_see_it_on_the_dashboard_and_in_public(
    territories, django_capture_on_commit_callbacks
):
    sondrio = territories["sondrio"]
    forme, bookshop = offers(sondrio)
    programme = open_programme(sondrio, budget="5000.00", title="Buoni della Valle")
    programme.cooperatives.set([forme.partner])
    helped(programme, 4)  # four households already helped: the fifth makes the count public
    officer, _officer_user = officer_of(sondrio)
    before = dashboard(officer, programme)["charts"]["chart-cooperatives"]
    assert forme.partner.name not in before["labels"]
    public_before = portal_client("sondrio").get("/trasparenza/dati.json").json()["rows"]
    assert not [r for r in public_before if r.get("programme") == programme.slug]

    # the citizen applies: draft, summary, send; the receipt e-mail has the protocol number
    user = citizen()
    client = portal_client("sondrio")
    client.force_login(user)
    form = f"/programmi/{programme.slug}/domanda/"
    client.post(
        form,
        {
            "tax_code": tax_code(901),
            "household_size": "2",
            "municipality": programme.municipalities[0],
            "income_band": "isee-fino-6000",
            "continue": "1",
        },
    )
    client.post(f"{form}riepilogo/")
    application = Application.objects.get(programme=programme, applicant=user)
    assert application.status == S.SUBMITTED
    assert application.protocol in mail.outbox[-1].body

    # the officer takes it in charge and asks for a document; the citizen answers with it
    page = f"/admin/programmi/domande/{application.pk}/"
    officer.post(page, {"action": "take"})
    officer.post(page, {"action": "ask", "note": "Serve il documento d'identità"})
    application.refresh_from_db()
    assert application.status == S.MORE_INFO
    mine = f"/programmi/le-mie-domande/{application.pk}/"
    assert "Serve il documento" in client.get(mine).content.decode()
    client.post(
        mine, {"note": "Eccolo", "document": SimpleUploadedFile("id.pdf", PDF, "application/pdf")}
    )
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW

    # approval: 250 € for two people, credited once even when the button is pressed twice
    officer.post(f"{page}approva/", {"note": "ok"})
    officer.post(f"{page}approva/", {"note": "ok"})
    application.refresh_from_db()
    wallet = Wallet.objects.get(programme=programme, owner=user)
    assert (application.status, wallet.account.balance) == (S.APPROVED, Decimal("250.00"))
    assert "Buoni della Valle" in client.get("/programmi/il-mio-portafoglio/").content.decode()

    # the citizen buys Forme's service (the wallet pays) and the bookshop's (the card pays)
    checkout = wallet_client(sondrio, user, [forme, bookshop])
    with django_capture_on_commit_callbacks(execute=True):
        answer = pay_shown(checkout, CARD_OK)
    assert answer["status"] == 200, answer
    spent_with_forme = spent_account(programme, forme.partner)
    assert Account.objects.get(pk=spent_with_forme.pk).balance == forme.price
    wallet.account.refresh_from_db()
    assert wallet.account.balance == Decimal("250.00") - forme.price

    # the dashboard's figures follow the ledger
    by_coop = dashboard(officer, programme)["charts"]["chart-cooperatives"]
    spent_by = dict(zip(by_coop["labels"], by_coop["series"][0]["values"], strict=True))
    assert Decimal(spent_by[forme.partner.name]) == forme.price
    assert bookshop.partner.name not in spent_by  # the card paid the bookshop

    # and the public page, once its kept figures (five minutes) have expired: five households
    # helped now, so the programme is in the open data
    cache.clear()
    rows = portal_client("sondrio").get("/trasparenza/dati.json").json()["rows"]
    assert [r for r in rows if r.get("programme") == programme.slug]
    html = portal_client("sondrio").get("/trasparenza/").content.decode()
    assert "Buoni della Valle" in html
