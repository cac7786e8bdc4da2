"""Campaigns, their landing pages (Wagtail pages) and what is counted of them.

Nothing here names a person: a landing page's visits are one number a day, an arrival from
a landing page is kept on the basket (not the visitor), an attributed order keeps its
amount and the portal it was placed on.
"""

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.content.models.pages import BasePage


class CampaignTemplateIndexPage(Page):
    """The one folder of landing page templates, outside every portal's tree: communications
    staff write a campaign's landing page here once, and the campaign copies it to each portal
    it runs on (the generator makes it)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["campaigns.CampaignLandingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("campaign templates")


class CampaignLandingPage(BasePage):
    """A campaign's page on one portal: copied from the campaign's template, then edited by
    that portal's editors; published at the campaign's start and unpublished at its end by
    Wagtail's scheduled publishing. Its visits are counted on the server, one number a day."""

    # made by copying the template (scheduling.py), never added by hand under a home page
    parent_page_types = ["campaigns.CampaignTemplateIndexPage", "content.HomePage"]
    subpage_types: list[str] = []

    template = "campaigns/campaign_landing_page.html"

    class Meta:
        verbose_name = _("campaign landing page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .offers import discounted_services

        context = super().get_context(request, *args, **kwargs)
        context["discounted_services"] = discounted_services(
            self, getattr(request, "territory", None)
        )
        return context

    def serve(self, request: HttpRequest, *args, **kwargs):
        from .attribution import remember_arrival
        from .visits import count_visit

        if request.method == "GET" and self.live:
            count_visit(self)
            remember_arrival(request, self)
        response = super().serve(request, *args, **kwargs)
        # every visit reaches the server to be counted: no shared cache keeps this page
        patch_cache_control(response, private=True, no_cache=True)
        return response


class Campaign(models.Model):
    """Communications work across portals: its goal, portals and dates tie together a landing
    page on each portal, optionally a shop offer or a batch of single-use codes, and
    newsletter issues."""

    class Discount(models.TextChoices):
        NONE = "", _("No discount")
        OFFER = "offer", _("An offer on chosen services")
        CODES = "codes", _("Single-use codes")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("address of the landing pages"),
        max_length=60,
        help_text=_("The landing page's address on every portal, e.g. natale-2026."),
    )
    goal = models.TextField(_("goal"))
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("portals"), related_name="campaigns"
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    template_page = models.ForeignKey(
        CampaignLandingPage,
        verbose_name=_("landing page template"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    discount = models.CharField(
        _("discount"), max_length=8, choices=Discount.choices, blank=True, default=""
    )
    # the Oscar offer (a site offer, or the offer of the codes) and the codes' batch
    offer = models.OneToOneField(
        "offer.ConditionalOffer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign",
    )
    voucher_set = models.OneToOneField(
        "voucher.VoucherSet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign",
    )
    issues = models.ManyToManyField(
        "newsletters.NewsletterIssuePage",
        blank=True,
        verbose_name=_("newsletter issues"),
        related_name="campaigns",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class LandingPage(models.Model):
    """Which landing page is a campaign's on which portal."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="landings")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    page = models.OneToOneField(
        CampaignLandingPage, on_delete=models.CASCADE, related_name="landing"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "territory"], name="one_landing_page_a_portal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} @ {self.territory_id}"


class LandingVisit(models.Model):
    """The visits of a landing page on one day: a number, nothing about who."""

    page = models.ForeignKey(CampaignLandingPage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="one_visit_count_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.count}"


class Arrival(models.Model):
    """A basket filled after arriving from a campaign's landing page (within the session)."""

    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.basket_id} → {self.campaign_id}"


class Attribution(models.Model):
    """An order the campaign brought: by its code, its offer or its landing page."""

    class Via(models.TextChoices):
        CODE = "code", _("code")
        OFFER = "offer", _("offer")
        LANDING = "landing", _("landing page")

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attributions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    via = models.CharField(max_length=8, choices=Via.choices)
    revenue = models.DecimalField(max_digits=12, decimal_places=2)
    placed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["campaign", "territory"])]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.campaign_id} ({self.via})"
