"""``{% load dashboard_link %}``: ``{% may_open_dashboard user as shown %}``, whether the shop
bar links to the dashboard (shop/dashboard/access.py: one query the first time, then kept)."""

from django import template

from shop.dashboard import access

register = template.Library()


@register.simple_tag(name="may_open_dashboard")
def may_open_dashboard(user) -> bool:
    return access.may_open_dashboard(user)
