"""Whether a person may open the shop's dashboard: the shop bar's "Dashboard" link.

Every shop page a signed-in person sees asks it. ``perms.partner.dashboard_access`` would load
every permission of the person and of their groups (two queries); :func:`may_open_dashboard`
asks the one question in one query, and none for staff or anonymous visitors (as Django's
ModelBackend, an inactive user has no permission and a superuser has every one).

The answer is kept in the cache per person under a revision token renewed whenever a
person's groups or permissions, or a group's permissions, change (the signals in
:func:`connect`, on the change and again when it commits): a citizen answers from the cache
on every page after the first; a cooperative's new member sees the link on their next page.
A missing token (new, evicted) is a miss, never an old answer.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from portal.defaults import setting
from portal.territories.generations import renew, token

REVISION = "auth:permissions-revision"
ANSWER = "dashboard-access:"  # + revision + person


def _asked(user) -> bool:
    return (
        Permission.objects.filter(content_type__app_label="partner", codename="dashboard_access")
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def may_open_dashboard(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    seconds = setting("PORTAL_FRAGMENT_CACHE_SECONDS")
    if not seconds:
        return _asked(user)
    key = f"{ANSWER}{token(REVISION)}:{user.pk}"  # read before the question: a change misses
    kept = cache.get(key)
    if kept is None:
        kept = _asked(user)
        cache.set(key, kept, timeout=seconds)
    return kept


def permissions_changed(**_kwargs) -> None:
    """Someone's groups or permissions changed: every kept answer goes (now, and again once
    the change is committed, as a page that asked before the commit kept the old one)."""

    renew(REVISION)


def connect() -> None:
    """Called from the dashboard app's ready()."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    User = get_user_model()
    uid = "dashboard-access"
    for field in (User.groups, User.user_permissions, Group.permissions):
        through = field.through
        m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"{uid}-{through}")
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(permissions_changed, sender=model, dispatch_uid=f"{uid}-{model}")
    # not post_save: a person's row is saved at every sign-in (last_login)
    post_delete.connect(permissions_changed, sender=User, dispatch_uid=f"{uid}-user")
