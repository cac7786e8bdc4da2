"""Programme credit expires: a week before, owners with money left are e-mailed once in their
language (and the link opens their wallet); after the last day, every wallet's unspent
balance goes back to the budget on the ledger, once; the wallet page shows both."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from portal.celery import app
from portal.ledger.accounts import system_account
from portal.ledger.models import Account, Transfer
from portal.ledger.transfers import transfer
from portal.programmes.applications import approve, move, submit
from portal.programmes.budget import budget_left
from portal.programmes.expiry import EXPIRY_KIND, expire_credits
from portal.programmes.models import Wallet
from portal.programmes.tasks import expire_credits as expire_task
from tests.conftest import portal_client
from tests.programmes_support import citizen, draft, in_own_connection, open_programme
from tests.test_moderation_emails import assert_links_open_on

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def credited(programme, size: int, language: str = "it") -> Wallet:
    application = draft(programme, size=size)
    application.language = language
    application.save(update_fields=["language"])
    submit(application, application.applicant)
    officer = citizen()
    move(application, officer, "in_review", officer=True)
    approve(application, officer)
    return Wallet.objects.select_related("account").get(
        programme=programme, owner=application.applicant
    )


@pytest.fixture
def programme(territories):
    """Padova's programme whose credit may last be spent in five days, with three wallets:
    350.00 (Italian), 150.00 (English) and one spent to nothing."""
    made = open_programme(
        territories["padova"], budget="2000.00", credit_expires_on=TODAY + timedelta(days=5)
    )
    made.wallets_made = [credited(made, 3), credited(made, 1, "en"), credited(made, 2)]
    spent = made.wallets_made[2]
    shop = system_account("test:cooperative", name="cooperative", kind=Account.Kind.INCOME)
    transfer(spent.account, shop, spent.account.balance, kind="test-spend")
    return made


def balances(programme) -> list[Decimal]:
    return [Account.objects.get(pk=w.account_id).balance for w in programme.wallets_made]


def total(programme) -> Decimal:
    """The money of the programme's budget and wallets together (what spending took aside)."""
    accounts = [programme.budget_account_id, *[w.account_id for w in programme.wallets_made]]
    return Account.objects.filter(pk__in=accounts).aggregate(s=Sum("balance"))["s"]


def test_the_notice_goes_once_to_owners_with_money_left_in_their_language(programme):
    italian, english, empty = programme.wallets_made
    mail.outbox.clear()
    assert expire_credits(TODAY - timedelta(days=3)).notices == 0  # eight days before: not yet
    report = expire_credits(TODAY)
    assert report.notices == 2 and report.returned_wallets == 0
    by_owner = {m.to[0]: m for m in mail.outbox}
    assert set(by_owner) == {italian.owner.email, english.owner.email}  # not the empty one
    expires = (TODAY + timedelta(days=5)).strftime("%d/%m/%Y")
    assert by_owner[italian.owner.email].subject == (
        f"Il tuo credito di «Buoni spesa» scade il {expires}"
    )
    assert "contiene ancora 350,00 €" in by_owner[italian.owner.email].body
    assert by_owner[english.owner.email].subject == (
        f"Your credit from “Buoni spesa” expires on {expires}"
    )
    assert "still holds 150.00 €" in by_owner[english.owner.email].body
    assert expire_credits(TODAY).notices == 0
    assert expire_credits(TODAY + timedelta(days=2)).notices == 0
    assert len(mail.outbox) == 2
    assert balances(programme) == [Decimal("350.00"), Decimal("150.00"), Decimal("0.00")]


def test_a_new_expiry_date_is_noticed_again(programme):
    expire_credits(TODAY)
    programme.credit_expires_on = TODAY + timedelta(days=6)
    programme.save(update_fields=["credit_expires_on"])
    mail.outbox.clear()
    assert expire_credits(TODAY).notices == 2


@pytest.mark.parametrize("language, login", [("it", "/shop/accounts/login/"), ("en", None)])
def test_the_notice_link_opens_the_wallet_on_its_portal(territories, programme, language, login):
    padova = territories["padova"]
    site = padova.site
    site.port = 8000
    site.save(update_fields=["port"])
    wallet = programme.wallets_made[0 if language == "it" else 1]
    mail.outbox.clear()
    expire_credits(TODAY)
    [message] = [m for m in mail.outbox if m.to == [wallet.owner.email]]
    assert ":8000/" in message.body

    def opens(response, link):
        assert response.wsgi_request.territory == padova, link
        assert "Buoni spesa" in response.text and (
            "350,00" in response.text or "150.00" in response.text
        )

    assert_links_open_on(
        padova, message, wallet.owner, login_path=login or "/en/shop/accounts/login/", opens=opens
    )


def test_after_the_last_day_the_credit_goes_back_once(programme):
    before_total, left = total(programme), budget_left(programme)
    assert left == Decimal("1250.00")  # 2000 - 350 - 150 - 250
    expiry_day = TODAY + timedelta(days=5)
    assert expire_credits(expiry_day).returned_wallets == 0  # still spendable that day
    report = expire_credits(expiry_day + timedelta(days=1))
    assert (report.returned_wallets, report.returned_amount) == (2, Decimal("500.00"))
    assert balances(programme) == [Decimal("0.00")] * 3
    assert budget_left(programme) == Decimal("1750.00")
    assert total(programme) == before_total  # moved, not made
    returned = Transfer.objects.filter(kind=EXPIRY_KIND, destination=programme.budget_account)
    assert sorted(returned.values_list("amount", flat=True)) == [
        Decimal("150.00"),
        Decimal("350.00"),
    ]
    rows = Transfer.objects.count()
    again = expire_credits(expiry_day + timedelta(days=30))
    assert (again.returned_wallets, again.returned_amount) == (0, Decimal("0.00"))
    assert Transfer.objects.count() == rows
    assert budget_left(programme) == Decimal("1750.00")


