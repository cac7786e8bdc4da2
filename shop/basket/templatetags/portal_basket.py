"""``{% load portal_basket %}``: ``{% mini_basket as summary %}`` gives what the shop bar says
of the visitor's basket (``num_items``, ``total``, ``currency``), or None when there is
nothing to say (no basket cookie and not signed in, as most visitors of the catalogue, or an
empty basket), mostly without loading the basket (shop/basket/summary.py)."""

from django import template

from shop.basket.summary import mini_basket

register = template.Library()


@register.simple_tag(takes_context=True, name="mini_basket")
def mini_basket_tag(context):
    request = context.get("request")
    return mini_basket(request) if request is not None else None
