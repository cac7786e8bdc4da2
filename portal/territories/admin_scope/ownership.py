"""What a user owns in the admin: their territories, page trees, collections and media."""

import contextvars

from django.db.models import Q, QuerySet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from ..models import Territory
from ..resolution import territory_of_page

# the territory of the admin request being served (its host's portal), for upload defaults
current_territory: contextvars.ContextVar[Territory | None] = contextvars.ContextVar(
    "current_territory", default=None
)


def territories_of(user) -> list[Territory]:
    """The territories whose editors or moderators ``user`` belongs to."""
    if not user.is_authenticated:
        return []
    return list(
        Territory.objects.filter(Q(editors__user=user) | Q(moderators__user=user))
        .select_related("site__root_page", "collection")
        .distinct()
    )


def owner_of(kind: str, pk: int) -> Territory | None:
    """The territory an admin object belongs to, or None if it belongs to none."""
    if kind == "site":
        return Territory.objects.filter(site_id=pk).first()
    if kind == "page":
        page = Page.objects.filter(pk=pk).only("path", "translation_key").first()
        return territory_of_page(page) if page is not None else None
    model = get_image_model() if kind == "image" else get_document_model()
    item = model.objects.filter(pk=pk).select_related("collection").first()
    return territory_of_collection(item.collection) if item is not None else None


def territory_of_collection(collection: Collection) -> Territory | None:
    return next(
        (
            t
            for t in Territory.objects.select_related("collection").exclude(collection=None)
            if collection.path.startswith(t.collection.path)
        ),
        None,
    )


# -- the data layer: what of each kind a user's territories hold ---------------------------------


def own_home_paths(user) -> list[str]:
    """The paths of the homes (one per language) of the user's territories."""
    keys = [t.site.root_page.translation_key for t in territories_of(user)]
    return list(
        Page.objects.filter(depth=2, translation_key__in=keys).values_list("path", flat=True)
    )


def own_pages_q(user, prefix: str = "") -> Q:
    """Pages inside the user's territories' trees (``prefix``: a relation to Page), and for
    communications staff the newsletter archive's (portal/newsletters/access.py) and the
    campaigns' templates and landing pages (portal/campaigns/access.py)."""
    from portal.campaigns.access import campaign_paths
    from portal.newsletters.access import archive_paths

    q = Q(pk__in=[])
    for path in own_home_paths(user) + archive_paths(user) + campaign_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def own_pages(user, pages: QuerySet | None = None) -> QuerySet:
    pages = Page.objects.all() if pages is None else pages
    return pages if user.is_superuser else pages.filter(own_pages_q(user))


def own_collections_q(user, prefix: str = "collection__") -> Q:
    q = Q(pk__in=[])
    for territory in territories_of(user):
        if territory.collection_id:
            q |= Q(**{f"{prefix}path__startswith": territory.collection.path})
    return q


def own_collection_ids(user) -> list[int]:
    """The user's territories' collections and the collections inside them."""
    return list(Collection.objects.filter(own_collections_q(user, "")).values_list("pk", flat=True))


def own_media(user, items: QuerySet) -> QuerySet:
    """Images or documents in the user's territories' collections (filtered by ids: the
    search backends filter on the collection field, not on its path)."""
    return items if user.is_superuser else items.filter(collection_id__in=own_collection_ids(user))


# -- the views -----------------------------------------------------------------------------------
