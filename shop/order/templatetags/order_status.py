"""``{% load order_status %}``: an order line's status as people read it, translated."""

from django import template

from shop.order import statuses

register = template.Library()


@register.filter
def line_status(status: str) -> str:
    """``{{ line.status|line_status }}``: "Accettato" for "accepted"."""
    return statuses.label(status)


@register.filter
def order_progress(order) -> str:
    """``{{ order|order_progress }}``: the statuses its lines are at (reads order.lines.all)."""
    return statuses.progress([line.status for line in order.lines.all()])
