"""Admin scope: an editor reaches only their own territories' pages, media and settings.

Wagtail's permissions already stop an editor from *changing* another portal; this closes
what they would still *see*. Each territory has one page tree per language, side by side
under the root, so Wagtail's "explorable root" of an editor is the root itself and another
portal's listings would open. Any admin URL naming a page, image, document or site settings
of a territory the user does not edit is answered 404, before Wagtail runs.
"""

import re
from collections.abc import Callable

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from .models import Territory
from .resolution import territory_of_page

# (pattern, kind): each named group "pk" is the id of an object of that kind.
ADMIN_OBJECT_URLS = [
    (re.compile(r"^/admin/pages/(?P<pk>\d+)/(?:move/(?P<pk2>\d+)/)?"), "page"),
    (re.compile(r"^/admin/pages/add/\w+/\w+/(?P<pk>\d+)/"), "page"),
    (re.compile(r"^/admin/pages/(?P<pk>\d+)/copy/"), "page"),
    (re.compile(r"^/admin/images/(?:\w+/)?(?P<pk>\d+)/"), "image"),
    (re.compile(r"^/admin/documents/(?:\w+/)?(?P<pk>\d+)/"), "document"),
    (re.compile(r"^/admin/settings/territories/portalsettings/(?P<pk>\d+)/"), "site"),
]


def territories_of(user) -> list[Territory]:
    """The territories whose editors or moderators ``user`` belongs to."""
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
    if item is None:
        return None
    return next(
        (
            t
            for t in Territory.objects.select_related("collection").exclude(collection=None)
            if item.collection.path.startswith(t.collection.path)
        ),
        None,
    )


class AdminScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and user
            and user.is_authenticated
            and not user.is_superuser
        ):
            self.check(request.path, user)
        return self.get_response(request)

    def check(self, path: str, user) -> None:
        for pattern, kind in ADMIN_OBJECT_URLS:
            match = pattern.match(path)
            if not match:
                continue
            own = {t.pk for t in territories_of(user)}
            for pk in filter(None, match.groupdict().values()):
                owner = owner_of(kind, int(pk))
                if owner is not None and owner.pk not in own:
                    raise Http404("Not part of your portal.")
            return
