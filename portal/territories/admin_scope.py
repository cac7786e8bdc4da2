"""Admin scope: what a non-superuser may reach in the Wagtail admin, decided per view.

Default deny. Every admin view a portal's editors and moderators use is listed in
``ADMIN_VIEWS`` by its URL name, with the kind of object each URL argument names; the
object must belong to one of the user's territories (its page trees, one per language side
by side under the root; its collection; its site; its reservations). A view that is not
listed answers 404 to anyone but a superuser, so a view added later (by us or by a library)
is closed until someone decides how it is scoped. Lists, choosers and searches are filtered
at the data layer by the hooks in ``wagtail_hooks.py`` with the querysets defined here.
"""

import contextvars
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, TaskState, WorkflowState

from .models import Territory
from .resolution import territory_of_page

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
    """Pages inside the user's territories' trees (``prefix``: a relation to Page)."""
    q = Q(pk__in=[])
    for path in own_home_paths(user):
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


def _page(user, pk, kwargs) -> bool:
    return own_pages(user).filter(pk=pk).exists()


def _image(user, pk, kwargs) -> bool:
    return own_media(user, get_image_model().objects.filter(pk=pk)).exists()


def _document(user, pk, kwargs) -> bool:
    return own_media(user, get_document_model().objects.filter(pk=pk)).exists()


def _site(user, pk, kwargs) -> bool:
    return any(t.site_id == int(pk) for t in territories_of(user))


def _reservation(user, pk, kwargs) -> bool:
    from portal.bookshop.models import Reservation

    return Reservation.objects.filter(pk=pk, territory__in=territories_of(user)).exists()


def _of_page(model) -> Callable:
    """A revision, workflow state or task state that belongs to the URL's own page."""

    def check(user, pk, kwargs) -> bool:
        page_id = kwargs.get("page_id") or kwargs.get("pk")
        if model is Revision and pk in ("live", "latest", "earliest"):
            return True
        field = "workflow_state__object_id" if model is TaskState else "object_id"
        return model.objects.filter(pk=pk, **{field: str(page_id)}).exists() and _page(
            user, page_id, kwargs
        )

    return check


def _own_upload(user, pk, kwargs) -> bool:
    from wagtail.models import UploadedFile

    return UploadedFile.objects.filter(pk=pk, uploaded_by_user=user).exists()


def _own_editing_session(user, pk, kwargs) -> bool:
    from wagtail.admin.models import EditingSession

    return EditingSession.objects.filter(pk=pk, user=user).exists()


def _edited_object(user, pk, kwargs) -> bool:
    """The object an editing session pings about: a page or a reservation."""
    model = (kwargs.get("app_label"), kwargs.get("model_name"))
    if model == ("wagtailcore", "page"):
        return _page(user, pk, kwargs)
    if model == ("bookshop", "reservation"):
        return _reservation(user, pk, kwargs)
    return False


def _source_object(source) -> Page | None:
    instance = source.get_source_instance() if source is not None else None
    return instance.page_ptr if isinstance(instance, Page) else None


def _translation_source(user, pk, kwargs) -> bool:
    from wagtail_localize.models import TranslationSource

    page = _source_object(TranslationSource.objects.filter(pk=pk).first())
    return page is not None and _page(user, page.pk, kwargs)


def _translation(user, pk, kwargs) -> bool:
    """A translation: both its source page and its destination page are the user's."""
    from wagtail_localize.models import Translation

    translation = Translation.objects.filter(pk=pk).select_related("source").first()
    if translation is None or not _translation_source(user, translation.source_id, kwargs):
        return False
    target = translation.get_target_instance() if translation.has_target_instance() else None
    return target is None or _page(user, target.pk, kwargs)


def _segment_of(model) -> Callable:
    def check(user, pk, kwargs) -> bool:
        from wagtail_localize.models import Translation

        translation = Translation.objects.filter(pk=kwargs["translation_id"]).first()
        return (
            translation is not None
            and model.objects.filter(pk=pk, source_id=translation.source_id).exists()
        )

    return check


def _string_segment(user, pk, kwargs) -> bool:
    from wagtail_localize.models import StringSegment

    return _segment_of(StringSegment)(user, pk, kwargs)


