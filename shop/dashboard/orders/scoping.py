"""Whose orders a dashboard user sees: the one rule every order view goes through.

- Oscar staff (``is_staff``): every order, every line.
- Territory staff (members of a territory's moderators group): that territory's orders,
  all of their lines.
- Cooperative staff (users of an Oscar partner): orders with a line of their cooperative,
  and of those orders only their own lines.
Anything else is a 404, never a 403 that would confirm the order exists.
"""

from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from oscar.core.loading import get_model

from portal.territories.models import Territory

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")


def staffed_territories(user) -> QuerySet:
    """The territories whose orders ``user`` handles as territory staff."""
    return Territory.objects.filter(moderators__user=user)


def own_partners(user) -> QuerySet:
    """The cooperatives (Oscar partners) ``user`` works for."""
    return Partner._default_manager.filter(users=user)


def visible_lines(user) -> QuerySet:
    """Every order line ``user`` may see: a cooperative's own, all of its territories' for
    territory staff. What the dashboard counts and sums for someone who is not Oscar staff.

    Both conditions are subqueries, never joins: a join through the partner's users would
    repeat a line once per member of its cooperative, and the territory's figures with it."""
    lines = Line._default_manager.all()
    if user.is_staff:
        return lines
    return lines.filter(
        Q(partner__in=own_partners(user)) | Q(order__territory__in=staffed_territories(user))
    )


def orders_for(user) -> QuerySet:
    """The orders ``user`` may see, each with only the lines they may see prefetched, so
    that what Oscar derives from ``order.lines`` (the number of items) is theirs too.

    The orders of the user's own lines are a subquery, never a join: a join from orders to
    lines and partners' users (as before) or a correlated EXISTS is planned per order
    (bench/README.md, the dashboard order list at scale). The user's territories are read
    first (one query), and or-ed in only when there are some."""
    queryset = Order._default_manager.select_related("user", "territory")
    if user.is_staff:
        return queryset.prefetch_related("lines", "status_changes")
    queryset = queryset.prefetch_related(
        Prefetch("lines", queryset=visible_lines(user)), "status_changes"
    )
    with_own_lines = Line._default_manager.filter(partner__in=own_partners(user))
    scope = Q(pk__in=with_own_lines.values("order_id"))
    # a cooperative's staff (most people here) staff no territory: without the OR the
    # orders are fetched by their keys, not all read and filtered
    staffed = list(staffed_territories(user).values_list("pk", flat=True))
    if staffed:
        scope |= Q(territory__in=staffed)
    return queryset.filter(scope)


def order_for_or_404(user, number: str):
    try:
        return orders_for(user).get(number=number)
    except Order.DoesNotExist:
        raise Http404() from None


def handles_whole_order(user, order) -> bool:
    """Oscar staff and the order's territory staff act on the order itself (its status,
    notes, payment events, address); a cooperative only on its own lines."""
    return user.is_staff or staffed_territories(user).filter(pk=order.territory_id).exists()


def lines_for(user, order) -> QuerySet:
    """The lines of ``order`` that ``user`` may see and act on."""
    lines = order.lines.select_related("partner", "booking", "booking__territory")
    if handles_whole_order(user, order):
        return lines
    return lines.filter(partner__in=own_partners(user))


def visible_totals(user, orders) -> dict[int, Decimal]:
    """What each of ``orders`` is worth to ``user``: the whole order for Oscar and territory
    staff, only their own lines for a cooperative (a shared order's other lines are another
    cooperative's business). One query, for cooperative staff only."""
    orders = list(orders)
    handled = set(staffed_territories(user).values_list("pk", flat=True))
    if user.is_staff or all(o.territory_id in handled for o in orders):
        return {o.pk: o.total_incl_tax for o in orders}
    own = dict(
        Line.objects.filter(order__in=orders, partner__in=own_partners(user))
        .values("order")
        .annotate(total=Sum("line_price_incl_tax"))
        .values_list("order", "total")
    )
    return {
        o.pk: o.total_incl_tax if o.territory_id in handled else own.get(o.pk, Decimal("0.00"))
        for o in orders
    }
