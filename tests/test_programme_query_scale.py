"""The query counts of /programmi/, an application's page and a programme's dashboard are the
same with 10 applications as with 1,000 (the extra ones bulk-inserted, with their credits and
spends on the ledger)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.ledger.models import Account, Transfer
from portal.programmes.applications import CREDIT_KIND, submit
from portal.programmes.models import Application, Wallet
from portal.programmes.spending import SPEND_KIND, spent_account
from shop.partner.models import Partner
from tests.conftest import portal_client
from tests.programmes_support import draft, open_programme
from tests.test_programme_office import officer_of

pytestmark = pytest.mark.django_db
S = Application.Status


def add_applications(programme, n: int, start: int) -> None:
    """``n`` approved applications, each credited and spending once, bulk-inserted."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"scale-{start + i}", email=f"scale-{start + i}@example.it")
        for i in range(n)
    )
    accounts = Account.objects.bulk_create(
        Account(name=f"wallet {start + i}", kind=Account.Kind.WALLET) for i in range(n)
    )
    Wallet.objects.bulk_create(
        Wallet(programme=programme, owner=u, account=a)
        for u, a in zip(users, accounts, strict=True)
    )
    Application.objects.bulk_create(
        Application(
            programme=programme,
            applicant=u,
            household_key=f"SCALE{start + i:011d}",
            status=S.APPROVED,
            household_size=1,
            municipality=programme.municipalities[0],
            amount=Decimal("150.00"),
            protocol=f"SCALE-{programme.pk}-{start + i}",
        )
        for i, u in enumerate(users)
    )
    spent = spent_account(programme, Partner.objects.order_by("pk").first())
    Transfer.objects.bulk_create(
        [
            Transfer(
                source=programme.budget_account,
                destination=a,
                amount=Decimal("150.00"),
                kind=CREDIT_KIND,
            )
            for a in accounts
        ]
        + [
            Transfer(source=a, destination=spent, amount=Decimal("5.00"), kind=SPEND_KIND)
            for a in accounts
        ]
    )


def queries(client, url: str) -> int:
    client.get(url)  # what a running server has warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_ten_or_a_thousand_applications_cost_the_same_queries(territories):
    programme = open_programme(territories["padova"], budget="1000000.00")
    mine = draft(programme)
    submit(mine, mine.applicant)
    add_applications(programme, 9, 0)
    citizen = portal_client("padova")
    citizen.force_login(mine.applicant)
    officer, _user = officer_of(territories["padova"])
    urls = [
        (citizen, "/programmi/"),
        (citizen, f"/programmi/le-mie-domande/{mine.pk}/"),
        (officer, f"/admin/programmi/{programme.pk}/cruscotto/"),
        (officer, f"/admin/programmi/{programme.pk}/cruscotto/dati.json"),
        (officer, "/admin/programmi/"),
    ]
    ten = [queries(client, url) for client, url in urls]
    assert programme.applications.count() == 10
    add_applications(programme, 990, 100)
    assert programme.applications.count() == 1000
    assert [queries(client, url) for client, url in urls] == ten
