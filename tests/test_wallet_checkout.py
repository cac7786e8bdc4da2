"""Programme wallets at checkout: the wallet pays its eligible lines first, then gift
vouchers, then the card; every source on the order and the ledger; refunds back to the
wallet; 50 concurrent spends on one wallet (PostgreSQL).

Against a real localstripe, as tests/test_payments.py; the citizen is signed in.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import transfer
from portal.programmes import checkout, spending
from portal.programmes.models import Programme, Wallet
from shop.checkout.views import wallets_changed_message
from shop.payment import gateway
from shop.payment.models import StripePayment
from shop.payment.refunds import refund_line
from tests.programmes_support import at_once, in_own_connection
from tests.stripe_support import (
    CARD_DECLINED_AT_CHARGE,
    CARD_OK,
    localstripe_url,  # noqa: F401  (fixture)
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.test_giftcards import add_voucher
from tests.wallet_support import (
    balance,
    credited_wallet,
    italian,
    new_citizen,
    offers,
    pay_shown,
    shown_token,
    wallet_client,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
CARD_PAGE = "/shop/checkout/payment-details/"


def euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


@pytest.fixture
def sondrio(territories):
    return territories["sondrio"]


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
class TestWalletAndCard:
    def test_the_wallet_pays_its_cooperatives_line_and_the_card_the_rest(
        self, sondrio, admin_client, django_capture_on_commit_callbacks
    ):
        forme, bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(
            sondrio, user, "50.00", title="Buoni Forme", cooperatives=[forme.partner]
        )
        client = wallet_client(sondrio, user, [forme, bookshop])

        page = client.get(CARD_PAGE).content.decode()

        assert "Buoni Forme" in page
        assert euros(forme.price) in page.split('id="wallets-title"')[1]
        not_covered = italian(
            lambda: (
                checkout._("Not covered by programme %(programme)s.") % {"programme": "Buoni Forme"}
            )
        )
        assert not_covered in page  # the bookshop's line, and the page says why
        assert euros(bookshop.price) in page.split("data-card-amount")[1][:80]
        with django_capture_on_commit_callbacks(execute=True):
            answer = pay_shown(client, CARD_OK)

        assert answer == {"status": 200, "redirect": "/shop/checkout/thank-you/"}
        order = Order.objects.get(user=user)
        payment = StripePayment.objects.get(order=order)
        assert payment.amount == bookshop.price
        intent = gateway.payment_intent(payment.payment_intent_id)
        assert intent.amount == int(bookshop.price * 100)
        # the ledger: the wallet paid the Forme line into the programme's account for Forme
        assert balance(wallet.account_id) == Decimal("50.00") - forme.price
        spent = spending.spent_account(wallet.programme, forme.partner)
        assert balance(spent.pk) == forme.price
        assert balance(spending.spent_account(wallet.programme, bookshop.partner).pk) == 0
        held = Hold.objects.get(source=wallet.account)
        assert (held.status, held.amount) == (Hold.Status.CAPTURED, forme.price)
        # the order: one source per way of paying, summing to the total
        sources = sorted(
            (s.source_type.name, s.amount_debited, s.reference) for s in order.sources.all()
        )
        assert sources == sorted(
            [
                ("Carta (Stripe)", bookshop.price, payment.payment_intent_id),
                ("Credito programma", forme.price, "Buoni Forme"),
            ]
        )
        assert sum(s[1] for s in sources) == order.total_incl_tax
        mine = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
        assert "Buoni Forme" in mine.split('id="order-payments"')[1]
        dashboard = admin_client.get(
            f"/shop/dashboard/orders/{order.number}/", HTTP_HOST="localhost"
        )
        assert "Credito programma" in dashboard.content.decode()
        assert client.get(CARD_PAGE).status_code == 302  # the basket is gone

    def test_a_wallet_paying_everything_needs_no_card(
        self, sondrio, django_capture_on_commit_callbacks
    ):
        forme, _bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, "500.00", title="Buoni tutto")
        client = wallet_client(sondrio, user, [forme])
        page = client.get(CARD_PAGE).content.decode()
        assert 'id="card-element"' not in page and 'value="place_order"' in page

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/shop/checkout/preview/", {"action": "place_order", "wallets": shown_token(page)}
            )

        assert response["Location"] == "/shop/checkout/thank-you/"
        order = Order.objects.get(user=user)
        assert not StripePayment.objects.filter(user=user).exists()
        assert [(s.amount_debited, s.reference) for s in order.sources.all()] == [
            (forme.price, "Buoni tutto")
        ]
        assert balance(wallet.account_id) == Decimal("500.00") - forme.price
        assert Hold.objects.get(source=wallet.account).status == Hold.Status.CAPTURED

    def test_a_gift_voucher_in_the_basket_is_never_paid_by_a_wallet(self, sondrio):
        forme, _bookshop = offers(sondrio)
        voucher = StockRecord.objects.get(territory=sondrio, product__upc="buono-regalo-sondrio")
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, "500.00", title="Buoni larghi")
        client = wallet_client(
            sondrio, user, [forme], extra=lambda c: add_voucher(c, voucher.product)
        )

        page = client.get(CARD_PAGE).content.decode()

        why = italian(lambda: checkout._("Gift vouchers cannot be bought with programme credit."))
        assert why in page
        assert euros(Decimal("50.00")) in page.split("data-card-amount")[1][:80]
        assert euros(forme.price) in page.split("data-wallet-amount")[1][:80]
        assert not Hold.objects.filter(source=wallet.account).exists()

    def test_another_category_is_not_covered_and_nothing_is_held(self, sondrio):
        forme, _bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, categories=["nessuna-categoria"], title="Buoni X")
        client = wallet_client(sondrio, user, [forme])

        page = client.get(CARD_PAGE).content.decode()
        answer = pay_shown(client, CARD_OK)

        assert "Buoni X" in page and "data-not-covered" in page
        assert "data-wallet-amount" not in page
        assert answer["status"] == 200
        assert StripePayment.objects.get(user=user).amount == forme.price
        assert balance(wallet.account_id) == Decimal("50.00")
        assert not Hold.objects.filter(source=wallet.account).exists()

    def test_an_expired_wallet_is_refused_with_a_reason_another_portals_is_not_shown(
        self, sondrio, territories
    ):
        forme, _bookshop = offers(sondrio)
        user = new_citizen()
        yesterday = timezone.localdate() - timedelta(days=1)
        expired = credited_wallet(sondrio, user, title="Buoni scaduti", credit_expires_on=yesterday)
        elsewhere = credited_wallet(territories["rho"], user, title="Buoni di Rho")
        client = wallet_client(sondrio, user, [forme])

        page = client.get(CARD_PAGE).content.decode()

        with_date = italian(
            lambda: (
                spending._("This credit expired on %(date)s.")
                % {"date": yesterday.strftime("%d/%m/%Y")}
            )
        )
        assert with_date in page
        assert "Buoni di Rho" not in page  # each portal's checkout shows its own credit only
        assert page.count("data-wallet-refused") == 1
        assert euros(forme.price) in page.split("data-card-amount")[1][:80]
        assert pay_shown(client, CARD_OK)["status"] == 200
        for wallet in (expired, elsewhere):
            assert balance(wallet.account_id) == Decimal("50.00")
            assert not Hold.objects.filter(source=wallet.account).exists()

    def test_the_citizen_may_choose_not_to_use_a_wallet(self, sondrio):
        forme, _bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, title="Buoni da parte")
        client = wallet_client(sondrio, user, [forme])

        response = client.post(
            "/shop/checkout/wallet/", {"wallet": wallet.pk, "use": "0"}, follow=True
        )
        page = response.content.decode()

        assert "data-wallet-amount" not in page
        assert euros(forme.price) in page.split("data-card-amount")[1][:80]
        # what the wallet would pay is not listed as an empty table, but said in words
        card = page.split('data-wallet="')[1].split("</div></div>")[0]
        assert "data-wallet-declined" in card and "<table" not in card
        assert "Use this credit" in card or "Usa questo credito" in card
        assert pay_shown(client, CARD_OK)["status"] == 200
        assert balance(wallet.account_id) == Decimal("50.00")
        # someone else's wallet cannot be switched from here
        other = credited_wallet(sondrio, new_citizen())
        assert (
            client.post("/shop/checkout/wallet/", {"wallet": other.pk, "use": "0"}).status_code
            == 404
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
class TestNothingCharged:
    def test_a_declined_card_gives_the_held_credit_back(self, sondrio):
        forme, bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, cooperatives=[forme.partner])
        client = wallet_client(sondrio, user, [forme, bookshop])

        answer = pay_shown(client, CARD_DECLINED_AT_CHARGE)

        assert answer["status"] == 402
        assert not Order.objects.filter(user=user).exists()
        assert balance(wallet.account_id) == Decimal("50.00")
        assert Hold.objects.get(source=wallet.account).status == Hold.Status.RELEASED
        # a second try with a good card holds again and pays
        assert pay_shown(client, CARD_OK)["status"] == 200
        assert balance(wallet.account_id) < Decimal("50.00")

    def test_a_balance_changed_since_the_page_charges_nothing(self, sondrio):
        forme, bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, cooperatives=[forme.partner])
        client = wallet_client(sondrio, user, [forme, bookshop])
        page = client.get(CARD_PAGE).content.decode()
        setup = client.post("/shop/checkout/card/setup/").json()
        from tests.stripe_support import confirm_card_setup

        method = confirm_card_setup(setup["client_secret"], CARD_OK)["payment_method"]
        elsewhere = Account.objects.create(name="spesa allo sportello", kind="income")
        transfer(wallet.account, elsewhere, Decimal("45.00"), kind="programme-spend")

        answer = client.post(
            "/shop/checkout/card/pay/", {"payment_method": method, "wallets": shown_token(page)}
        )

        assert answer.status_code == 409
        assert answer.json()["error"] == italian(wallets_changed_message)
        assert not StripePayment.objects.filter(user=user).exists()  # no charge asked
        assert not Hold.objects.filter(source=wallet.account).exists()
        assert balance(wallet.account_id) == Decimal("5.00")
        # the page now shows what the wallet can pay, and the citizen can go on
        assert euros(Decimal("5.00")) in client.get(CARD_PAGE).content.decode()

    def test_a_wallet_expired_since_the_page_holds_nothing(self, sondrio):
        forme, _bookshop = offers(sondrio)
        user = new_citizen()
        wallet = credited_wallet(sondrio, user, "500.00")
        client = wallet_client(sondrio, user, [forme])
        page = client.get(CARD_PAGE).content.decode()
        Programme.objects.filter(pk=wallet.programme_id).update(
            credit_expires_on=timezone.localdate() - timedelta(days=1)
        )

        response = client.post(
            "/shop/checkout/preview/", {"action": "place_order", "wallets": shown_token(page)}
        )

        assert italian(wallets_changed_message) in response.content.decode()
        assert not Order.objects.filter(user=user).exists()
        assert not Hold.objects.filter(source=wallet.account).exists()

    def test_hold_spend_refuses_an_expired_wallet(self, sondrio):
        user = new_citizen()
        wallet = credited_wallet(
            sondrio, user, credit_expires_on=timezone.localdate() - timedelta(days=1)
        )
        line = checkout.WalletLine(1, "x", None, None, Decimal("10.00"))
        plan = checkout.WalletPlan(
            [checkout.WalletUse(wallet, Decimal("50.00"), [(line, Decimal("10.00"))])]
        )
        with pytest.raises(spending.WalletRefused):
            checkout.hold_for_order("999", plan, sondrio)
        assert not Hold.objects.filter(source=wallet.account).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
def test_a_refunded_line_goes_back_to_its_wallet_once(sondrio, admin_client):
    forme, bookshop = offers(sondrio)
    user = new_citizen()
    wallet = credited_wallet(sondrio, user, title="Buoni rimborso", cooperatives=[forme.partner])
    client = wallet_client(sondrio, user, [forme, bookshop])
    assert pay_shown(client, CARD_OK)["status"] == 200
    order = Order.objects.get(user=user)
    forme_line, bookshop_line = order.lines.order_by("pk")
    spent = spending.spent_account(wallet.programme, forme.partner)

    first = refund_line(order, forme_line)
    again = refund_line(order, forme_line)

    assert (first.wallets, first.card) == (forme.price, Decimal("0.00"))
    assert (again.wallets, again.card) == (Decimal("0.00"), Decimal("0.00"))
    assert balance(wallet.account_id) == Decimal("50.00")
    assert balance(spent.pk) == 0
    assert (
        Transfer.objects.filter(kind=spending.REFUND_KIND, destination=wallet.account).count() == 1
    )
    source = order.sources.get(source_type__name="Credito programma")
    assert source.amount_refunded == forme.price
    # the other line is the card's: refunded through Stripe, once
    card = refund_line(order, bookshop_line)
    assert card == type(card)(wallets=Decimal("0.00"), card=bookshop.price)
    assert refund_line(order, bookshop_line).card == 0
    payment = StripePayment.objects.get(order=order)
    refunds = gateway.client().v1.refunds.list(params={"payment_intent": payment.payment_intent_id})
    assert [r.amount for r in refunds.data] == [int(bookshop.price * 100)]
    # the citizen's wallet page shows the spend and the refund
    page = client.get("/programmi/il-mio-portafoglio/").content.decode()
    for said in ("Paid for order %(number)s", "Refund of order %(number)s"):
        assert italian(lambda said=said: checkout._(said) % {"number": order.number}) in page


@pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL row locks (DATABASE_URL=postgres://…)"
)
@pytest.mark.django_db
def test_fifty_concurrent_checkouts_never_overspend_one_wallet(territories):
    """A wallet of 100 €, 50 checkouts holding 10 € each at once: exactly 10 get it."""
    territory = territories["sondrio"]
    wallet = in_own_connection(lambda: credited_wallet(territory, new_citizen(), "100.00"))
    line = checkout.WalletLine(1, "servizio", None, None, Decimal("10.00"))

    def hold_one(i, ready):
        fresh = Wallet.objects.select_related("programme__territory", "account").get(pk=wallet.pk)
        use = checkout.WalletUse(fresh, fresh.account.balance, [(line, Decimal("10.00"))])
        ready()
        return checkout.hold_for_order(
            f"race-{wallet.pk}-{i}", checkout.WalletPlan([use]), territory
        )

    try:
        results = at_once(50, hold_one)
        held = [r for r in results if isinstance(r, list)]
        refused = [r for r in results if isinstance(r, spending.LedgerError)]
        assert (len(held), len(refused)) == (10, 40), results
        left = Account.objects.get(pk=wallet.account_id).balance
        holds = Hold.objects.filter(source_id=wallet.account_id)
        assert left == 0
        assert left + sum(h.amount for h in holds) == Decimal("100.00")
        assert sum(
            Account.objects.filter(hold__in=holds).values_list("balance", flat=True)
        ) == Decimal("100.00")
    finally:

        def clean_up():
            programme = Programme.objects.get(pk=wallet.programme_id)
            holds = list(Hold.objects.filter(source_id=wallet.account_id))
            hold_accounts = [h.account_id for h in holds]
            accounts = list(
                Account.objects.filter(
                    code__startswith=f"{territory.slug}:programme:{programme.slug}:"
                )
            )
            every = [a.pk for a in accounts] + hold_accounts
            Hold.objects.filter(pk__in=[h.pk for h in holds]).delete()
            Transfer.objects.filter(source__in=every).delete()
            Transfer.objects.filter(destination__in=every).delete()
            Wallet.objects.filter(pk=wallet.pk).delete()
            owner = wallet.owner
            Programme.objects.filter(pk=programme.pk).delete()
            Account.objects.filter(pk__in=every).delete()
            owner.delete()

        in_own_connection(clean_up)
