"""The shared catalogue of services (``fixtures/catalogue.toml``): read it, and load it into Oscar.

Every territory offers services from this one catalogue, each at its own price. Loading is
re-runnable: a product is created once, and its texts follow the fixture only until somebody
edits them in the dashboard (see :mod:`portal.territories.seeding`).
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from oscar.core.loading import get_model

from portal.defaults import setting
from portal.territories.seeding import Seeder

from .facets import AUDIENCES, DELIVERY_MODES, encode
from .richtext import clean_html

SERVICE_CLASS = "servizio"


@dataclass(frozen=True)
class CategoryEntry:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class PackageEntry:
    """One way to buy a service (e.g. 5 sessions): an Oscar child product of the service."""

    sessions: int
    title: str

    def upc(self, service_slug: str) -> str:
        return f"{service_slug}--{self.sessions}"


@dataclass(frozen=True)
class ServiceEntry:
    slug: str
    title: str
    category: str
    audience: tuple[str, ...]
    delivery: tuple[str, ...]
    duration_minutes: int
    sessions: int
    reference_price: Decimal
    summary: str
    description: str
    packages: tuple[PackageEntry, ...] = ()

    @property
    def base_package(self) -> "PackageEntry | None":
        """The package the spec's ``price`` is for (the first); None for a single service."""
        return self.packages[0] if self.packages else None

    def package(self, sessions: int) -> "PackageEntry | None":
        return next((p for p in self.packages if p.sessions == sessions), None)

    @property
    def description_html(self) -> str:
        paragraphs = [p.strip() for p in self.description.strip().split("\n\n") if p.strip()]
        # as stored: sanitised the way every description is on save (richtext.py)
        return clean_html("".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paragraphs))


@dataclass(frozen=True)
class Catalogue:
    categories: dict[str, CategoryEntry]
    services: dict[str, ServiceEntry]


def catalogue_path() -> Path:
    return Path(settings.BASE_DIR) / setting("PORTAL_CATALOGUE_FIXTURE")


@cache
def load_catalogue() -> Catalogue:
    with catalogue_path().open("rb") as f:
        data = tomllib.load(f)
    categories = {
        c["slug"]: CategoryEntry(c["slug"], c["name"], c.get("description", ""))
        for c in data.get("categories", [])
    }
    services = {}
    for s in data.get("services", []):
        audience, delivery = tuple(s.get("audience", ())), tuple(s.get("delivery", ()))
        for key, values, allowed in (
            ("audience", audience, AUDIENCES),
            ("delivery", delivery, DELIVERY_MODES),
        ):
            unknown = [v for v in values if v not in allowed]
            if unknown or not values:
                raise ValueError(
                    f"services.{s['slug']}.{key}: {unknown or 'empty'} "
                    f"(allowed: {', '.join(allowed)})"
                )
        packages = tuple(
            PackageEntry(sessions=int(p["sessions"]), title=p["title"])
            for p in s.get("packages", ())
        )
        if len({p.sessions for p in packages}) != len(packages):
            raise ValueError(f"services.{s['slug']}.packages: two packages with the same sessions")
        services[s["slug"]] = ServiceEntry(
            slug=s["slug"],
            title=s["title"],
            category=s["category"],
            audience=audience,
            delivery=delivery,
            duration_minutes=int(s.get("duration_minutes", 60)),
            sessions=int(s.get("sessions", 1)),
            reference_price=Decimal(str(s.get("reference_price", "0"))),
            summary=s.get("summary", ""),
            description=s.get("description", ""),
            packages=packages,
        )
    return Catalogue(categories=categories, services=services)


def sync_catalogue(seeder: Seeder, refs: set[str] | None = None) -> None:
    """Create the service product class, the categories and the products named in ``refs``."""
    ProductClass = get_model("catalogue", "ProductClass")
    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")

    catalogue = load_catalogue()
    product_class, created = ProductClass.objects.get_or_create(
        slug=SERVICE_CLASS,
        defaults={"name": "Servizio", "requires_shipping": False, "track_stock": False},
    )
    seeder.count("product class", created)

    wanted = [s for s in catalogue.services.values() if refs is None or s.slug in refs]
    category_slugs = {s.category for s in wanted}
    categories = {c.slug: c for c in Category.objects.filter(slug__in=category_slugs)}
    for slug in sorted(category_slugs):
        entry = catalogue.categories[slug]
        description = clean_html(entry.description)  # as it is stored
        category = categories.get(slug)
        if category is None:
            category = Category.add_root(name=entry.name, slug=slug, description=description)
            categories[slug] = category
            seeder.count("category", True)
        seeder.seed_fields(
            f"category:{slug}", category, {"name": entry.name, "description": description}
        )

    upcs = [s.slug for s in wanted] + [p.upc(s.slug) for s in wanted for p in s.packages]
    products = {p.upc: p for p in Product.objects.filter(upc__in=upcs)}
    for service in wanted:
        structure = "parent" if service.packages else "standalone"
        product = products.get(service.slug)
        created = product is None
        if created:
            product = Product(upc=service.slug, product_class=product_class, structure=structure)
        elif product.structure != structure:
            # a service that gained (or lost) packages: its offers move to the packages
            product.structure = structure
            product.save(update_fields=["structure"])
            seeder.updated["service structure"] += 1
        seeder.seed_fields(
            f"product:{service.slug}",
            product,
            {
                "title": service.title,
                "description": service.description_html,
                "audience": encode(service.audience),
                "delivery_modes": encode(service.delivery),
                "duration_minutes": service.duration_minutes,
                "sessions": None if service.packages else service.sessions,
            },
            created=created,
        )
        products[service.slug] = product
        if created:
            ProductCategory.objects.create(product=product, category=categories[service.category])
            seeder.count("service", True)
        for package in service.packages:
            _sync_package(seeder, products, product, package)


def _sync_package(seeder: Seeder, products: dict, parent, package: PackageEntry) -> None:
    """A package is a child product; the territories' stock records price it."""
    Product = get_model("catalogue", "Product")
    upc = package.upc(parent.upc)
    child = products.get(upc)
    created = child is None
    if created:
        child = Product(upc=upc, parent=parent, structure="child", product_class=None)
    seeder.seed_fields(
        f"product:{upc}",
        child,
        {"title": f"{parent.title} – {package.title}", "sessions": package.sessions},
        created=created,
    )
    products[upc] = child
    seeder.count("service package", created, upc)
