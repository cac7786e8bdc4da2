"""The admin's lists, choosers and menus, scoped to the user's territories (admin_scope.py)."""

from django.http import Http404
from django.urls import Resolver404, resolve
from wagtail import hooks

from .admin_scope import may_open, own_media, own_pages, territory_of_collection


@hooks.register("construct_explorer_page_queryset")
def explorer_pages(parent_page, pages, request):
    return own_pages(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def chooser_pages(pages, request):
    return own_pages(request.user, pages)


@hooks.register("construct_image_chooser_queryset")
def chooser_images(images, request):
    return own_media(request.user, images)


@hooks.register("construct_document_chooser_queryset")
def chooser_documents(documents, request):
    return own_media(request.user, documents)


def _reachable(request, items) -> list:
    """The menu items whose view the user may open (a superuser keeps all)."""
    if request.user.is_superuser:
        return items
    kept = []
    for item in items:
        url = getattr(item, "url", "") or ""
        if not url.startswith("/admin/"):
            kept.append(item)  # a submenu: its own items are filtered by their hooks
            continue
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        if may_open(request, match.view_name, match.kwargs):
            kept.append(item)
    return kept


@hooks.register("construct_main_menu")
def main_menu(request, menu_items):
    menu_items[:] = _reachable(request, menu_items)


@hooks.register("construct_reports_menu")
def reports_menu(request, menu_items):
    menu_items[:] = _reachable(request, menu_items)


@hooks.register("construct_settings_menu")
def settings_menu(request, menu_items):
    menu_items[:] = _reachable(request, menu_items)


@hooks.register("before_serve_document")
def serve_document_on_its_portal(document, request):
    """A portal's document is served on that portal's host only."""
    owner = territory_of_collection(document.collection)
    territory = getattr(request, "territory", None)
    if owner is not None and (territory is None or territory.pk != owner.pk):
        raise Http404("Not on this portal.")
