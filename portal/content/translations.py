"""Translations go through moderation, like the pages they translate.

wagtail-localize's translation editor publishes (for those who may publish) and nothing else:
an editor had no way to hand a translation to the moderators, and a page submitted for
translation went live at once in the Italian text (``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE``
is now off: a new translation is a draft). Here:

- ``submit_for_moderation``: the translation is saved as a draft revision of the translated
  page and the page's workflow (the portal's moderation, assigned on each language's home by
  the generator) starts on it; the moderators get their task and approve or reject it as any
  other page.
- Nothing untranslated goes live: submitting or publishing a translation with strings still in
  the source language is refused (``Untranslated``).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page
from wagtail_localize.models import Translation


class Untranslated(Exception):
    """The translation still has strings in the source language."""


class NotSubmittable(Exception):
    """The page has no workflow, or is already in moderation."""


def synced_translation(page: Page) -> Translation | None:
    """The wagtail-localize translation that ``page`` is the target of, if it is synced."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def missing_strings(translation: Translation) -> int:
    """How many strings of the source are not translated yet."""
    total, done = translation.get_progress()
    return total - done


def check_complete(translation: Translation) -> None:
    missing = missing_strings(translation)
    if missing:
        raise Untranslated(
            ngettext(
                "%(count)s text is not translated yet: translate it first.",
                "%(count)s texts are not translated yet: translate them all first.",
                missing,
            )
            % {"count": missing}
        )


def submit_for_moderation(translation: Translation, page: Page, user) -> None:
    """Save the translation as a draft of ``page`` and start the page's workflow on it."""
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    check_complete(translation)
    workflow = page.get_workflow()
    if workflow is None:
        raise NotSubmittable(_("This page has no moderation workflow."))
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        raise NotSubmittable(_("This translation is already awaiting moderation."))
    translation.save_target(user=user, publish=False)
    page = Page.objects.get(pk=page.pk).specific
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user)  # the moderators asked for changes: back to them
    else:
        workflow.start(page, user)
