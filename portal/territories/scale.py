"""Data at scale, for measuring: many portals, a large catalogue, citizens and their orders.

``python manage.py portal seed-scale --territories 50 --services 5000 --citizens 260000
--orders 200000`` is twice the source articles' figures (130,000 users, 100,000 services
delivered), spread over 50 territories. Four numbered steps, each re-runnable: a second run
with the same numbers adds nothing, a run with larger numbers adds only the difference.

- Portals are built by the generator from specs written here (``scala-01`` …), each with two
  cooperatives offering the shared catalogue's services, so they are real portals (page trees,
  groups, settings), served on ``scala-01.localhost`` in development.
- Services, citizens and orders are bulk inserts (no per-row signals), numbered so that a rerun
  finds what is there: services ``scala-servizio-00001``, citizens
  ``cittadino-000001@scala.invalid`` (no usable password), orders ``SC0000001``. Every service is
  offered in ``OFFERS_PER_SERVICE`` portals by one of their cooperatives; every order is one line
  of a service its portal offers, bought by a citizen of that portal.

Meant for PostgreSQL (``DATABASE_URL``); on SQLite it works at small numbers, as the tests do.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site as DjangoSite
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from shop.catalogue.fixture import SERVICE_CLASS, load_catalogue
from shop.order.statuses import DELIVERED, INITIAL

from . import generations
from .generator import build
from .models import Territory
from .spec import load_all

PREFIX = "scala"
OFFERS_PER_SERVICE = 5  # portals offering each synthetic service
BATCH = 2000
SEED = 20261202  # the same numbers give the same data

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class ScaleResult:
    territories: int = 0
    services: int = 0
    offers: int = 0
    citizens: int = 0
    orders: int = 0

    def summary(self) -> str:
        return (
            f"{self.territories} portal(s), {self.services} service(s) ({self.offers} offer(s)),"
            f" {self.citizens} citizen(s), {self.orders} order(s) added"
        )


def territory_slug(number: int) -> str:
    return f"{PREFIX}-{number:02d}"


def vat_number(seed: int) -> str:
    """A valid Italian VAT number (Luhn check digit over ten digits) derived from ``seed``."""
    digits = [int(c) for c in f"{seed % 10**10:010d}"]
    if not any(digits):
        digits[-1] = 1
    total = 0
    for position, digit in enumerate(digits):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def spec_text(number: int, refs: list[str]) -> str:
    """A territory spec in TOML, as an operator would write it, for portal ``number``."""
    slug = territory_slug(number)
    theme = "italia" if number % 2 else "borgo"
    lines = [
        f'slug = "{slug}"',
        f'name = "Welfare Scala {number:02d}"',
        'languages = ["it", "en"]',
        f'municipalities = ["Comune di prova {number:02d}"]',
        "",
        "[theme]",
        f'name = "{theme}"',
        "",
        "[contacts]",
        f'email = "info@{slug}.invalid"',
        "",
    ]
    for letter in "ab":
        lines += [
            "[[cooperatives]]",
            f'slug = "{slug}-coop-{letter}"',
            f'legal_name = "Cooperativa {letter.upper()} di Scala {number:02d}"',
            f'vat_number = "{vat_number(number * 10 + ord(letter))}"',
            "",
        ]
    for index, ref in enumerate(refs):
        lines += [
            "[[services]]",
            f'ref = "{ref}"',
            f'cooperative = "{slug}-coop-{"ab"[index % 2]}"',
            f'price = "{20 + (index * 7 + number) % 40}.00"',
            "",
        ]
    return "\n".join(lines)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_territories(count: int, progress: Progress) -> int:
    """Build portals ``scala-01`` … ``scala-<count>`` that are missing; return how many."""
    existing = set(
        Territory.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True)
    )
    wanted = [n for n in range(1, count + 1) if territory_slug(n) not in existing]
    if not wanted:
        return 0
    catalogue = load_catalogue()
    refs = sorted(ref for ref, service in catalogue.services.items() if not service.packages)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number in wanted:
            path = Path(folder) / f"{territory_slug(number)}.toml"
            path.write_text(spec_text(number, refs))
            paths.append(str(path))
        specs, errors = load_all(paths)
        if errors:
            raise ValueError("; ".join(str(error) for error in errors))
        for done, spec in enumerate(specs, start=1):
            build(spec)
            progress("portals", done, len(specs))
    return len(wanted)


def _scale_territories() -> list[Territory]:
    return list(Territory.objects.filter(slug__startswith=f"{PREFIX}-").order_by("slug"))


def seed_services(count: int, progress: Progress) -> tuple[int, int]:
    """Services ``scala-servizio-00001`` … each offered in ``OFFERS_PER_SERVICE`` portals."""
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")
    Partner = get_model("partner", "Partner")

    territories = _scale_territories()
    if not territories or count <= 0:
        return 0, 0
    product_class = ProductClass.objects.get(slug=SERVICE_CLASS)
    categories = list(Category.objects.order_by("path"))
    have = set(
        Product.objects.filter(upc__startswith=f"{PREFIX}-servizio-").values_list("upc", flat=True)
    )
    wanted = [n for n in range(1, count + 1) if f"{PREFIX}-servizio-{n:05d}" not in have]
    partners = {
        territory.pk: list(
            Partner.objects.filter(territories=territory, code__startswith=territory.slug)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        for territory in territories
    }
    offers = 0
    for done, numbers in enumerate(_batches(wanted), start=1):
        products = [
            Product(
                upc=f"{PREFIX}-servizio-{n:05d}",
                slug=slugify(f"servizio-di-prova-{n:05d}"),
                title=f"Servizio di prova {n:05d}",
                description=f"<p>Un servizio alla persona di prova, numero {n}.</p>",
                product_class=product_class,
                structure="standalone",
                is_public=True,
                audience="famiglie",
                delivery_modes="online",
                duration_minutes=60,
                sessions=1,
            )
            for n in numbers
        ]
        Product.objects.bulk_create(products)
        created = {
            p.upc: p
            for p in Product.objects.filter(upc__in=[p.upc for p in products]).only("pk", "upc")
        }
        links, records = [], []
        for n in numbers:
            product = created[f"{PREFIX}-servizio-{n:05d}"]
            if categories:
                links.append(
                    ProductCategory(product=product, category=categories[n % len(categories)])
                )
            for k in range(min(OFFERS_PER_SERVICE, len(territories))):
                territory = territories[(n + k) % len(territories)]
                cooperatives = partners[territory.pk]
                if not cooperatives:
                    continue
                records.append(
                    StockRecord(
                        product=product,
                        partner_id=cooperatives[n % len(cooperatives)],
                        territory=territory,
                        partner_sku=f"{territory.slug}-{product.upc}",
                        price_currency="EUR",
                        price=Decimal(15 + (n * 3 + k) % 60),
                    )
                )
        ProductCategory.objects.bulk_create(links)
        StockRecord.objects.bulk_create(records)
        offers += len(records)
        progress("services", min(done * BATCH, len(wanted)), len(wanted))
    return len(wanted), offers


def citizen_email(number: int) -> str:
    return f"cittadino-{number:06d}@{PREFIX}.invalid"


def seed_citizens(count: int, progress: Progress) -> int:
    """Accounts ``cittadino-000001@scala.invalid`` …, with no usable password."""
    User = get_user_model()
    have = set(
        User.objects.filter(email__endswith=f"@{PREFIX}.invalid").values_list("email", flat=True)
    )
    wanted = [n for n in range(1, count + 1) if citizen_email(n) not in have]
    unusable = make_password(None)  # one hash for all: nobody signs in as them
    joined = timezone.now() - timedelta(days=730)
    for done, numbers in enumerate(_batches(wanted), start=1):
        User.objects.bulk_create(
            [
                User(
                    username=citizen_email(n),
                    email=citizen_email(n),
                    password=unusable,
                    first_name="Cittadino",
                    last_name=f"{n:06d}",
                    date_joined=joined,
                )
                for n in numbers
            ]
        )
        progress("citizens", min(done * BATCH, len(wanted)), len(wanted))
    return len(wanted)


def order_number(number: int) -> str:
    return f"SC{number:07d}"


def seed_orders(count: int, citizens: int, progress: Progress) -> int:
    """Orders ``SC0000001`` …: one line each, of a service offered in the order's portal,
    bought by one of the portal's citizens (citizen n shops in portal n mod portals)."""
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    User = get_user_model()

    territories = _scale_territories()
    if not territories or count <= 0 or citizens <= 0:
        return 0
    have = set(
        Order.objects.filter(number__startswith="SC", territory__in=territories).values_list(
            "number", flat=True
        )
    )
    wanted = [n for n in range(1, count + 1) if order_number(n) not in have]
    if not wanted:
        return 0
    users = dict(
        User.objects.filter(email__endswith=f"@{PREFIX}.invalid").values_list("email", "pk")
    )
    sites = {
        territory.pk: DjangoSite.objects.get_or_create(
            domain=f"{territory.slug}.localhost", defaults={"name": territory.name}
        )[0]
        for territory in territories
    }
    offers: dict[int, list] = {territory.pk: [] for territory in territories}
    for record in (
        StockRecord.objects.filter(territory__in=territories)
        .select_related("product", "partner")
        .order_by("pk")
    ):
        offers[record.territory_id].append(record)
    chance = random.Random(SEED)
    now = timezone.now()
    for done, numbers in enumerate(_batches(wanted), start=1):
        orders, picks = [], []
        for n in numbers:
            citizen = 1 + (n * 7919) % citizens
            territory = territories[citizen % len(territories)]
            if not offers[territory.pk]:
                continue
            record = offers[territory.pk][n % len(offers[territory.pk])]
            placed = now - timedelta(minutes=chance.randrange(2 * 365 * 24 * 60))
            orders.append(
                Order(
                    number=order_number(n),
                    site=sites[territory.pk],
                    territory=territory,
                    user_id=users.get(citizen_email(citizen)),
                    currency="EUR",
                    total_incl_tax=record.price,
                    total_excl_tax=record.price,
                    shipping_incl_tax=Decimal("0"),
                    shipping_excl_tax=Decimal("0"),
                    shipping_method="Nessuna spedizione",
                    shipping_code="no-shipping-required",
                    date_placed=placed,
                )
            )
            picks.append((record, placed))
        with transaction.atomic():
            Order.objects.bulk_create(orders)
            saved = dict(
                Order.objects.filter(number__in=[o.number for o in orders]).values_list(
                    "number", "pk"
                )
            )
            Line.objects.bulk_create(
                [
                    Line(
                        order_id=saved[order.number],
                        partner=record.partner,
                        partner_name=record.partner.name,
                        partner_sku=record.partner_sku,
                        stockrecord=record,
                        product=record.product,
                        title=record.product.title,
                        upc=record.product.upc,
                        quantity=1,
                        num_allocated=1,
                        line_price_incl_tax=record.price,
                        line_price_excl_tax=record.price,
                        line_price_before_discounts_incl_tax=record.price,
                        line_price_before_discounts_excl_tax=record.price,
                        unit_price_incl_tax=record.price,
                        unit_price_excl_tax=record.price,
                        status=DELIVERED if placed < now - timedelta(days=30) else INITIAL,
                    )
                    for order, (record, placed) in zip(orders, picks, strict=True)
                ]
            )
        progress("orders", min(done * BATCH, len(wanted)), len(wanted))
    return len(wanted)


