"""A campaign's single-use code under 20 concurrent checkouts (PostgreSQL): one order gets
it, the 19 others are refused, and the code counts once in the campaign's results."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import connections
from oscar.core.loading import get_class, get_model

pytestmark = pytest.mark.postgres
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL row locks and real concurrency (set DATABASE_URL); SQLite has none",
)
CHECKOUTS = 20
Applicator = get_class("offer.applicator", "Applicator")
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")


@pytest.fixture
def committed_code(django_db_setup, django_db_blocker):
    """A committed campaign on Sondrio with one code, and 20 baskets holding it; removed after."""
    from django.contrib.auth import get_user_model

    from portal.campaigns.models import Campaign
    from portal.territories.models import Territory
    from tests.campaign_support import campaign
    from tests.orders_support import basket_with, citizen
    from tests.test_campaigns import shared_service

    with django_db_blocker.unblock():
        sondrio = Territory.objects.select_related("site").get(slug="sondrio")
        service = shared_service(sondrio)
        made = campaign(
            [sondrio],
            name="Concorrenza",
            slug="concorrenza",
            discount="codes",
            products=[service],
            codes=1,
            starts_in=timedelta(hours=-1),
        )
        voucher = made.voucher_set.vouchers.get()
        baskets = []
        for i in range(CHECKOUTS):
            user = citizen(f"race{i:02d}@example.it")
            basket = basket_with(sondrio, [service.upc], user=user)
            basket.vouchers.add(voucher)
            Applicator().apply(basket, user)
            assert basket.total_discount > 0
            baskets.append(basket)
        yield made, voucher, baskets
        Order.objects.filter(basket_id__in=[b.pk for b in baskets]).delete()
        Basket.objects.filter(pk__in=[b.pk for b in baskets]).delete()
        for landing in made.landings.select_related("page"):
            landing.page.delete()
        template, offer = made.template_page, made.offer
        voucher_set = made.voucher_set
        Campaign.objects.filter(pk=made.pk).delete()
        template.delete()
        voucher_set.vouchers.all().delete()
        voucher_set.delete()
        scope = offer.condition.range
        offer.delete()
        Range.objects.filter(pk=scope.pk).delete()
        get_user_model().objects.filter(email__startswith="race").delete()


@needs_postgres
def test_a_single_use_code_is_used_once_under_20_concurrent_checkouts(committed_code):
    from portal.campaigns.results import results
    from tests.orders_support import place

    made, voucher, baskets = committed_code
    barrier = threading.Barrier(CHECKOUTS)
    placed, refused = [], []

    def checkout(basket):
        try:
            barrier.wait()
            try:
                placed.append(place(basket, user=basket.owner))
            except ValueError as exc:  # Oscar's refusal of a used single-use voucher
                refused.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(b,)) for b in baskets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(placed) == 1, (len(placed), refused[:3])
    assert len(refused) == CHECKOUTS - 1
    assert voucher.applications.count() == 1
    assert Order.objects.filter(basket_id__in=[b.pk for b in baskets]).count() == 1
    assert results(made).total.codes == 1
