"""The demo's communications staff member: writes and sends the newsletters of every portal."""

from collections.abc import Callable

from .access import communications_group

EMAIL = "comunicazione@welfare.localhost"


def communications_staff(ensure_user: Callable) -> str:
    ensure_user(EMAIL, groups=[communications_group()[0]])
    return EMAIL
