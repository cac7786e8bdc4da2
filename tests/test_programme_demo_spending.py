"""`make demo`'s spending: each open programme's charts and transparency figures have
something to show, from real ledger movements over several days; loading again adds nothing."""

import pytest
from django.utils import timezone

from portal.programmes.demo import load_applications, officers
from portal.programmes.demo_spending import load_spends
from portal.programmes.figures import programme_figures
from portal.programmes.models import Programme
from portal.territories.demo import ensure_user
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db


def test_open_programmes_get_spending_households(territories):
    officers(ensure_user)
    load_applications(ensure_user)
    open_ones = [p for p in Programme.objects.all() if p.is_open(timezone.localdate())]
    assert load_spends(ensure_user) == 6 * len(open_ones)
    padova = Programme.objects.get(territory__slug="padova")
    figures = programme_figures(padova)
    assert figures.spent > 0 and len(figures.by_cooperative) == 2
    assert len(figures.by_day) > 1  # spread over the days since it opened
    assert figures.counts["approved"] == 2 + 6
    html = portal_client("padova").get("/trasparenza/").content.decode()
    assert "Persone aiutate" in html and '<dd class="col-sm-8">8</dd>' in html
    assert load_spends(ensure_user) == 0
