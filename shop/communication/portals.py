"""Which portal a message belongs to, from what it was rendered with."""

from collections.abc import Mapping

from django.db.models import QuerySet

from portal.territories.models import Territory


def territory_of_context(context: Mapping) -> Territory | None:
    """The portal of an e-mail rendered from ``context``.

    An order's own territory wins (a confirmation sent from the webhook has a rebuilt
    request); then the context's territory, then the request's (sign-up, password e-mails).
    """
    order = context.get("order")
    if order is not None and getattr(order, "territory_id", None):
        return order.territory
    if isinstance(context.get("territory"), Territory):
        return context["territory"]
    return getattr(context.get("request"), "territory", None)


def sent_on(queryset: QuerySet, territory: Territory | None) -> QuerySet:
    """The e-mails or notifications of ``queryset`` sent from ``territory``'s portal.

    Without a territory (the hub host) nothing: there is no portal to show them on.
    """
    if territory is None:
        return queryset.none()
    return queryset.filter(territory=territory)
