"""An employee spends their employer's welfare credit on any portal, also for a relative who
lives in another territory: the wallet pays the lines its plan covers (TUIR letters), the card
the rest; ended or left credit is refused with a reason; a refund goes back to the wallet; 50
concurrent spends from one wallet never overspend (PostgreSQL).

Against a real localstripe, as tests/test_wallet_checkout.py.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from portal.employers import at_checkout, funding, spending
from portal.employers.models import Employee, EmployeeWallet, Spend, WelfarePlan
from portal.ledger.models import Account, Hold, Transfer
from portal.programmes import checkout
from shop.catalogue.fixture import load_catalogue
from shop.checkout.views import wallets_changed_message
from shop.customer.models import FamilyMember
from shop.payment.models import StripePayment
from shop.payment.refunds import refund_line
from tests import employers_support as support
from tests.conftest import portal_client
from tests.programmes_support import at_once, in_own_connection
from tests.stripe_support import (
    CARD_OK,
    localstripe_url,  # noqa: F401  (fixture)
    stripe_settings,  # noqa: F401  (fixture)
)
from tests.wallet_support import balance, credited_wallet, italian, pay_shown, shown_token

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
CARD_PAGE = "/shop/checkout/payment-details/"
HOME_CARE = "assistenza-domiciliare-asa"  # f-ter: Cremona, Napoli, Padova, Sondrio
TUTORING = "tutoring-online--1"  # f-bis: every portal


def euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def employee_wallet(
    territories, credit="50.00", categories=("f", "f-bis", "f-ter"), name=None, **plan_kw
):
    """An employee of a Cremona company, credited ``credit`` by its plan."""
    company = support.employer(territories["cremona"], name=name or "Latteria Test S.p.A.")
    plan = support.plan(company, credit=credit, categories=categories, **plan_kw)
    worker = support.employee(company)
    support.fund(company)
    funding.credit_all(plan)
    return EmployeeWallet.objects.select_related("plan__employer", "account").get(employee=worker)


def offer(slug: str, upc: str):
    return StockRecord.objects.select_related("partner").get(territory__slug=slug, product__upc=upc)


def checkout_for(client, territory, user, offers, mother=None) -> None:
    """``offers`` in the basket; every line for ``mother`` (a saved family member) or oneself."""
    for stock in offers:
        client.post(f"/shop/basket/add/{stock.product_id}/", {"quantity": 1})
    page = client.get("/shop/checkout/booking/").content.decode()
    data = {}
    for prefix in sorted(set(re.findall(r'name="(line-\d+)-name"', page))):
        data.update(
            {
                f"{prefix}-beneficiary": "self",
                f"{prefix}-name": "" if mother else "Anna Bianchi",
                f"{prefix}-address": "" if mother else "Via Roma 1",
                f"{prefix}-municipality": "" if mother else "Padova",
                f"{prefix}-territory": territory.pk,
                f"{prefix}-phone": "049 000000",
                f"{prefix}-family_member": mother.pk if mother else "",
            }
        )
    response = client.post("/shop/checkout/booking/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def signed_in(slug: str, user):
    client = portal_client(slug)
    client.force_login(user)
    return client


@pytest.fixture
def padova(territories):
    return territories["padova"]


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
class TestEmployeeSpending:
    def test_on_another_portal_for_a_relative_elsewhere_wallet_and_card(
        self, territories, padova, django_capture_on_commit_callbacks
    ):
        wallet = employee_wallet(territories, "50.00")
        user = wallet.employee.user
        mother = FamilyMember.objects.create(
            owner=user,
            name="Rosa Verdi",
            relationship=FamilyMember.MOTHER,
            territory=territories["sondrio"],
            address="Via Trieste 3",
            municipality="Sondrio",
        )
        home_care = offer("padova", HOME_CARE)  # 86 € on Padova's portal
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [home_care], mother=mother)

        page = client.get(CARD_PAGE).content.decode()

        assert "Latteria Test S.p.A." in page
        assert euros(Decimal("50.00")) in page.split("data-wallet-amount")[1][:80]
        card_part = home_care.price - Decimal("50.00")
        assert euros(card_part) in page.split("data-card-amount")[1][:80]
        with django_capture_on_commit_callbacks(execute=True):
            assert pay_shown(client, CARD_OK) == {
                "status": 200,
                "redirect": "/shop/checkout/thank-you/",
            }

        order = Order.objects.get(user=user)
        line = order.lines.get()
        forme = offer("sondrio", HOME_CARE).partner
        assert line.partner == forme  # the mother's territory's cooperative
        assert line.booking.name == "Rosa Verdi"
        assert StripePayment.objects.get(order=order).amount == card_part
        assert balance(wallet.account_id) == Decimal("0.00")
        spent = spending.spent_account(wallet.plan, forme)
        assert balance(spent.pk) == Decimal("50.00")  # spent with Forme, not with Padova's
        assert list(Spend.objects.values_list("tuir_code", "amount")) == [
            ("f-ter", Decimal("50.00"))
        ]
        sources = sorted((s.source_type.name, s.amount_debited) for s in order.sources.all())
        assert sources == [
            ("Carta (Stripe)", card_part),
            ("Credito welfare aziendale", Decimal("50.00")),
        ]

    def test_a_line_the_plan_does_not_cover_is_paid_by_card_and_says_why(self, territories, padova):
        wallet = employee_wallet(territories, "500.00", categories=("f-ter",))
        user = wallet.employee.user
        home_care, tutoring = offer("padova", HOME_CARE), offer("padova", TUTORING)
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [home_care, tutoring])

        page = client.get(CARD_PAGE).content.decode()

        reason = italian(
            lambda: spending.eligible(wallet.plan, tutoring.product, {"educazione"}).reason
        )
        assert reason and reason in page.split('id="wallets-title"')[1]
        assert "data-not-covered" in page
        assert euros(tutoring.price) in page.split("data-card-amount")[1][:80]
        assert euros(home_care.price) in page.split("data-wallet-amount")[1][:80]
        assert pay_shown(client, CARD_OK)["status"] == 200
        order = Order.objects.get(user=user)
        assert StripePayment.objects.get(order=order).amount == tutoring.price
        assert balance(wallet.account_id) == Decimal("500.00") - home_care.price

    @pytest.mark.parametrize("how", ["plan ended", "left the company"])
    def test_ended_or_left_credit_is_refused_with_a_reason(self, territories, padova, how):
        wallet = employee_wallet(territories, "50.00")
        user = wallet.employee.user
        if how == "plan ended":  # the year-end job has not run yet: the credit is still there
            ended = timezone.localdate() - timedelta(days=1)
            WelfarePlan.objects.filter(pk=wallet.plan_id).update(ends_on=ended)
            message = "This welfare credit could be used until %(date)s."
            values = {"date": ended.strftime("%d/%m/%Y")}
        else:  # marked as left, the credit not yet returned
            Employee.objects.filter(pk=wallet.employee_id).update(
                left_on=timezone.localdate() - timedelta(days=1)
            )
            message = "This welfare credit ended when you left %(employer)s."
            values = {"employer": "Latteria Test S.p.A."}
        home_care = offer("padova", HOME_CARE)
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [home_care])

        page = client.get(CARD_PAGE).content.decode()

        assert italian(lambda: spending._(message) % values) in page
        assert "data-wallet-refused" in page
        assert "data-wallet-amount" not in page
        assert euros(home_care.price) in page.split("data-card-amount")[1][:80]
        assert pay_shown(client, CARD_OK)["status"] == 200
        assert balance(wallet.account_id) == Decimal("50.00")
        assert not Hold.objects.filter(source=wallet.account).exists()

    def test_a_plan_ended_since_the_page_holds_nothing(self, territories, padova):
        wallet = employee_wallet(territories, "500.00")
        user = wallet.employee.user
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [offer("padova", HOME_CARE)])
        page = client.get(CARD_PAGE).content.decode()
        assert 'value="place_order"' in page  # the wallet pays it all
        WelfarePlan.objects.filter(pk=wallet.plan_id).update(
            ends_on=timezone.localdate() - timedelta(days=1)
        )

        response = client.post(
            "/shop/checkout/preview/", {"action": "place_order", "wallets": shown_token(page)}
        )

        assert italian(wallets_changed_message) in response.content.decode()
        assert not Order.objects.filter(user=user).exists()
        assert not Hold.objects.filter(source=wallet.account).exists()
        assert balance(wallet.account_id) == Decimal("500.00")

    def test_the_employee_may_choose_not_to_use_it_and_nobody_else_can(self, territories, padova):
        wallet = employee_wallet(territories, "50.00")
        user = wallet.employee.user
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [offer("padova", HOME_CARE)])
        key = at_checkout.EMPLOYER.key(wallet)

        page = client.post("/shop/checkout/wallet/", {"wallet": key, "use": "0"}, follow=True)

        assert "data-wallet-amount" not in page.content.decode()
        assert pay_shown(client, CARD_OK)["status"] == 200
        assert balance(wallet.account_id) == Decimal("50.00")
        other = employee_wallet(territories, "50.00", name="Altra Azienda S.r.l.")
        for posted in (at_checkout.EMPLOYER.key(other), "employer-x", "employer-"):
            assert (
                client.post("/shop/checkout/wallet/", {"wallet": posted, "use": "0"}).status_code
                == 404
            )

    def test_programme_and_employer_wallets_pay_together(self, territories, padova):
        """A Padova programme wallet pays first, the employer's wallet what is left."""
        wallet = employee_wallet(territories, "500.00")
        user = wallet.employee.user
        programme_wallet = credited_wallet(padova, user, "30.00", title="Buoni Padova")
        home_care = offer("padova", HOME_CARE)
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [home_care])
        page = client.get(CARD_PAGE).content.decode()
        assert "Buoni Padova" in page and "Latteria Test S.p.A." in page
        response = client.post(
            "/shop/checkout/preview/", {"action": "place_order", "wallets": shown_token(page)}
        )
        assert response["Location"] == "/shop/checkout/thank-you/"
        assert balance(programme_wallet.account_id) == Decimal("0.00")
        assert balance(wallet.account_id) == Decimal("500.00") - (home_care.price - 30)
        order = Order.objects.get(user=user)
        assert sorted(s.source_type.name for s in order.sources.all()) == [
            "Credito programma",
            "Credito welfare aziendale",
        ]
        # the citizen reads each source by its name, on the thank-you page and the order's
        for page in ("/shop/checkout/thank-you/", f"/shop/accounts/orders/{order.number}/"):
            html = client.get(page).content.decode()
            assert "Credito del programma: Buoni Padova" in html, page
            assert "Credito welfare aziendale: " in html and "Importo riservato" not in html, page


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
def test_a_refunded_line_goes_back_to_the_employer_wallet_once(territories, padova):
    wallet = employee_wallet(territories, "50.00")
    user = wallet.employee.user
    home_care = offer("padova", HOME_CARE)
    client = signed_in("padova", user)
    checkout_for(client, padova, user, [home_care])
    assert pay_shown(client, CARD_OK)["status"] == 200
    order = Order.objects.get(user=user)
    line = order.lines.get()
    assert balance(wallet.account_id) == 0

    first = refund_line(order, line)
    again = refund_line(order, line)

    assert first.wallets == Decimal("50.00") and again.wallets == 0
    assert first.card == home_care.price - 50 and again.card == 0
    assert balance(wallet.account_id) == Decimal("50.00")
    assert balance(spending.spent_account(wallet.plan, line.partner).pk) == 0
    assert sorted(Spend.objects.values_list("amount", flat=True)) == [
        Decimal("-50.00"),
        Decimal("50.00"),
    ]
    source = order.sources.get(source_type__name="Credito welfare aziendale")
    assert source.amount_refunded == Decimal("50.00")


