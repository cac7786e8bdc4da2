"""How an order was paid, for the citizen's order page: its payment sources in one query."""

from django import template

register = template.Library()


@register.simple_tag
def order_payments(order) -> list:
    """``order``'s sources (card, programme credit, gift vouchers) with their type."""
    return list(order.sources.select_related("source_type").order_by("pk"))
