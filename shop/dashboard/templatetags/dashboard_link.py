"""``{% load dashboard_link %}``: ``{% may_open_dashboard user as shown %}``, whether the shop
bar links to the dashboard.

``perms.partner.dashboard_access`` would load every permission of the visitor and of their
groups (two queries) on every shop page, for a citizen who has none; this asks the one
question in one query, and none for staff or anonymous visitors. As Django's ModelBackend,
an inactive user has no permission and a superuser has every one.
"""

from django import template
from django.contrib.auth.models import Permission
from django.db.models import Q

register = template.Library()


@register.simple_tag(name="may_open_dashboard")
def may_open_dashboard(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        Permission.objects.filter(content_type__app_label="partner", codename="dashboard_access")
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
