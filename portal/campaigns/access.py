"""Who runs campaigns: superusers and the communications group (portal/newsletters/access.py).

Members may write landing page templates (a folder outside every portal's tree) and edit
and publish the landing pages of every campaign, on each portal it targets: Wagtail page
permissions on those pages alone, and the admin scope (portal/territories/admin_scope) lets
them reach those pages and the campaign views only.
"""

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from portal.newsletters.access import communications_group, in_communications

from .models import CampaignLandingPage, CampaignTemplateIndexPage

TEMPLATE_PERMISSIONS = ("add_page", "change_page", "publish_page")
LANDING_PERMISSIONS = ("change_page", "publish_page")


def may_run_campaigns(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or in_communications(user)


def template_index() -> CampaignTemplateIndexPage:
    """The folder of landing page templates under the tree's root, made once."""
    index = CampaignTemplateIndexPage.objects.first()
    if index is None:
        with transaction.atomic():
            index = CampaignTemplateIndexPage(title="Modelli di campagna", slug="campagne-modelli")
            Page.get_first_root_node().add_child(instance=index)
    return index


def _grant(page: Page, codenames: tuple[str, ...]) -> None:
    group = communications_group()[0]
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


def grant_templates() -> None:
    """Communications staff write the templates (safe to run again)."""
    _grant(template_index(), TEMPLATE_PERMISSIONS)


def grant_landing_page(page: CampaignLandingPage) -> None:
    _grant(page, LANDING_PERMISSIONS)


def campaign_paths(user) -> list[str]:
    """The template folder's and every landing page's path, for communications staff."""
    if not in_communications(user):
        return []
    return list(
        Page.objects.type(CampaignTemplateIndexPage, CampaignLandingPage).values_list(
            "path", flat=True
        )
    )
