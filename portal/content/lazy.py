"""Template context read only when a template shows it.

A page's lists (the newest articles, featured services, a news index's page of articles) are
shown inside fragments that ``{% portalcache %}`` keeps between requests: on a kept fragment
they are never read, so they must not be computed in ``get_context`` up front.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.functional import SimpleLazyObject


def lazy(compute: Callable[[], Any]) -> Any:
    """``compute()``, run the first time a template looks at it, then remembered."""
    return SimpleLazyObject(compute)


def lazy_context(compute: Callable[[], dict], names: Iterable[str]) -> dict:
    """Context entries ``names`` whose values ``compute()`` gives together, run once, the
    first time a template looks at any of them."""
    values = SimpleLazyObject(compute)
    return {name: SimpleLazyObject(lambda name=name: values[name]) for name in names}
