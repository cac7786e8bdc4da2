"""A portal's search: its pages in the reader's language and its territory's services.

Pages come from Wagtail search (the database backend: SQLite FTS or PostgreSQL full text),
restricted to the live, public pages below the portal's home in the request's language;
services come from the territory's catalogue, searched as the shop searches it (cards).
Another portal's pages and services can never appear: both lists start from the request's territory.
"""

from dataclasses import dataclass, field

from wagtail.models import Page

from portal.territories.models import Territory

MAX_QUERY_LENGTH = 200


@dataclass
class PortalSearchResults:
    query: str
    pages: list[Page] = field(default_factory=list)
    services: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pages) + len(self.services)


def clean_query(raw: str) -> str:
    """The query as searched: spaces collapsed, at most ``MAX_QUERY_LENGTH`` characters."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def search_portal(
    territory: Territory | None, home: Page | None, query: str, limit: int
) -> PortalSearchResults:
    """Pages under ``home`` and services offered in ``territory`` that match ``query``."""
    from shop.catalogue.listing import ListingFilter, listing_page

    query = clean_query(query)
    results = PortalSearchResults(query)
    if not query or territory is None:
        return results
    if home is not None:
        pages = Page.objects.live().public().descendant_of(home, inclusive=True)
        results.pages = list(pages.search(query, operator="and")[:limit])
    # the same search as the shop's (shop/catalogue/search.py), in the same one query
    results.services = listing_page(territory, ListingFilter(query=query), limit=limit).cards
    return results
