"""The demo's campaign (``manage.py demo``): "Buoni regalo per Natale" on two portals, with
its landing page template, a 10% discount by single-use codes on services both portals sell,
and a few days of visits. Made once: a second run finds it and changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from portal.territories.models import Territory

from .access import grant_templates, template_index
from .models import Campaign, CampaignLandingPage, LandingVisit
from .offers import PERCENTAGE, generate_codes, set_discount
from .scheduling import create_landing_pages

NAME = "Buoni regalo per Natale"
PORTALS = ("sondrio", "cremona")
CODES = 50
BODY = [
    ("heading", {"text": "Un servizio in regalo", "level": "h2"}),
    (
        "paragraph",
        "<p>Quest'anno regala tempo e cura: un'ora di doposcuola, una visita a domicilio, "
        "un corso. Con il codice della campagna hai il 10% di sconto sui servizi scelti, "
        "fino all'Epifania.</p>",
    ),
]


def _template() -> CampaignLandingPage:
    found = CampaignLandingPage.objects.descendant_of(template_index()).filter(slug="natale")
    if found.exists():
        return found.first()
    page = CampaignLandingPage(
        title=NAME,
        slug="natale",
        intro="<p>Regala un servizio a chi ami, sul tuo portale.</p>",
        search_description="Un servizio in regalo a Natale: 10% di sconto con il codice.",
        body=BODY,
    )
    template_index().add_child(instance=page)
    page.save_revision().publish()
    return page


def load_campaign() -> Campaign | None:
    """The demo campaign, or None when its portals are not built."""
    existing = Campaign.objects.filter(name=NAME).first()
    if existing is not None:
        return existing
    territories = list(Territory.objects.filter(slug__in=PORTALS).select_related("site"))
    if len(territories) < 2:
        return None
    from shop.catalogue.scoping import offered_in

    services = offered_in(territories[0]).filter(structure="standalone")
    services = services.filter(pk__in=offered_in(territories[1]).values("pk")).order_by("title")
    grant_templates()
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    campaign = Campaign.objects.create(
        name=NAME,
        slug="natale",
        goal="Più servizi regalati a Natale sui portali di Sondrio e Cremona.",
        starts_at=today - timedelta(days=3),
        ends_at=today + timedelta(days=40),
        template_page=_template(),
        discount=Campaign.Discount.CODES,
    )
    campaign.territories.set(territories)
    set_discount(campaign, PERCENTAGE, Decimal("10"), list(services[:4]))
    generate_codes(campaign, CODES)
    create_landing_pages(campaign)
    # a few days of visits, for the results page's chart
    for landing in campaign.landings.all():
        for days_ago, count in ((3, 12), (2, 30), (1, 21)):
            LandingVisit.objects.get_or_create(
                page_id=landing.page_id,
                day=(today - timedelta(days=days_ago)).date(),
                defaults={"count": count},
            )
    return campaign