def test_credit_that_comes_back_after_the_return_goes_back_on_the_next_run(programme):
    """A line refunded (or a checkout hold released) into an expired wallet."""
    wallet = programme.wallets_made[0]
    after = TODAY + timedelta(days=6)
    expire_credits(after)
    shop = system_account("test:cooperative", name="cooperative", kind=Account.Kind.INCOME)
    transfer(shop, wallet.account, Decimal("50.00"), kind="test-refund")
    report = expire_credits(after)
    assert (report.returned_wallets, report.returned_amount) == (1, Decimal("50.00"))
    keys = list(
        Transfer.objects.filter(kind=EXPIRY_KIND, source=wallet.account)
        .order_by("pk")
        .values_list("key", flat=True)
    )
    assert keys == [
        f"programme-expiry:{wallet.pk}:{TODAY + timedelta(days=5)}",
        f"programme-expiry:{wallet.pk}:{TODAY + timedelta(days=5)}:2",
    ]
    assert expire_credits(after).returned_wallets == 0
    assert Account.objects.get(pk=wallet.account_id).balance == 0


def test_the_command_says_what_it_did(programme):
    out = StringIO()
    call_command("expire_credits", "--today", TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == (
        "Credit expiry: 0 wallet(s) of 0 programme(s) returned 0.00 EUR of unspent credit to "
        "their budgets; 2 expiry notice(s) sent."
    )
    out = StringIO()
    later = TODAY + timedelta(days=6)
    call_command("expire_credits", "--today", later.isoformat(), stdout=out)
    assert "2 wallet(s) of 1 programme(s) returned 500.00 EUR" in out.getvalue()
    assert "0 expiry notice(s) sent" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("expire_credits", "--today", "30/06/2027")


def test_the_celery_task_runs_on_the_beat(programme):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-programme-credits"]
    assert entry["task"] in app.tasks
    assert "2 expiry notice(s) sent" in expire_task.delay().get()


def test_the_wallet_page_shows_the_expiry_then_the_credit_gone_back(programme):
    owner = programme.wallets_made[0].owner
    client = portal_client("padova")
    client.force_login(owner)
    page = client.get("/programmi/il-mio-portafoglio/").content.decode()
    assert "Spendilo entro il" in page and "350,00" in page
    programme.credit_expires_on = TODAY - timedelta(days=1)
    programme.closes_on = TODAY - timedelta(days=1)
    programme.opens_on = TODAY - timedelta(days=10)
    programme.save()
    expire_credits()
    page = client.get("/programmi/il-mio-portafoglio/").content.decode()
    assert "Il credito è scaduto il" in page
    assert "Credito non speso restituito al programma" in page
    assert "-350,00" in page or "−350,00" in page


ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL row locks (DATABASE_URL=postgres://…)"
)
def test_four_runs_at_once_return_each_wallet_once_and_notice_it_once(territories):
    """Cron and Celery beat at the same moment (4 runs, 20 wallets): one transfer per wallet,
    one e-mail per owner. Not ``transaction=True`` (that empties the portals): the data is
    committed from a connection of its own and deleted afterwards."""
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connection

    from portal.programmes.models import Application, Programme

    territory = territories["padova"]

    def prepare():
        made = open_programme(
            territory, budget="10000.00", credit_expires_on=TODAY + timedelta(days=3)
        )
        return made, [credited(made, 1) for _ in range(20)]  # 150.00 each

    made, wallets = in_own_connection(prepare)
    barrier = threading.Barrier(4)
    reports: list = [None] * 4

    def run(i, day):
        try:
            barrier.wait()
            reports[i] = expire_credits(day)
        except Exception as exc:  # noqa: BLE001 — shown by the assertion below
            reports[i] = exc
        finally:
            connection.close()

    try:
        for day in (TODAY, TODAY + timedelta(days=4)):
            mail.outbox.clear()
            threads = [threading.Thread(target=run, args=(i, day)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert all(not isinstance(r, Exception) for r in reports), reports
            if day == TODAY:
                assert sum(r.notices for r in reports) == 20
                assert len(mail.outbox) == 20
        assert sum(r.returned_wallets for r in reports) == 20
        assert sum(r.returned_amount for r in reports) == Decimal("3000.00")
        accounts = [w.account_id for w in wallets]
        returned = Transfer.objects.filter(kind=EXPIRY_KIND, source__in=accounts)
        assert returned.count() == 20
        assert budget_left(made) == Decimal("10000.00")
        assert not Account.objects.filter(pk__in=accounts, balance__gt=0).exists()
    finally:

        def clean_up():
            codes = f"padova:programme:{made.slug}:"
            mine = list(Account.objects.filter(code__startswith=codes))
            applications = Application.objects.filter(programme=made)
            users = list(applications.values_list("applicant_id", flat=True))
            users += [e.actor_id for a in applications for e in a.events.all() if e.actor_id]
            for application in applications:
                application.events.all().delete()
            applications.delete()
            Wallet.objects.filter(programme=made).delete()
            Transfer.objects.filter(source__in=mine).delete()
            Transfer.objects.filter(destination__in=mine).delete()
            Programme.objects.filter(pk=made.pk).delete()
            Account.objects.filter(pk__in=[a.pk for a in mine]).delete()
            get_user_model().objects.filter(pk__in=users).delete()

        in_own_connection(clean_up)
