"""A signed-in citizen with a programme wallet and a basket on Sondrio, on the payment page."""

import re
from decimal import Decimal

from django.utils import translation
from oscar.core.loading import get_model

from portal.ledger.models import Account
from portal.ledger.transfers import transfer
from portal.programmes.budget import wallet_for
from tests.conftest import portal_client
from tests.programmes_support import citizen, open_programme
from tests.stripe_support import book_for_myself, confirm_card_setup

StockRecord = get_model("partner", "StockRecord")


def offers(territory) -> tuple:
    """Two services of Sondrio: the cheapest of Forme, and one of the bookshop."""
    services = StockRecord.objects.filter(territory=territory, product__voucher=None)
    forme = services.filter(partner__name__icontains="Forme").order_by("price", "pk").first()
    bookshop = services.exclude(partner=forme.partner).order_by("price", "pk").first()
    return forme, bookshop


def credited_wallet(territory, user, amount="50.00", cooperatives=(), **programme_fields):
    programme = open_programme(territory, **programme_fields)
    programme.cooperatives.set(cooperatives)
    wallet = wallet_for(programme, user)
    transfer(programme.budget_account, wallet.account, Decimal(amount), kind="programme-credit")
    return wallet


def balance(account_id: int) -> Decimal:
    return Account.objects.get(pk=account_id).balance


def wallet_client(territory, user, stockrecords, extra=None):
    """``user`` signed in on ``territory`` with ``stockrecords`` in the basket, booked, on the
    payment page; ``extra(client)`` adds more (a gift voucher) before checking out."""
    client = portal_client(territory.slug)
    client.force_login(user)
    for offer in stockrecords:
        client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    if extra:
        extra(client)
    assert client.get("/shop/checkout/")["Location"] == "/shop/checkout/booking/"
    assert book_for_myself(client, territory)["Location"] == "/shop/checkout/payment-details/"
    return client


def shown_token(page: str) -> str:
    """The ``wallets`` value the payment page gives its card form (what it showed)."""
    found = re.search(r'data-wallets="([^"]*)"', page) or re.search(
        r'name="wallets" value="([^"]*)"', page
    )
    return found.group(1)


def pay_shown(client, number: str) -> dict:
    """What card-payment.js does: the card, then the charge with what the page showed."""
    page = client.get("/shop/checkout/payment-details/").content.decode()
    setup = client.post("/shop/checkout/card/setup/").json()
    method = confirm_card_setup(setup["client_secret"], number).get("payment_method", "pm_none")
    answer = client.post(
        "/shop/checkout/card/pay/", {"payment_method": method, "wallets": shown_token(page)}
    )
    return {"status": answer.status_code, **answer.json()}


def italian(text_function) -> str:
    with translation.override("it"):
        return str(text_function())


def new_citizen():
    return citizen()
