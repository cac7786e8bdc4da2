"""A relative who lives in another territory is served by that territory's cooperatives."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from portal.territories.models import Territory

StockRecord = get_model("partner", "StockRecord")


class NotOfferedThere(Exception):
    """The beneficiary's territory does not offer this service: nobody there can provide it."""


def route_line(product, beneficiary_territory: Territory) -> StockRecord:
    """The offer of ``product`` that serves a beneficiary living in ``beneficiary_territory``.

    The cheapest offer there, as the shop's strategy would choose on that territory's portal.
    Raises :class:`NotOfferedThere` (with a message for the citizen) when there is none.
    """
    offers = StockRecord.objects.filter(
        product=product, territory=beneficiary_territory, available=True
    ).select_related("partner")
    offer = min(offers, key=lambda s: (s.price, s.pk), default=None)
    if offer is None:
        raise NotOfferedThere(
            _("“%(service)s” is not offered in %(territory)s.")
            % {"service": product.get_title(), "territory": beneficiary_territory.name}
        )
    return offer
