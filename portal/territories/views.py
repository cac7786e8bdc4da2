"""The hub host's one page: the list of portals this installation serves."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.defaults import setting

from .models import Territory


def portal_list(request: HttpRequest) -> HttpResponse:
    port = request.get_port()
    suffix = setting("PORTAL_DEV_HOST_SUFFIX")
    portals = [
        (territory, f"{request.scheme}://{territory.slug}{suffix}:{port}/")
        for territory in Territory.objects.order_by("name")
    ]
    return render(request, "territories/portal_list.html", {"portals": portals})
