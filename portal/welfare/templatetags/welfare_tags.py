"""``{% load welfare_tags %}``: the home page's Social Points block."""

from django import template
from django.utils.translation import gettext as _

from ..models import SocialPoint

register = template.Library()

HOME_POINTS = 3


@register.inclusion_tag("welfare/partials/social_points_block.html", takes_context=True)
def social_points_block(context, limit: int = HOME_POINTS, heading_level: int = 2):
    """The first Social Points of the request's portal (one query; inside the home page's
    cached fragment, whose key has the portal's generation: a change to a Social Point bumps
    it, portal/welfare/signals.py)."""
    request = context.get("request")
    territory = getattr(request, "territory", None)
    points = list(SocialPoint.objects.filter(territory=territory)[: limit + 1]) if territory else []
    return {
        "request": request,
        "points": points[:limit],
        "more": len(points) > limit,
        "heading_level": heading_level,
    }


@register.simple_tag
def band_reductions(order) -> dict:
    """``{% band_reductions order as band %}``: what an income band took off each line of
    ``order`` (by its 1-based place, ``forloop.counter``) and the programme that paid, as a
    sentence ("Income band reduction: −12,00 €, paid by …"). Two queries, none without."""
    from oscar.templatetags.currency_filters import currency

    from ..funding import line_reductions

    if order is None or not getattr(order, "number", None):
        return {}
    return {
        position: _("Income band reduction: −%(amount)s, paid by %(programme)s")
        % {"amount": currency(held.amount, order.currency), "programme": programme.title}
        for position, (held, programme) in line_reductions(order).items()
    }


@register.simple_tag
def band_line(reductions: dict, position) -> str:
    """``{% band_line band forloop.counter %}``: the line's sentence, or ""."""
    return reductions.get(position, "")


@register.filter
def pricing_key(request) -> str:
    """``request|pricing_key``: what the prices shown to ``request`` depend on (its
    citizen's income band; "" for everyone's prices): a key part of every cached fragment
    that shows prices (one query for a signed-in citizen, shared with the prices; none for
    a visitor)."""
    strategy = getattr(request, "strategy", None)
    return getattr(strategy, "pricing_key", "") if strategy is not None else ""
