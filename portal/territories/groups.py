"""The groups a territory owns (editors, moderators, network members…), one place for all.

A group belongs to one territory. Its name comes from the portal's name, which two portals
may share: then the slug tells them apart, and a new portal never picks up another's group
(and with it that portal's permissions) by name.
"""

from django.contrib.auth.models import Group


def own_group(current: Group | None, name: str, slug: str) -> tuple[Group, bool]:
    """``current`` renamed to ``name`` if needed, or a new group: (group, created)."""
    if Group.objects.filter(name=name).exclude(pk=current.pk if current else None).exists():
        name = f"{name} ({slug})"
    if current is None:
        return Group.objects.get_or_create(name=name)
    if current.name != name:
        current.name = name
        current.save(update_fields=["name"])
    return current, False
