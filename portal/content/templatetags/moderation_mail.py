"""The address Wagtail's moderation e-mails link to: the page's own portal, not one admin host."""

from django import template
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Page

from portal.territories.resolution import territory_of_page

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_admin_base_url(context) -> str:
    """The root URL of the portal holding the notification's page (its port in development,
    the spec's host in production); ``WAGTAILADMIN_BASE_URL`` for anything outside a portal.

    Wagtail's notification templates take ``base_url`` from that one setting; our
    ``wagtailadmin/notifications/base.*`` set it from here instead, for every notification.
    """
    revision = context.get("revision")
    page = context.get("page") or context.get("object") or getattr(revision, "content_object", None)
    territory = territory_of_page(page) if isinstance(page, Page) else None
    if territory is not None:
        return territory.site.root_url
    return get_admin_base_url() or ""
