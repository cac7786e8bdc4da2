"""Request → territory: the one place where a request's territory is decided."""

from django.http import HttpRequest
from django.http.request import split_domain_port

from portal.defaults import setting

from .models import Territory, TerritoryHost


def hostname_of(request: HttpRequest) -> str:
    """The request's host name, lower-cased, without the port (ALLOWED_HOSTS already checked)."""
    return split_domain_port(request.get_host())[0].lower().rstrip(".")


def territory_for_request(request: HttpRequest) -> Territory | None:
    """The territory answering on the request's host, or None: never a default portal."""
    host = (
        TerritoryHost.objects.select_related("territory__site")
        .filter(hostname=hostname_of(request))
        .first()
    )
    return host.territory if host else None


def is_hub_host(request: HttpRequest) -> bool:
    """A host that belongs to no portal but serves the admin and the list of portals."""
    return hostname_of(request) in setting("PORTAL_HUB_HOSTS")
