"""Demo welfare managers for `make demo` (never used in production).

Every portal gets a welfare manager, ``welfare.<slug>@welfare.localhost``, in the portal's
welfare managers' group.
"""

from collections.abc import Callable

from portal.territories.models import Territory

from .generator import ensure_welfare_office


def manager_email(territory: Territory) -> str:
    return f"welfare.{territory.slug}@welfare.localhost"


def welfare_managers(ensure_user: Callable) -> list[tuple[Territory, str]]:
    """One welfare manager per portal, in the portal's welfare managers' group."""
    made = []
    for territory in Territory.objects.order_by("slug"):
        office, _created = ensure_welfare_office(territory)
        ensure_user(manager_email(territory), groups=[office.group])
        made.append((territory, manager_email(territory)))
    return made
