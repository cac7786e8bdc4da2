"""A page of a territory's catalogue list, with the number of matches, in one SQL query.

The catalogue list is the shop's busiest page, and it is never cached whole. Built with the
ORM it took four queries (count, products, their offers, their categories) whose building
and compiling cost more than running them. Here one hand-written query, the same text on
SQLite and PostgreSQL, returns a page of services with their price here, their first
category and the total number of matches (a window ``COUNT``).

It follows the same rules as the rest of the shop, and tests/test_listing.py checks that it
agrees with them:
- what is offered: public canonical products with an offer in the territory, or with a public
  package (a child product) that has one (``scoping.offered_in``);
- the price: the cheapest offer here (``TerritoryStrategy.select_stockrecord``); for a
  service sold in packages, its cheapest package, shown "from …";
- the first category: the first in the catalogue's tree order (``cards.categories_of``);
- the search: ``?q=``'s words, each the start of a word of the title, the description, a
  category or a facet's name, after Italian stemming (search.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from oscar.core.loading import get_model

from portal.territories.models import Territory
from shop.giftcards.products import VOUCHER_CLASS

from .cards import CardList, ServiceCard, card_for
from .facets import AUDIENCE, DELIVERY, FACETS, SEPARATOR
from .search import full_text_prefix, search_terms, words_sql

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class ListingFilter:
    """What a visitor asked for: words, facet values (OR within a facet, AND across) and,
    on a category's page, that category and its descendants."""

    query: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)  # Facet.param → values
    category_ids: Sequence[int] | None = None


# How a listing can be ordered: by title (the catalogue), the latest updated first, or the
# home page's featured services: the services first, the newest first, then the gift vouchers
# (a voucher is a present to buy, not a service: leading with it hides what the portal offers).
ORDERS = {
    "title": "{t}.title, {t}.id",
    "newest": "{t}.date_updated DESC, {t}.id",
    "featured": (
        "CASE WHEN {t}.product_class_id IN (SELECT vc.id FROM "
        + ProductClass._meta.db_table
        + f" vc WHERE vc.slug = '{VOUCHER_CLASS}') THEN 1 ELSE 0 END, "
        + "{t}.date_updated DESC, {t}.id"
    ),
}


@dataclass(frozen=True)
class ListingPage:
    cards: list[ServiceCard]
    total: int  # matches on every page; 0 when this page is past the end


def _like_word(stem: str) -> str:
    """A LIKE pattern matching a word starting with ``stem`` in ``search.words_sql``."""
    return "% " + _like(stem)[1:]


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, with its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _sql(territory: Territory, wanted: ListingFilter, order: str = "title") -> tuple[str, list]:
    """The listing's query (without LIMIT) and its parameters: the matching services' ids,
    their price here and the number of matches, in ``order``.

    It starts from the territory's offers: each belongs to a service, or to a package of one
    (a public child product), and counts for that service."""
    product = Product._meta.db_table
    stockrecord = StockRecord._meta.db_table
    product_category = ProductCategory._meta.db_table

    conditions = [
        "sr.territory_id = %s",
        "sr.available = %s",
        "(o.parent_id IS NULL OR o.is_public = %s)",
        "p.parent_id IS NULL",
        "p.is_public = %s",
    ]
    params: list = [territory.pk, True, True, True]
    category = Category._meta.db_table
    for term in search_terms(wanted.query):
        # every word, in any order: the start of a word of the title, the description or a
        # category's name, or whom it is for / how it is delivered (shop/catalogue/search.py)
        word = _like_word(term.stem)
        either = [
            f"{words_sql('p.title')} LIKE %s ESCAPE '\\'",
            f"{words_sql('p.description')} LIKE %s ESCAPE '\\'",
            f"p.id IN (SELECT wpc.product_id FROM {product_category} wpc"
            f" JOIN {category} wc ON wc.id = wpc.category_id"
            f" WHERE {words_sql('wc.name')} LIKE %s ESCAPE '\\')",
        ]
        params += [word] * 3
        prefix = full_text_prefix(term.stem) if connection.vendor == "postgresql" else None
        if prefix is not None:
            for column in ("p.title", "p.description"):
                either.append(
                    f"to_tsvector('italian', {words_sql(column)}) @@ to_tsquery('italian', %s)"
                )
                params.append(prefix)
        for facet, codes in ((AUDIENCE, term.audiences), (DELIVERY, term.delivery)):
            column = Product._meta.get_field(facet.field).column
            for code in codes:
                either.append(f"p.{column} LIKE %s ESCAPE '\\'")
                params.append(_like(f"{SEPARATOR}{code}{SEPARATOR}"))
        conditions.append("(" + " OR ".join(either) + ")")
    for facet in FACETS:
        values = wanted.facets.get(facet.param) or []
        if values:
            column = Product._meta.get_field(facet.field).column
            conditions.append(
                "(" + " OR ".join([f"p.{column} LIKE %s ESCAPE '\\'"] * len(values)) + ")"
            )
            params += [_like(f"{SEPARATOR}{code}{SEPARATOR}") for code in values]
    if wanted.category_ids is not None:
        if not wanted.category_ids:
            conditions.append("1 = 0")
        else:
            marks = ", ".join(["%s"] * len(wanted.category_ids))
            conditions.append(
                f"p.id IN (SELECT product_id FROM {product_category}"
                f" WHERE category_id IN ({marks}))"
            )
            params += list(wanted.category_ids)

    # grouped by the primary key alone, which PostgreSQL accepts for ordering by the
    # product's other columns too
    sql = f"""
        SELECT p.id, MIN(sr.price) AS price, COUNT(*) OVER () AS total
        FROM {stockrecord} sr
        JOIN {product} o ON o.id = sr.product_id
        JOIN {product} p ON p.id = COALESCE(o.parent_id, o.id)
        WHERE {" AND ".join(conditions)}
        GROUP BY p.id
        ORDER BY {ORDERS[order].format(t="p")}
    """
    return sql, params


