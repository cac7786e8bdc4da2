"""Orders a campaign brought, without following anyone.

An order counts for a campaign when it used the campaign's code or offer, or when its basket
was filled after arriving from the campaign's landing page in the same session: the landing
page notes the campaign in a session the visitor already has, and a request whose referring
page is a landing page of this portal notes it too (``LandingArrivalMiddleware``); the
basket then keeps it (:class:`Arrival`), as the order may be placed later by a payment
webhook that has no session. Nothing is kept about the visitor.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from oscar.apps.basket.signals import basket_addition
from oscar.apps.order.signals import order_placed

from portal.territories.generations import remembered

from .models import Arrival, Attribution, Campaign, CampaignLandingPage, LandingPage

SESSION_KEY = "campaign_arrival"


def remember_arrival(request: HttpRequest, page: CampaignLandingPage) -> None:
    """On a landing page: note its campaign in the visitor's session, if they have one (a
    landing page never starts a session, nor sets a cookie)."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    campaign_id = (
        LandingPage.objects.filter(page=page).values_list("campaign_id", flat=True).first()
    )
    if campaign_id and session.get(SESSION_KEY) != campaign_id:
        session[SESSION_KEY] = campaign_id


def landing_paths(territory_id: int) -> dict[str, int]:
    """The live landing pages of a portal: their path on the site → their campaign."""

    def compute() -> dict[str, int]:
        paths = {}
        for landing in LandingPage.objects.filter(
            territory_id=territory_id, page__live=True
        ).select_related("page"):
            parts = landing.page.get_url_parts()
            if parts:
                paths[parts[2]] = landing.campaign_id
        return paths

    return remembered("campaign-landings", territory_id, (), compute)


class LandingArrivalMiddleware:
    """A request referred by one of this portal's landing pages notes the page's campaign in
    the session (the next step of a visitor who clicked on from the landing page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        referer = request.META.get("HTTP_REFERER")
        territory = getattr(request, "territory", None)
        if referer and territory is not None and hasattr(request, "session"):
            parts = urlsplit(referer)
            if parts.netloc == request.get_host() and parts.path != request.path:
                campaign_id = landing_paths(territory.pk).get(parts.path)
                if campaign_id and request.session.get(SESSION_KEY) != campaign_id:
                    request.session[SESSION_KEY] = campaign_id
        return self.get_response(request)


@receiver(basket_addition, dispatch_uid="campaigns.basket_arrival")
def on_basket_addition(sender, product, user, request=None, **kwargs):
    campaign_id = request.session.get(SESSION_KEY) if request is not None else None
    basket = getattr(request, "basket", None)
    if not campaign_id or basket is None or basket.pk is None:
        return
    running = Campaign.objects.filter(
        pk=campaign_id,
        territories=basket.territory_id,
        starts_at__lte=timezone.now(),
        ends_at__gt=timezone.now(),
    ).exists()
    if running:
        Arrival.objects.update_or_create(basket_id=basket.pk, defaults={"campaign_id": campaign_id})


def attribute(order) -> Attribution | None:
    """The campaign that brought ``order`` (its code, its offer, or an arrival from its
    landing page, in that order), recorded. One query for an order no campaign brought."""
    from oscar.core.loading import get_model

    discounts = get_model("order", "OrderDiscount").objects.filter(order_id=order.pk)
    arrivals = Arrival.objects.filter(basket_id=order.basket_id).values("campaign_id")
    campaign = (
        Campaign.objects.filter(
            Q(voucher_set__vouchers__in=discounts.values("voucher_id"))
            | Q(offer__in=discounts.values("offer_id"))
            | Q(pk__in=arrivals)
        )
        .annotate(
            by_code=Exists(
                get_model("voucher", "Voucher").objects.filter(
                    voucher_set=OuterRef("voucher_set"), pk__in=discounts.values("voucher_id")
                )
            ),
            by_offer=Exists(discounts.filter(offer_id=OuterRef("offer_id"))),
        )
        .order_by("-by_code", "-by_offer", "pk")
        .first()
    )
    if campaign is None or order.territory_id is None:
        return None
    if campaign.by_code or (campaign.by_offer and campaign.voucher_set_id):
        via = Attribution.Via.CODE
    else:
        via = Attribution.Via.OFFER if campaign.by_offer else Attribution.Via.LANDING
    attribution, _created = Attribution.objects.get_or_create(
        order=order,
        defaults={
            "campaign": campaign,
            "territory_id": order.territory_id,
            "via": via,
            "revenue": order.total_incl_tax,
            "placed_at": order.date_placed,
        },
    )
    return attribution


@receiver(order_placed, dispatch_uid="campaigns.attribute_order")
def on_order_placed(sender, order, **kwargs):
    attribute(order)  # in the order's own transaction: rolled back with it
