"""What the generator (``portal build``) writes for a territory's bookshop."""

from django.contrib.auth.models import Permission

from portal.territories.models import Territory

from .models import Bookshop

# Editors and moderators see and update their territory's reservations (never add or delete:
# reservations come from readers). TerritoryReservationPolicy limits them to their portal.
RESERVATION_PERMS = ("view_reservation", "change_reservation")


def sync_bookshop(territory: Territory, partner) -> str:
    """Make ``partner`` the territory's bookshop (None: it has none). Returns what changed:
    "created", "updated", "removed" or ""."""
    groups = [g for g in (territory.editors, territory.moderators) if g is not None]
    perms = Permission.objects.filter(
        content_type__app_label="bookshop", codename__in=RESERVATION_PERMS
    )
    for group in groups:
        group.permissions.add(*perms)
    current = Bookshop.objects.filter(territory=territory).first()
    if partner is None:
        if current is None:
            return ""
        current.delete()
        return "removed"
    if current is None:
        Bookshop.objects.create(territory=territory, partner=partner)
        return "created"
    if current.partner_id != partner.pk:
        current.partner = partner
        current.save(update_fields=["partner"])
        return "updated"
    return ""
