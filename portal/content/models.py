"""Page types of a territory's portal. The generator builds one tree per language:

home → services, news, webinars, reading tips, about, contacts, privacy, accessibility.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock

FEATURED_SERVICES = 6


class BasePage(Page):
    """Fields every portal page shares: an introduction and a body of shared blocks."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True


class HomePage(BasePage):
    """The portal's front page: why the portal exists, featured services with live prices."""

    hero_title = models.CharField(_("hero title"), max_length=160, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)

    content_panels = BasePage.content_panels[:1] + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        *BasePage.content_panels[1:],
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.ServiceIndexPage",
        "content.NewsIndexPage",
        "content.WebinarIndexPage",
        "content.ReadingTipIndexPage",
        "content.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from shop.catalogue.scoping import offered_in

        context = super().get_context(request, *args, **kwargs)
        territory = getattr(request, "territory", None)
        context["featured_services"] = offered_in(territory).order_by("-date_updated", "pk")[
            :FEATURED_SERVICES
        ]
        return context


class ServiceIndexPage(BasePage):
    """Editorial entry to the shop: explains how services work and lists them by category."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("services index")

    def get_context(self, request, *args, **kwargs):
        from shop.catalogue.scoping import offered_in

        context = super().get_context(request, *args, **kwargs)
        context["services"] = offered_in(getattr(request, "territory", None)).order_by("title")
        return context


class NewsIndexPage(BasePage):
    """The portal's news section. News articles arrive with the editorial issue."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")


class WebinarIndexPage(BasePage):
    """Webinars and events of the portal's cooperatives."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("webinar index")


class ReadingTipIndexPage(BasePage):
    """The local bookshop's reading tips."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("reading tips index")


class StandardPage(BasePage):
    """A plain page: about, contacts, privacy policy, accessibility statement and the like."""

    parent_page_types = [
        "content.HomePage",
        "content.ServiceIndexPage",
        "content.NewsIndexPage",
        "content.WebinarIndexPage",
        "content.ReadingTipIndexPage",
        "content.StandardPage",
    ]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
