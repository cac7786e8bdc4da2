"""`portal seed-scale`: real portals, services, citizens and orders, added once.

Small numbers here (SQLite); the command's defaults are the benchmark's scale (bench/README.md).
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model

from portal.territories.models import Territory
from portal.territories.scale import citizen_email, filled_tables
from tests.conftest import portal_client

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

ARGS = ["--territories", "2", "--services", "12", "--citizens", "20", "--orders", "30"]


def seed(*extra: str) -> str:
    out = StringIO()
    call_command("portal", "seed-scale", *ARGS, *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_scale_adds_everything_once_and_the_portals_serve_it():
    said = seed()
    assert "2 portal(s), 12 service(s) (24 offer(s)), 20 citizen(s), 30 order(s) added" in said
    assert "orders     [##############################] 30/30" in said

    again = seed()
    assert "0 portal(s), 0 service(s) (0 offer(s)), 0 citizen(s), 0 order(s) added" in again

    first, second = Territory.objects.filter(slug__startswith="scala-").order_by("slug")
    assert (first.slug, first.theme, second.theme) == ("scala-01", "italia", "borgo")
    # each synthetic service is offered in both portals (fewer portals than OFFERS_PER_SERVICE)
    assert StockRecord.objects.filter(product__upc__startswith="scala-servizio-").count() == 24

    # every order's line is an offer of the order's own portal, bought by a seeded citizen
    orders = Order.objects.filter(number__startswith="SC").prefetch_related("lines__stockrecord")
    assert orders.count() == 30
    for order in orders:
        (line,) = order.lines.all()
        assert line.stockrecord.territory_id == order.territory_id
        assert order.user.email.endswith("@scala.invalid")

    # a portal is a real portal: its catalogue finds the services it offers
    page = portal_client("scala-01").get("/shop/catalogue/?q=prova").content.decode()
    assert "Servizio di prova 00001" in page

    # a citizen's order history there lists their own orders, with the service's title
    citizen = get_user_model().objects.get(email=citizen_email(2))
    own = Order.objects.filter(user=citizen)
    assert own.exists() and {o.territory.slug for o in own} == {"scala-01"}
    client = portal_client("scala-01")
    client.force_login(citizen)
    history = client.get("/shop/accounts/orders/").content.decode()
    for order in own:
        assert order.number in history


@pytest.mark.django_db
def test_seed_scale_grows_by_the_difference():
    seed()
    out = StringIO()
    call_command(
        "portal",
        "seed-scale",
        "--territories",
        "2",
        "--services",
        "15",
        "--citizens",
        "25",
        "--orders",
        "30",
        stdout=out,
    )
    added = "0 portal(s), 3 service(s) (6 offer(s)), 5 citizen(s), 0 order(s) added"
    assert added in out.getvalue()
    assert Product.objects.filter(upc__startswith="scala-servizio-").count() == 15


def planner_statistics() -> dict[str, float]:
    """Rows per table as the query planner knows them (none: it never looked)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class"
                " WHERE relname = ANY(%s) AND reltuples >= 0",
                [filled_tables()],
            )
        else:  # each row's stat starts with the table's row count
            cursor.execute("SELECT tbl, MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl")
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_seed_scale_leaves_the_planner_statistics_of_what_it_inserted():
    """Bulk inserts leave the planner blind (PostgreSQL without autovacuum planned the
    catalogue at scale as a join of every product with every product: 26 s); the seed
    refreshes the statistics of every table it filled."""
    seed()
    known = planner_statistics()
    for table in filled_tables():
        assert table in known, table
    assert known[Order._meta.db_table] >= 30
