"""The home page and the catalogue cost the same number of queries with 5 or 5,000 services,
rendered afresh and served from what the previous request kept."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from tests.conftest import page_queries, portal_client

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

# What a citizen's page costs: pinned so that a new per-item query shows up as a failure.
# (rendered afresh after a publish, served again): the second is what a running server pays
# most of the time, with a cookie (past the whole-page cache), as a visitor with a session.
HOME_QUERIES = (19, 0)  # afresh: the territory, route, menus, featured services, news, webinars,
# the running campaigns of portal/campaigns, the Social Points (kept per generation)…
CATALOGUE_QUERIES = (6, 1)  # one page of cards with their prices, categories and the total


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


@pytest.mark.parametrize(
    "path, budget", [("/", HOME_QUERIES), ("/shop/catalogue/", CATALOGUE_QUERIES)]
)
def test_queries_do_not_grow_with_the_number_of_services(territories, path, budget):
    sondrio = territories["sondrio"]
    offer_services(sondrio, 5)
    *few, few_html = page_queries(portal_client("sondrio"), path, HTTP_COOKIE="seen=1")
    offer_services(sondrio, 5000)
    *many, many_html = page_queries(portal_client("sondrio"), path, HTTP_COOKIE="seen=1")

    assert (tuple(few), tuple(many)) == (budget, budget)
    shown = 6 if path == "/" else 24  # featured services on the home, a full catalogue page
    assert few_html.count('data-service="') == 5
    assert many_html.count('data-service="') == shown
