"""Admin scope: what a non-superuser may reach in the Wagtail admin, decided per view.

Default deny. Every admin view a portal's editors and moderators use is listed in
``ADMIN_VIEWS`` by its URL name, with the kind of object each URL argument names; the
object must belong to one of the user's territories (its page trees, one per language side
by side under the root; its collection; its site; its reservations). A view that is not
listed answers 404 to anyone but a superuser, so a view added later (by us or by a library)
is closed until someone decides how it is scoped. Lists, choosers and searches are filtered
at the data layer by the hooks in ``wagtail_hooks.py`` with the querysets defined here.
"""

from .middleware import (
    PUBLIC_ADMIN_VIEWS,
    SCOPED_VIEWS,
    AdminScopeMiddleware,
    default_collection,
    own_tags_autocomplete,
)
from .ownership import (
    current_territory,
    own_collection_ids,
    own_collections_q,
    own_home_paths,
    own_media,
    own_pages,
    own_pages_q,
    owner_of,
    territories_of,
    territory_of_collection,
)
from .views import ADMIN_VIEWS, BULK_KINDS, ID_LIST_VIEWS, may_open

__all__ = [
    "PUBLIC_ADMIN_VIEWS",
    "SCOPED_VIEWS",
    "AdminScopeMiddleware",
    "default_collection",
    "own_tags_autocomplete",
    "current_territory",
    "own_collection_ids",
    "own_collections_q",
    "own_home_paths",
    "own_media",
    "own_pages",
    "own_pages_q",
    "owner_of",
    "territories_of",
    "territory_of_collection",
    "ADMIN_VIEWS",
    "BULK_KINDS",
    "ID_LIST_VIEWS",
    "may_open",
]
