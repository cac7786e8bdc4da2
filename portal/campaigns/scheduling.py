"""A campaign's landing pages: copied from its template to each portal's home page, and
scheduled with Wagtail's own publishing (``publish_scheduled``, run by Celery beat): live
from the campaign's start, unpublished at its end."""

from datetime import datetime

from django.db import transaction
from wagtail.models import Page

from portal.territories.models import Territory

from .access import grant_landing_page
from .models import Campaign, CampaignLandingPage, LandingPage


def home_of(territory: Territory) -> Page:
    return territory.site.root_page


def _published_revision(page: CampaignLandingPage):
    """What the page shows or is scheduled to show (None for a page never published)."""
    scheduled = page.revisions.filter(approved_go_live_at__isnull=False).order_by("-pk").first()
    return page.live_revision or scheduled


def schedule(page: CampaignLandingPage, starts_at: datetime, ends_at: datetime, user=None):
    """Publish ``page`` at ``starts_at`` (now if it has come) until ``ends_at``.

    A new page is published as it was copied; new dates for a page already published or
    scheduled publish what it showed, never a draft an editor has not published: that draft
    is saved again on top, with the new dates, and stays the editor's draft.
    """
    published = _published_revision(page)
    latest = page.get_latest_revision()
    base = published.as_object() if published is not None else page.get_latest_revision_as_object()
    base.go_live_at, base.expire_at = starts_at, ends_at
    # the campaign's own schedule: whoever may run campaigns sets it (admin_views.py)
    base.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    if published is not None and latest is not None and latest.pk != published.pk:
        draft = latest.as_object()
        draft.go_live_at, draft.expire_at = starts_at, ends_at
        draft.save_revision(user=latest.user, log_action=False)


@transaction.atomic
def create_landing_pages(campaign: Campaign, user=None) -> list[CampaignLandingPage]:
    """A landing page on each portal the campaign targets that has none yet, and the dates of
    the existing ones brought in line with the campaign's. Returns the pages made."""
    made = []
    have = {landing.territory_id: landing for landing in campaign.landings.select_related("page")}
    targeted = set(campaign.territories.values_list("pk", flat=True))
    for territory_id, landing in have.items():
        if territory_id not in targeted:  # a portal taken off the campaign: off the air
            withdraw(landing.page)
    template = campaign.template_page.get_latest_revision_as_object()
    for territory in campaign.territories.select_related("site__root_page"):
        landing = have.get(territory.pk)
        if landing is not None:
            page = landing.page
            if (page.go_live_at, page.expire_at) != (campaign.starts_at, campaign.ends_at):
                schedule(page, campaign.starts_at, campaign.ends_at, user)
            continue
        home = home_of(territory)
        slug = _free_slug(home, campaign.slug)
        page = template.copy(
            to=home,
            update_attrs={"slug": slug, "live": False, "has_unpublished_changes": True},
            copy_revisions=False,
            keep_live=False,
            log_action=None,
        ).specific
        LandingPage.objects.create(campaign=campaign, territory=territory, page=page)
        grant_landing_page(page)
        schedule(page, campaign.starts_at, campaign.ends_at, user)
        made.append(page)
    return made


def withdraw(page: CampaignLandingPage) -> None:
    """Unpublished now and never published by the schedule (the page stays, with its visits)."""
    page.revisions.update(approved_go_live_at=None)
    CampaignLandingPage.objects.filter(pk=page.pk).update(go_live_at=None)
    if page.live:
        page.unpublish(log_action=True)


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _next_year(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


@transaction.atomic
def duplicate(campaign: Campaign, user=None) -> Campaign:
    """The same campaign a year later: portals, template, discount (a new offer, no codes
    yet), and its landing pages scheduled for the new dates. Issues are not carried over."""
    from .offers import set_discount

    year = _next_year(campaign.starts_at).year
    name = f"{campaign.name} {year}"
    number = 2
    while Campaign.objects.filter(name=name).exists():
        name, number = f"{campaign.name} {year} ({number})", number + 1
    copy = Campaign.objects.create(
        name=name[:100],
        slug=f"{campaign.slug}-{year}"[:60],
        goal=campaign.goal,
        starts_at=_next_year(campaign.starts_at),
        ends_at=_next_year(campaign.ends_at),
        template_page=campaign.template_page,
        discount=campaign.discount,
    )
    copy.territories.set(campaign.territories.all())
    if campaign.discount and campaign.offer_id:
        benefit = campaign.offer.benefit
        set_discount(copy, benefit.type, benefit.value, benefit.range.included_products.all())
    create_landing_pages(copy, user)
    return copy