def filled_tables() -> list[str]:
    """The tables the bulk inserts fill, and the cooperatives the portals' builds add (without
    their statistics the dashboard's "orders with a line of theirs" read every line)."""
    Partner = get_model("partner", "Partner")
    models = [
        Partner,
        Partner.users.through,
        get_model("catalogue", "Product"),
        get_model("catalogue", "ProductCategory"),
        get_model("partner", "StockRecord"),
        get_user_model(),
        get_model("order", "Order"),
        get_model("order", "Line"),
    ]
    return [model._meta.db_table for model in models]


def analyze() -> None:
    """Refresh the query planner's statistics of the tables the bulk inserts filled.

    Without them PostgreSQL plans with the row counts it last saw (none, on a new database
    or where autovacuum is off): measured at 50 × 5,000 offers, the catalogue list joined
    every product with every product (26 s for 24 cards) instead of reading the territory's
    offers (40 ms). ``ANALYZE`` is the same statement on SQLite."""
    with connection.cursor() as cursor:
        for table in filled_tables():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def seed_scale(
    territories: int, services: int, citizens: int, orders: int, progress: Progress
) -> ScaleResult:
    """The four steps in order; each adds only what is missing. Then the planner's
    statistics, which bulk inserts leave stale."""
    result = ScaleResult()
    result.territories = seed_territories(territories, progress)
    result.services, result.offers = seed_services(services, progress)
    result.citizens = seed_citizens(citizens, progress)
    result.orders = seed_orders(orders, citizens, progress)
    analyze()
    for territory in _scale_territories():
        generations.invalidate(territory.pk)  # bulk inserts send no signals: listings refresh
    return result
