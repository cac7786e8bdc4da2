"""The demo's catalogue manager: changes the shared services on every portal."""

from collections.abc import Callable

from .access import catalogue_managers_group

EMAIL = "catalogo@welfare.localhost"


def catalogue_manager(ensure_user: Callable) -> str:
    ensure_user(EMAIL, groups=[catalogue_managers_group()[0]])
    return EMAIL
