"""Uploads served by Django itself (the demo and development: ``PORTAL_SERVE_MEDIA``), each on
its own portal's host.

An image (its original and every rendition) and a document belong to the territory whose
collection holds them. On another portal's host their files answer 404, as the documents'
own ``/documents/`` view does (``before_serve_document``); the users who own them (their
portal's editors and moderators, superusers) still see them wherever they use the admin,
the hub host included. A file that belongs to no portal (the shared catalogue's pictures,
a collection of no territory's) is served to anyone.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.views import static
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from .admin_scope import own_collection_ids, territory_of_collection


def collection_of_file(name: str) -> Collection | None:
    """The collection of the image, rendition or document stored as ``name``, or None."""
    Image = get_image_model()
    for item in (
        Image.objects.filter(file=name).first(),
        Image.get_rendition_model().objects.filter(file=name).select_related("image").first(),
        get_document_model().objects.filter(file=name).first(),
    ):
        if item is not None:
            owner = getattr(item, "image", item)
            return Collection.objects.filter(pk=owner.collection_id).first()
    return None


def may_see_here(request: HttpRequest, collection: Collection) -> bool:
    """The file of ``collection`` on this request's host: on its own portal, or to its owners."""
    owner = territory_of_collection(collection)
    territory = getattr(request, "territory", None)
    if owner is None or (territory is not None and territory.pk == owner.pk):
        return True
    user = request.user
    return user.is_authenticated and (
        user.is_superuser or collection.pk in own_collection_ids(user)
    )


def serve(request: HttpRequest, path: str) -> HttpResponse:
    collection = collection_of_file(path)
    if collection is not None and not may_see_here(request, collection):
        raise Http404("Not on this portal.")
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if collection is not None:
        # who may see it depends on the host and the user: no shared cache keeps it
        response["Cache-Control"] = "private"
        response["Vary"] = "Host, Cookie"
    return response


# not django.conf.urls.static.static(): it serves nothing unless DEBUG is on
urlpatterns = [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve)]
