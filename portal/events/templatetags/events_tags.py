"""``{% load events_tags %}``: the home page's next webinars and the webinar index lists."""

from zoneinfo import ZoneInfo

from django import template

from portal.defaults import setting

from ..listings import upcoming_in, webinars_under

register = template.Library()

NEXT_WEBINARS = 3


@register.inclusion_tag("events/partials/next_webinars.html", takes_context=True)
def next_webinars(context, limit: int = NEXT_WEBINARS, heading_level: int = 2):
    """The next webinars of the request's portal in its language (two queries at most)."""
    request = context.get("request")
    return {
        "request": request,
        "webinars": upcoming_in(request, limit) if request is not None else [],
        "heading_level": heading_level,
        "time_zone": ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE")),
    }


@register.simple_tag
def webinar_listing(index_page):
    """``{% webinar_listing page as webinars %}``: ``webinars.upcoming`` and ``.past``."""
    return webinars_under(index_page)


@register.simple_tag
def events_time_zone():
    return ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE"))