@pytest.mark.django_db
def test_the_payment_page_queries_with_employer_wallets(territories, padova):
    """What an employer wallet adds to the payment page, measured against a citizen without
    one: the same with 1 and 2 lines, and with 1 and 2 wallets (no query per line or wallet)."""
    from django.contrib.auth import get_user_model
    from django.test.utils import CaptureQueriesContext

    def page_queries(upcs, wallets=1) -> int:
        if wallets:
            wallet = employee_wallet(territories, "50.00", name=f"Azienda {upcs} {wallets}")
            user = wallet.employee.user
            for year in range(1, wallets):
                more = support.plan(wallet.plan.employer, year=wallet.plan.year + year)
                funding.credit_all(more)
        else:
            n = get_user_model().objects.count()
            user = get_user_model().objects.create_user(f"plain{n}", f"plain{n}@example.it", "x")
        client = signed_in("padova", user)
        checkout_for(client, padova, user, [offer("padova", upc) for upc in upcs])
        client.get(CARD_PAGE)  # warm caches
        with CaptureQueriesContext(connection) as page:
            response = client.get(CARD_PAGE)
        assert response.content.decode().count("data-wallet=") == wallets
        return len(page)

    one, two = [HOME_CARE], [HOME_CARE, TUTORING]
    without = {1: page_queries(one, wallets=0), 2: page_queries(two, wallets=0)}
    added = [
        page_queries(one) - without[1],
        page_queries(two) - without[2],
        page_queries(two, wallets=2) - without[2],
    ]
    # "without" has the one query that finds no employer wallet (any signed-in checkout asks)
    assert (without, added) == ({1: 15, 2: 17}, [2, 2, 2])


@pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL row locks (DATABASE_URL=postgres://…)"
)
@pytest.mark.django_db
def test_fifty_concurrent_spends_never_overspend_one_employer_wallet(territories):
    """An employer wallet of 100 €, 50 checkouts holding 10 € each at once: exactly 10 get it."""
    wallet = in_own_connection(lambda: employee_wallet(territories, "100.00"))
    line = checkout.WalletLine(1, "servizio", None, None, Decimal("10.00"))

    def hold_one(i, ready):
        fresh = EmployeeWallet.objects.select_related("plan__employer", "employee", "account").get(
            pk=wallet.pk
        )
        use = checkout.WalletUse(
            fresh, fresh.account.balance, [(line, Decimal("10.00"))], kind=at_checkout.EMPLOYER
        )
        ready()
        return checkout.hold_for_order(
            f"race-e{wallet.pk}-{i}", checkout.WalletPlan([use]), territories["padova"]
        )

    try:
        results = at_once(50, hold_one)
        held = [r for r in results if isinstance(r, list)]
        refused = [r for r in results if isinstance(r, spending.LedgerError)]
        assert (len(held), len(refused)) == (10, 40), results
        holds = Hold.objects.filter(source_id=wallet.account_id)
        assert Account.objects.get(pk=wallet.account_id).balance == 0
        assert sum(h.amount for h in holds) == Decimal("100.00")
    finally:
        in_own_connection(lambda: _clean_up(wallet))


