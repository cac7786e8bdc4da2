"""``{% load portal_basket %}``: ``{% basket_to_show as basket %}`` gives the visitor's open
basket, or None when they cannot have one: not signed in and no basket cookie, as most
visitors of the catalogue. Reading ``request.basket`` would build an empty basket for them
on every page."""

from django import template

from shop.basket.middleware import basket_to_show

register = template.Library()


@register.simple_tag(takes_context=True, name="basket_to_show")
def basket_to_show_tag(context):
    request = context.get("request")
    return basket_to_show(request) if request is not None else None
