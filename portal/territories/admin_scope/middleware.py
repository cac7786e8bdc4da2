"""The middleware that answers 404 to unlisted views, and the admin views we scope ourselves."""

from collections.abc import Callable

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .ownership import current_territory, own_media, own_pages_q
from .views import may_open


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