def _clean_up(wallet) -> None:
    """What the committed set-up and the threads wrote (outside the test's transaction)."""
    company = wallet.plan.employer
    holds = list(Hold.objects.filter(source_id=wallet.account_id))
    accounts = [company.funding_account_id, wallet.account_id, *[h.account_id for h in holds]]
    accounts += list(
        Account.objects.filter(code__startswith=f"employer:{company.slug}:").values_list(
            "pk", flat=True
        )
    )
    Spend.objects.filter(plan__employer=company).delete()
    Hold.objects.filter(pk__in=[h.pk for h in holds]).delete()
    Transfer.objects.filter(source__in=accounts).delete()
    Transfer.objects.filter(destination__in=accounts).delete()
    EmployeeWallet.objects.filter(plan__employer=company).delete()
    user = wallet.employee.user
    Employee.objects.filter(employer=company).delete()
    WelfarePlan.objects.filter(employer=company).delete()
    group = company.admins
    company.delete()
    if group is not None:
        group.delete()
    Account.objects.filter(pk__in=accounts).delete()
    user.delete()


WELFARE_PAGE = "/shop/accounts/welfare/"


@pytest.mark.django_db
@pytest.mark.usefixtures("stripe_settings")
def test_my_company_welfare_page_shows_the_credit_what_it_buys_expiry_and_movements(
    territories, padova
):
    wallet = employee_wallet(territories, "50.00", categories=("f-ter",))
    user = wallet.employee.user
    someone = employee_wallet(territories, "77.00", name="Altra Azienda S.r.l.")
    client = signed_in("padova", user)
    checkout_for(client, padova, user, [offer("padova", HOME_CARE)])
    assert pay_shown(client, CARD_OK)["status"] == 200
    order = Order.objects.get(user=user)
    refund_line(order, order.lines.get())

    page = client.get(WELFARE_PAGE).content.decode()

    assert "Latteria Test S.p.A." in page and "Altra Azienda" not in page
    assert euros(Decimal("50.00")) in page.split("Saldo")[1][:60]
    assert wallet.plan.ends_on.strftime("%Y") in page
    assert italian(lambda: spending.code_name("f-ter")) in page
    elderly = load_catalogue().categories["anziani-e-domiciliarita"].name  # the f-ter category
    assert elderly in page.split(italian(lambda: spending.code_name("f-ter")))[1][:300]
    assert italian(lambda: spending.code_name("f-bis")) not in page  # not in the plan
    for said in ("Credit granted by your employer", "Paid for order %(number)s"):
        text = italian(lambda said=said: spending._(said) % {"number": order.number})
        assert text in page, said
    assert (
        italian(lambda: spending._("Refund of order %(number)s") % {"number": order.number}) in page
    )
    assert f'href="{WELFARE_PAGE}"' in page  # the account tab
    assert "Balance" in client.get(f"/en{WELFARE_PAGE}").content.decode()
    assert someone  # their page is theirs: never on this one (above)
    assert portal_client("padova").get(WELFARE_PAGE).status_code == 302  # sign in first


@pytest.mark.django_db
def test_my_company_welfare_page_queries_and_a_refused_plan(territories):
    from tests.conftest import page_queries

    wallet = employee_wallet(territories, "50.00")
    user = wallet.employee.user
    cold, warm, html = page_queries(signed_in("sondrio", user), WELFARE_PAGE)
    more = support.plan(
        wallet.plan.employer,
        year=wallet.plan.year - 1,
        title="Piano vecchio",
        ends_on=timezone.localdate() - timedelta(days=3),
    )
    funding.wallet_for(more, wallet.employee)
    cold2, warm2, html2 = page_queries(signed_in("sondrio", user), WELFARE_PAGE)
    assert "Piano vecchio" in html2
    ended = italian(
        lambda: (
            spending._("This welfare credit could be used until %(date)s.")
            % {"date": more.ends_on.strftime("%d/%m/%Y")}
        )
    )
    assert ended in html2
    # one wallet or two (one of them refused): the same queries
    assert (cold, warm, cold2, warm2) == (9, 4, 9, 4)