def _overridable_segment(user, pk, kwargs) -> bool:
    from wagtail_localize.models import OverridableSegment

    return _segment_of(OverridableSegment)(user, pk, kwargs)


def _anything(user, value, kwargs) -> bool:
    """An argument that names no object of a portal (a content type, a filter spec…)."""
    return True


PAGE = {"page_id": _page}
ANY = _anything
# URL name → {URL argument: check}; {} is a view with no object argument whose data is
# scoped at the data layer (hooks) or belongs to the user alone.
ADMIN_VIEWS: dict[str, dict[str, Callable]] = {
    # the admin's frame and the user's own things
    "wagtailadmin_home": {},
    "wagtailadmin_account": {},
    "wagtailadmin_logout": {},
    "wagtailadmin_dismissibles": {},
    "wagtailadmin_block_preview": {},
    "wagtailadmin_sprite": {},
    "wagtailadmin_javascript_catalog": {},
    "wagtail_localize:javascript_catalog": {},
    "wagtailadmin_editing_sessions:ping": {
        "app_label": ANY,
        "model_name": ANY,
        "object_id": _edited_object,
        "session_id": _own_editing_session,
    },
    "wagtailadmin_editing_sessions:release": {"session_id": _own_editing_session},
    # pages: the explorer and search (querysets scoped by hooks), and one page's views
    "wagtailadmin_explore_root": {},
    "wagtailadmin_explore": {"parent_page_id": _page},
    "wagtailadmin_explore_results": {"parent_page_id": _page},
    "wagtailadmin_api:pages:listing": {},
    "wagtailadmin_api:pages:detail": {"pk": _page},
    "wagtailadmin_pages:search": {},
    "wagtailadmin_pages:search_results": {},
    "wagtailadmin_pages:choose_parent": {"app_label": ANY, "model_name": ANY},
    "wagtailadmin_pages:add": {
        "content_type_app_name": ANY,
        "content_type_model_name": ANY,
        "parent_page_id": _page,
    },
    "wagtailadmin_pages:preview_on_add": {
        "content_type_app_name": ANY,
        "content_type_model_name": ANY,
        "parent_page_id": _page,
    },
    "wagtailadmin_pages:add_subpage": {"parent_page_id": _page},
    **{
        f"wagtailadmin_pages:{name}": PAGE
        for name in (
            "usage",
            "edit",
            "preview_on_edit",
            "view_draft",
            "delete",
            "unpublish",
            "convert_alias",
            "copy",
            "confirm_workflow_cancellation",
            "set_privacy",
            "lock",
            "unlock",
            "revisions_index",
            "workflow_history",
            "history",
            "history_results",
        )
    },
    "wagtailadmin_pages:move": {"page_to_move_id": _page},
    "wagtailadmin_pages:set_page_position": {"page_to_move_id": _page},
    "wagtailadmin_pages:move_confirm": {"page_to_move_id": _page, "destination_id": _page},
    **{
        f"wagtailadmin_pages:{name}": {
            "page_id": _page,
            "action_name": ANY,
            "task_state_id": _of_page(TaskState),
        }
        for name in ("workflow_action", "collect_workflow_action_data")
    },
    "wagtailadmin_pages:workflow_preview": {"page_id": _page, "task_id": ANY},
    "wagtailadmin_pages:workflow_history_detail": {
        "page_id": _page,
        "workflow_state_id": _of_page(WorkflowState),
    },
    **{
        f"wagtailadmin_pages:revisions_{name}": {
            "page_id": _page,
            "revision_id": _of_page(Revision),
        }
        for name in ("view", "revert", "unschedule")
    },
    "wagtailadmin_pages:revisions_compare": {
        "pk": _page,
        "revision_id_a": _of_page(Revision),
        "revision_id_b": _of_page(Revision),
    },
    # the page chooser (queryset scoped by a hook)
    "wagtailadmin_choose_page": {},
    "wagtailadmin_choose_page_child": {"parent_page_id": _page},
    "wagtailadmin_choose_page_search": {},
    "wagtailadmin_choose_page_chosen_multiple": {},  # ?id= checked below
    "wagtailadmin_choose_page_external_link": {},
    "wagtailadmin_choose_page_email_link": {},
    "wagtailadmin_choose_page_phone_link": {},
    "wagtailadmin_choose_page_anchor_link": {},
    "wagtail_bulk_action": {"app_label": ANY, "model_name": ANY, "action": ANY},  # ?id=
    # images and documents: lists scoped by collection permissions, one item by its collection
    "wagtailimages:index": {},
    "wagtailimages:index_results": {},
    "wagtailimages:add": {},
    "wagtailimages:add_multiple": {},
    **{
        f"wagtailimages:{name}": {"image_id": _image}
        for name in (
            "edit",
            "delete",
            "url_generator",
            "image_usage",
            "edit_multiple",
            "delete_multiple",
        )
    },
    "wagtailimages:url_generator_output": {"image_id": _image},
    "wagtailimages:preview": {"image_id": _image, "filter_spec": ANY},
    "wagtailimages:create_multiple_from_uploaded_image": {"uploaded_file_id": _own_upload},
    "wagtailimages:delete_upload_multiple": {"uploaded_file_id": _own_upload},
    "wagtailimages_chooser:choose": {},
    "wagtailimages_chooser:choose_results": {},
    "wagtailimages_chooser:create": {},
    "wagtailimages_chooser:chosen": {"pk": _image},
    "wagtailimages_chooser:chosen_multiple": {},  # ?id=
    "wagtailimages_chooser:select_format": {"image_id": _image},
    "wagtaildocs:index": {},
    "wagtaildocs:index_results": {},
    "wagtaildocs:add": {},
    "wagtaildocs:add_multiple": {},
    **{
        f"wagtaildocs:{name}": {"document_id": _document}
        for name in ("edit", "delete", "document_usage")
    },
    "wagtaildocs:edit_multiple": {"doc_id": _document},
    "wagtaildocs:delete_multiple": {"doc_id": _document},
    "wagtaildocs:create_multiple_from_uploaded_document": {"uploaded_file_id": _own_upload},
    "wagtaildocs:delete_upload_multiple": {"uploaded_file_id": _own_upload},
    "wagtaildocs_chooser:choose": {},
    "wagtaildocs_chooser:choose_results": {},
    "wagtaildocs_chooser:create": {},
    "wagtaildocs_chooser:chosen": {"pk": _document},
    "wagtaildocs_chooser:chosen_multiple": {},  # ?id=
    # the portal's settings (per site), its forms, webinars and the bookshop's reservations
    "wagtailsettings:edit": {"app_name": ANY, "model_name": ANY, "pk": _site},
    "wagtailsettings:preview_on_edit": {"app_name": ANY, "model_name": ANY, "pk": _site},
    "wagtailforms:index": {},
    "wagtailforms:index_results": {},
    "wagtailforms:list_submissions": PAGE,
    "wagtailforms:list_submissions_results": PAGE,
    "wagtailforms:delete_submissions": PAGE,
    "events_registrants_csv": PAGE,
    "wagtailsnippets_bookshop_reservation:list": {},
    "wagtailsnippets_bookshop_reservation:list_results": {},
    **{
        f"wagtailsnippets_bookshop_reservation:{name}": {"pk": _reservation}
        for name in ("edit", "delete", "usage", "history", "history_results", "inspect")
    },
    # shared news categories: chosen by every portal's editors, changed by administrators
    "wagtailsnippetchoosers_content_newscategory:choose": {},
    "wagtailsnippetchoosers_content_newscategory:choose_results": {},
    "wagtailsnippetchoosers_content_newscategory:chosen": {"pk": ANY},
    "wagtailsnippetchoosers_content_newscategory:chosen_multiple": {},
    # translations (wagtail-localize): the source page and the translated page are the user's
    "wagtail_localize:submit_page_translation": PAGE,
    "wagtail_localize:convert_to_alias": PAGE,
    "wagtail_localize:update_translations": {"translation_source_id": _translation_source},
    # the same view without "Publish immediately" (portal/content/wagtail_hooks.py)
    "portal_update_translations": {"translation_source_id": _translation_source},
    **{
        f"wagtail_localize:{name}": {"translation_id": _translation, "mode": ANY}
        for name in (
            "download_pofile",
            "upload_pofile",
            "machine_translate",
            "preview_translation",
            "stop_translation",
        )
    },
    "wagtail_localize:edit_string_translation": {
        "translation_id": _translation,
        "string_segment_id": _string_segment,
    },
    "wagtail_localize:edit_override": {
        "translation_id": _translation,
        "overridable_segment_id": _overridable_segment,
    },
}

