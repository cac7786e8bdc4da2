"""The home page and the catalogue cost the same number of queries with 5 or 200 services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

# What a citizen's page costs: pinned so that a new per-item query shows up as a failure.
# Warm caches, as on a running server: the chrome (header, menus, footer) and the territory
# come from the cache (portal/territories/chrome.py), so these are the page's own queries.
HOME_QUERIES = 8  # page, featured services (1, listing.py), news, webinars…
CATALOGUE_QUERIES = 1  # one page of cards with their prices, categories and the total (listing.py)


def offer_services(territory, count: int) -> None:
    """Make ``territory`` offer exactly ``count`` services."""
    current = StockRecord.objects.filter(territory=territory)
    have = current.count()
    if have > count:
        current.exclude(pk__in=current.order_by("pk").values("pk")[:count]).delete()
        return
    partner = territory.cooperatives.first()
    product_class = ProductClass.objects.get(slug="servizio")
    category = Category.objects.first()
    products = Product.objects.bulk_create(
        Product(
            title=f"Servizio di prova {i}",
            upc=f"bench-{territory.slug}-{i}",
            product_class=product_class,
            structure="standalone",
            slug=f"servizio-di-prova-{i}",
            description="<p>Prova.</p>",
        )
        for i in range(count - have)
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=p, category=category) for p in products
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=p,
            partner=partner,
            territory=territory,
            partner_sku=f"bench-{p.upc}",
            price=Decimal("10.00") + i,
            price_currency="EUR",
        )
        for i, p in enumerate(products)
    )


def queries_for(path: str) -> tuple[int, str]:
    client = portal_client("sondrio")
    client.get(path)  # warm the caches a long-running server would have warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize(
    "path, budget", [("/", HOME_QUERIES), ("/shop/catalogue/", CATALOGUE_QUERIES)]
)
def test_queries_do_not_grow_with_the_number_of_services(territories, path, budget):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 5)
    few, few_html = queries_for(path)
    offer_services(sondrio, 200)
    many, many_html = queries_for(path)

    assert (few, many) == (budget, budget)
    shown = 6 if path == "/" else 24  # featured services on the home, a full catalogue page
    assert few_html.count('data-service="') == 5
    assert many_html.count('data-service="') == shown
