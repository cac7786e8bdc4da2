"""Demo accounts for cooperative staff: one per cooperative, to try the scoped order dashboard."""

from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from .access import cooperative_staff_group

Partner = get_model("partner", "Partner")


def cooperative_staff(ensure_user: Callable) -> Iterator[tuple[str, str]]:
    """Make ``ordini.<cooperative>@welfare.localhost`` per cooperative; yield (portals, e-mail)."""
    User = get_user_model()
    group = cooperative_staff_group()
    for partner in Partner.objects.prefetch_related("territories").order_by("code"):
        email = f"ordini.{partner.code}@welfare.localhost"
        ensure_user(email, groups=[group])
        partner.users.add(User.objects.get(email__iexact=email))
        territories = ",".join(sorted(t.slug for t in partner.territories.all())) or "*"
        yield territories, email