# views whose ``?id=`` list names objects: the kind of those objects
ID_LIST_VIEWS = {
    "wagtailadmin_choose_page_chosen_multiple": _page,
    "wagtailimages_chooser:chosen_multiple": _image,
    "wagtaildocs_chooser:chosen_multiple": _document,
    "wagtailsnippetchoosers_content_newscategory:chosen_multiple": ANY,
}
BULK_KINDS = {
    ("wagtailcore", "page"): _page,
    ("wagtailimages", "image"): _image,
    ("wagtaildocs", "document"): _document,
}


def may_open(request: HttpRequest, view_name: str, kwargs: dict) -> bool:
    """True when ``request.user`` may open the admin view ``view_name`` with ``kwargs``."""
    user = request.user
    checks = ADMIN_VIEWS.get(view_name)
    if checks is None:
        return False
    for name, value in kwargs.items():
        check = checks.get(name)
        if check is None or not check(user, value, kwargs):
            return False
    id_check = ID_LIST_VIEWS.get(view_name)
    if view_name == "wagtail_bulk_action":
        id_check = BULK_KINDS.get((kwargs.get("app_label"), kwargs.get("model_name")))
        if id_check is None:
            return False
    if id_check is not None:
        ids = request.GET.getlist("id") + request.POST.getlist("id")
        if "all" in ids:
            return False
        return all(i.isdigit() and id_check(user, int(i), kwargs) for i in ids)
    return True


