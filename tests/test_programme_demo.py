"""`make demo`: an officer per portal and applications in every status, the credits on the
ledger; loading it again adds nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate

from portal.programmes.budget import budget_left
from portal.programmes.demo import load_applications, officers
from portal.programmes.models import Application, Programme, Wallet
from portal.territories.demo import ensure_user

pytestmark = pytest.mark.django_db


def test_demo_officers_and_applications_in_every_status(territories):
    made = officers(ensure_user)
    assert ("padova", "ufficio.padova@welfare.localhost") in [(t.slug, e) for t, e in made]
    officer = authenticate(username="ufficio.padova@welfare.localhost", password="demo")
    assert officer is not None
    assert officer.groups.filter(office_of__territory__slug="padova").exists()

    assert load_applications(ensure_user) == 28  # 7 stories × 4 programmes
    padova = Programme.objects.get(territory__slug="padova")
    statuses = set(padova.applications.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    granted = sum(a.amount for a in padova.applications.filter(status="approved"))
    assert granted == Decimal("250.00") + Decimal("400.00")
    assert budget_left(padova) == padova.budget - granted
    wallet = Wallet.objects.get(programme=padova, owner__email="cittadino@example.it")
    assert wallet.account.balance == Decimal("250.00")

    assert load_applications(ensure_user) == 0
