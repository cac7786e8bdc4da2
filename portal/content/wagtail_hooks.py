"""The translation editor (wagtail-localize) inside the portal's moderation:
portal/content/translations.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .translations import (
    NotSubmittable,
    Untranslated,
    check_complete,
    submit_for_moderation,
    synced_translation,
)

SUBMIT_ACTION = "portal-submit-translation"  # the button our edit_translation.html adds
LOCALIZE_PUBLISH = "publish"  # wagtail-localize's own "Publish in …"


@hooks.register("before_edit_page", order=-10)  # before wagtail-localize's own hook
def moderate_translations(request, page):
    if request.method != "POST":
        return None
    action = request.POST.get("action")
    if action not in (SUBMIT_ACTION, LOCALIZE_PUBLISH):
        return None
    translation = synced_translation(page)
    if translation is None:
        return None
    try:
        if action == SUBMIT_ACTION:
            submit_for_moderation(translation, page, request.user)
            messages.success(
                request,
                _("'%(title)s' in %(language)s was submitted to the moderators.")
                % {"title": page.title, "language": translation.target_locale.get_display_name()},
            )
        else:
            check_complete(translation)
            return None  # complete: wagtail-localize publishes (if the user may)
    except (Untranslated, NotSubmittable) as refused:
        messages.error(request, str(refused))
    return redirect("wagtailadmin_pages:edit", page.pk)


def update_translations(request, translation_source_id: int):
    """wagtail-localize's "Sync translated pages", without its "Publish immediately": that
    published every language at once with the new texts still in Italian, past the
    moderators. The synced translations are drafts; each is translated and submitted."""
    if request.method == "POST" and "publish_translations" in request.POST:
        request.POST = request.POST.copy()
        del request.POST["publish_translations"]
    return UpdateTranslationsView.as_view()(request, translation_source_id=translation_source_id)


@hooks.register("register_admin_urls", order=-10)  # before wagtail-localize's own address
def register_update_translations_url():
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            update_translations,
            name="portal_update_translations",
        )
    ]
