"""``{% load bookshop_tags %}``: where to buy a gift voucher to spend at the bookshop."""

from django import template
from django.urls import reverse

from ..vouchers import gift_voucher_for

register = template.Library()


@register.simple_tag(takes_context=True)
def gift_voucher_url(context, bookshop=None) -> str:
    """The territory's gift voucher product (the bookshop's own, if it sells one), or the
    territory's catalogue when no voucher is on sale yet."""
    request = context.get("request")
    product = gift_voucher_for(getattr(request, "territory", None), bookshop)
    return product.get_absolute_url() if product is not None else reverse("catalogue:index")
