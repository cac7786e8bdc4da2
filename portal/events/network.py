"""The cooperatives' network of a territory: a group whose members may join network-only
webinars. The generator makes one per territory and puts the cooperatives' editors in it.
"""

from django.utils.translation import gettext as _

from portal.territories.groups import own_group
from portal.territories.models import Territory

from .models import Network


def ensure_network(territory: Territory) -> tuple[Network, bool]:
    """The territory's network group, made if missing; its cooperatives' staff are members.

    Re-running adds nobody twice and removes nobody: people an administrator added stay.
    """
    name = _("%(portal)s network members") % {"portal": territory.name}
    network = Network.objects.filter(territory=territory).select_related("group").first()
    created = network is None
    group, _created = own_group(None if created else network.group, name, territory.slug)
    if created:
        network = Network.objects.create(territory=territory, group=group)
    staff = [
        user
        for partner in territory.cooperatives.prefetch_related("users")
        for user in partner.users.all()
    ]
    network.group.user_set.add(*staff)
    return network, created


def is_network_member(user, territory: Territory | None) -> bool:
    """True for a signed-in member of ``territory``'s network group (or an administrator)."""
    if territory is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(network_of__territory=territory).exists()
