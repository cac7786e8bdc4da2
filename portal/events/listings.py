"""Which webinars a page shows: each query costs the same however many webinars exist."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

from portal.territories.models import Territory

from .models import Registration, WebinarPage


@dataclass
class WebinarListing:
    upcoming: list[WebinarPage]
    past: list[WebinarPage]


def home_paths(territory: Territory) -> list[str]:
    """The tree paths of the territory's home pages, one per language (one query)."""
    root = territory.site.root_page
    return list(
        Page.objects.filter(depth=root.depth, translation_key=root.translation_key).values_list(
            "path", flat=True
        )
    )


def _under(paths: list[str], prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def upcoming_in(request: HttpRequest, limit: int = 3) -> list[WebinarPage]:
    """The next ``limit`` live webinars of the request's portal, in the request's language."""
    territory = getattr(request, "territory", None)
    if territory is None:
        return []
    paths = getattr(request, "_portal_home_paths", None)
    if paths is None:
        paths = request._portal_home_paths = home_paths(territory)
    return list(
        WebinarPage.objects.live()
        .public()
        .filter(_under(paths), locale__language_code=get_language(), starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:limit]
    )


def webinars_under(index: Page) -> WebinarListing:
    """The live webinars below ``index``: upcoming (soonest first) and past (latest first)."""
    webinars = list(WebinarPage.objects.child_of(index).live().order_by("starts_at", "pk"))
    now = timezone.now()
    return WebinarListing(
        upcoming=[w for w in webinars if not w.ends_at <= now],
        past=[w for w in reversed(webinars) if w.ends_at <= now],
    )


def registrations_of(user, territory: Territory) -> QuerySet:
    """A signed-in user's live registrations on ``territory``'s webinars, soonest first."""
    return (
        # by account only: an account's e-mail address is not verified, so matching on it
        # would show someone else's online links to whoever typed their address
        Registration.objects.filter(user=user)
        .filter(_under(home_paths(territory), "webinar__"))
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("webinar")
        .order_by("webinar__starts_at", "pk")
    )