def own_tags_autocomplete(request: HttpRequest) -> JsonResponse:
    """The admin's tag autocomplete, offering the tags of the user's own pages and media
    (Wagtail's own offers every tag of every portal)."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from portal.content.models import NewsPageTag

    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    user = request.user
    media = Q(pk__in=[])
    for model in (get_image_model(), get_document_model()):
        media |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=own_media(user, model.objects.all()).values("pk"),
        )
    tag_ids = set(TaggedItem.objects.filter(media).values_list("tag_id", flat=True))
    tag_ids |= set(
        NewsPageTag.objects.filter(own_pages_q(user, "content_object__")).values_list(
            "tag_id", flat=True
        )
    )
    names = (
        Tag.objects.filter(pk__in=tag_ids, name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[:10]
    )
    return JsonResponse(list(names), safe=False)


# views a non-superuser gets in a scoped version of ours
SCOPED_VIEWS = {"wagtailadmin_tag_autocomplete": own_tags_autocomplete}


class AdminScopeMiddleware:
    """Default deny in the admin: a non-superuser reaches only the views of ``ADMIN_VIEWS``,
    with objects of their own territories."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_territory.set(getattr(request, "territory", None))
        try:
            return self.get_response(request)
        finally:
            current_territory.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if (
            not request.path_info.startswith("/admin/")
            or user is None
            or not user.is_authenticated
            or match is None
        ):
            return None
        default_collection(request, match.view_name)
        if user.is_superuser or match.view_name in PUBLIC_ADMIN_VIEWS:
            return None
        if match.view_name in SCOPED_VIEWS and not view_kwargs:
            return SCOPED_VIEWS[match.view_name](request)
        if not may_open(request, match.view_name, view_kwargs):
            raise Http404("Not part of your portal.")
        return None


# views anyone may open, signed in or not (Wagtail sends the others to the login page)
PUBLIC_ADMIN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


def default_collection(request: HttpRequest, view_name: str) -> None:
    """A multiple upload opens on the portal's own collection (Wagtail reads ``?collection_id``)."""
    territory = getattr(request, "territory", None)
    if (
        view_name in ("wagtailimages:add_multiple", "wagtaildocs:add_multiple")
        and request.method == "GET"
        and "collection_id" not in request.GET
        and territory is not None
        and territory.collection_id
    ):
        request.GET = request.GET.copy()
        request.GET["collection_id"] = str(territory.collection_id)