def _with_details(page_sql: str, order: str) -> str:
    """``page_sql``'s rows with what their cards show: the service's own columns and its
    first category's name and slug, looked up for the rows of the page only."""
    product = Product._meta.db_table
    product_category = ProductCategory._meta.db_table
    category = Category._meta.db_table
    return f"""
        SELECT p.id, p.upc, p.title, p.slug, p.structure, p.description, p.delivery_modes,
               m.price, fc.name AS category_name, fc.slug AS category_slug, m.total
        FROM ({page_sql}) m
        JOIN {product} p ON p.id = m.id
        LEFT JOIN {category} fc ON fc.path = (
            SELECT MIN(c.path) FROM {product_category} pc
            JOIN {category} c ON c.id = pc.category_id
            WHERE pc.product_id = m.id
        )
        ORDER BY {ORDERS[order].format(t="p")}
    """


def count(territory: Territory | None, wanted: ListingFilter) -> int:
    """How many services match, on every page."""
    if territory is None:
        return 0
    sql, params = _sql(territory, wanted)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) matches", params)
        return cursor.fetchone()[0]


def listing_page(
    territory: Territory | None,
    wanted: ListingFilter,
    *,
    offset: int = 0,
    limit: int | None,
    order: str = "title",
) -> ListingPage:
    """The services from ``offset`` (at most ``limit``; None: all) in ``order`` (a key of
    ``ORDERS``), as cards priced for ``territory`` in the active language."""
    if territory is None:
        return ListingPage(cards=[], total=0)
    sql, params = _sql(territory, wanted, order)
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
    elif offset:
        raise ValueError("An offset needs a limit.")
    with connection.cursor() as cursor:
        cursor.execute(_with_details(sql, order), params)
        rows = cursor.fetchall()
    shared = CardList.now()
    # a row without its last column (the total) is what its card shows
    cards = [_card_of_row(row[:-1], shared) for row in rows]
    return ListingPage(cards=cards, total=rows[0][-1] if rows else 0)


def featured_services(territory: Territory | None, limit: int) -> list[ServiceCard]:
    """The home page's featured services: at most ``limit`` cards, the services the territory
    offers before its gift vouchers, each group the latest updated first."""
    return listing_page(territory, ListingFilter(), limit=limit, order="featured").cards


@lru_cache(maxsize=4096)
def _card_of_row(row: tuple, shared: CardList) -> ServiceCard:
    """The card of one row of the listing's query, remembered by the row itself: a page of
    cards already seen costs a lookup per row."""
    (pk, upc, title, slug, structure, description, delivery_modes, price, *category) = row
    return card_for(
        pk=pk,
        slug=slug,
        upc=upc,
        title=title,
        description=description,
        category=tuple(category) if category[1] else None,  # (name, slug)
        # SQLite hands back a float or an int; the shop computes in Decimal
        amount=None if price is None else Decimal(str(price)),
        is_parent=structure == Product.PARENT,
        delivery_modes=delivery_modes,
        shared=shared,
    )
