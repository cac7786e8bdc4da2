"""Who writes and sends newsletters: the cross-territory communications group.

Made by the generator with every portal (safe to run again). Its members open the admin,
write and publish the issues of the one newsletter archive (a page tree outside every
portal's, so their page permissions reach nothing else) and send them; the admin scope
(portal/territories/admin_scope) lets them reach those pages and the send views only.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from portal.defaults import setting

from .models import NewsletterIndexPage

ISSUE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def newsletter_archive() -> NewsletterIndexPage:
    """The archive page under the tree's root, made once."""
    archive = NewsletterIndexPage.objects.first()
    if archive is None:
        with transaction.atomic():
            archive = NewsletterIndexPage(title="Newsletter", slug="newsletter-archivio")
            Page.get_first_root_node().add_child(instance=archive)
    return archive


def communications_group() -> tuple[Group, bool]:
    """The communications group with its permissions: (group, created)."""
    group, created = Group.objects.get_or_create(name=setting("PORTAL_COMMUNICATIONS_GROUP"))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    archive = newsletter_archive()
    for codename in ISSUE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=archive,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return group, created


def in_communications(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=setting("PORTAL_COMMUNICATIONS_GROUP")).exists()


def archive_paths(user) -> list[str]:
    """The newsletter archive's path, for a member of communications (else nothing)."""
    if not in_communications(user):
        return []
    return list(NewsletterIndexPage.objects.values_list("path", flat=True))
