"""Campaign test helpers: a landing page template and a campaign made as the admin makes it."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from portal.campaigns.access import grant_templates, template_index
from portal.campaigns.models import Campaign, CampaignLandingPage
from portal.campaigns.offers import generate_codes, set_discount
from portal.campaigns.scheduling import create_landing_pages


def template(title="Buoni regalo per Natale") -> CampaignLandingPage:
    grant_templates()
    page = CampaignLandingPage(
        title=title,
        slug=f"modello-{CampaignLandingPage.objects.count() + 1}",
        intro="<p>Regala un servizio.</p>",
        search_description="Un buono regalo per chi ami.",
    )
    template_index().add_child(instance=page)
    page.save_revision().publish()
    return page


def campaign(
    territories,
    name="Natale",
    slug="natale",
    starts_in=timedelta(hours=-1),
    lasts=timedelta(days=30),
    discount="",
    products=(),
    kind="Percentage",
    value=Decimal("10"),
    codes=0,
) -> Campaign:
    starts = timezone.now() + starts_in
    made = Campaign.objects.create(
        name=name,
        slug=slug,
        goal="Più buoni regalo a Natale",
        starts_at=starts,
        ends_at=starts + lasts,
        template_page=template(),
        discount=discount,
    )
    made.territories.set(territories)
    if discount:
        set_discount(made, kind, value, products)
    if codes:
        generate_codes(made, codes)
    create_landing_pages(made)
    return made
