"""Who may open the shop dashboard without being Oscar staff.

Oscar lets non-staff users with ``partner.dashboard_access`` into the dashboard, where its
views (and :mod:`.scoping` for orders) show them only their own data. Two kinds of people get
it: cooperative staff (in the one "Cooperative staff" group, and users of their partner) and
each territory's moderators (its territory staff).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext as _


def dashboard_access() -> Permission:
    return Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")


def cooperative_staff_group() -> Group:
    """The group of every cooperative's staff; made on first use (by the generator).

    Named in the default language whatever the active one: a group name is data.
    """
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Cooperative staff")
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(dashboard_access())
    return group
