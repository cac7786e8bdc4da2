"""The public side: the portal's Social Points, and my verified income band in my account.

Both are read through the request's territory: another portal's Social Points or bands
never show.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.territories.models import Territory

from .models import BandChange, CitizenBand, SocialPoint


def _territory(request: HttpRequest) -> Territory:
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404("Not a portal.")
    return territory


def social_points(request: HttpRequest) -> HttpResponse:
    """Where to be helped in person: every Social Point of the portal."""
    territory = _territory(request)
    return TemplateResponse(
        request,
        "welfare/social_points.html",
        {
            "page_title": _("Social Points"),
            "points": list(SocialPoint.objects.filter(territory=territory)),
        },
    )


@login_required
def my_band(request: HttpRequest) -> HttpResponse:
    """My income band on this portal, and every change made to it (by whom, where, when)."""
    territory = _territory(request)
    current = (
        CitizenBand.objects.filter(territory=territory, citizen=request.user)
        .select_related("band", "social_point")
        .first()
    )
    return TemplateResponse(
        request,
        "welfare/my_band.html",
        {
            "page_title": _("My income band"),
            "active_tab": "band",
            "current": current,
            "expired": current is not None and current.expires_on < timezone.localdate(),
            "history": list(BandChange.objects.filter(territory=territory, citizen=request.user)),
        },
    )
