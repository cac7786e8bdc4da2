"""The home page's campaign slot: a running campaign's landing page, on its portals only.

What the slot shows is read once per portal generation (publishing or unpublishing a landing
page makes a new one) and filtered by the clock on each request, so a campaign appears and
disappears with its dates without any query on a warm page.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from portal.territories.generations import remembered

from .models import LandingPage


def _live_landings(territory_id: int) -> list[dict]:
    def compute() -> list[dict]:
        found = []
        for landing in (
            LandingPage.objects.filter(territory_id=territory_id, page__live=True)
            .select_related("campaign", "page")
            .order_by("campaign__starts_at")
        ):
            found.append(
                {
                    "title": landing.page.title,
                    "text": landing.page.search_description,
                    "link_url": _path_of(landing.page),
                    "starts_at": landing.campaign.starts_at,
                    "ends_at": landing.campaign.ends_at,
                }
            )
        return found

    return remembered("campaign-slot", territory_id, (), compute)


def running_announcement(territory, now: datetime) -> dict | None:
    """The slot's value (as the home page's campaign block gives it) for ``territory``."""
    if territory is None:
        return None
    for value in _live_landings(territory.pk):
        if value["starts_at"] <= now < value["ends_at"]:
            return {**value, "link_page": None, "link_label": _("Find out more")}
    return None


def _path_of(page) -> str:
    """The page's address on its own site, from its root (the slot is on the same site)."""
    parts = page.get_url_parts()
    return parts[2] if parts else ""
