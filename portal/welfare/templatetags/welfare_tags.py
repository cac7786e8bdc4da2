"""``{% load welfare_tags %}``: the home page's Social Points block."""

from django import template

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
