"""The portal's page types (home, services, news, webinars, reading tips, standard pages)."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from oscar.core.loading import get_model
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.defaults import setting
from portal.territories import generations

from ..blocks import BodyBlock, CampaignBlock, running_campaign
from ..lazy import lazy, lazy_context

StockRecord = get_model("partner", "StockRecord")

FEATURED_SERVICES = 6
LATEST_NEWS = 3
NEWS_IMAGE_CARD = "fill-640x320"  # the rendition of an article's image on cards and in feeds


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
    campaign = StreamField(
        [("campaign", CampaignBlock())],
        blank=True,
        max_num=1,
        verbose_name=_("running campaign"),
        help_text=_("Shown on the home page between its dates only."),
    )

    content_panels = BasePage.content_panels[:1] + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("campaign"),
        *BasePage.content_panels[1:],
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.ServiceIndexPage",
        "content.NewsIndexPage",
        "content.WebinarIndexPage",
        "content.ReadingTipIndexPage",
        "content.StandardPage",
        "content.FormPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from shop.catalogue.listing import featured_services

        context = super().get_context(request, *args, **kwargs)
        territory = getattr(request, "territory", None)
        # read only when the page's fragment is rendered (home_page.html, portal/content/lazy.py)
        context["featured_services"] = lazy(lambda: featured_services(territory, FEATURED_SERVICES))
        context["latest_news"] = lazy(lambda: latest_news(self, LATEST_NEWS))
        # the editors' own campaign block first, else a campaign of portal/campaigns
        from portal.campaigns.announcements import running_announcement

        now = timezone.now()
        context["campaign"] = running_campaign(self.campaign, now) or running_announcement(
            territory, now
        )
        return context


class ServiceIndexPage(BasePage):
    """Editorial entry to the shop: explains how services work and lists them by category."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ServicePage", "content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("services index")

    def get_context(self, request, *args, **kwargs):
        from shop.catalogue.listing import ListingFilter, listing_page

        context = super().get_context(request, *args, **kwargs)
        territory = getattr(request, "territory", None)
        context["services"] = lazy(
            lambda: listing_page(territory, ListingFilter(), limit=None).cards
        )
        context["stories"] = ServicePage.objects.child_of(self).live().order_by("title")
        return context


class ServicePageForm(WagtailAdminPageForm):
    """Offers only the services the page's own territory sells in the product choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.territories.resolution import territory_of_page
        from shop.catalogue.scoping import offered_in

        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if "product" in self.fields and parent is not None:
            territory = territory_of_page(parent)
            self.fields["product"].queryset = offered_in(territory).order_by("title")


class ServicePage(BasePage):
    """The story of one service, told by its cooperative, with the shop's live price.

    The catalogue says what a service is; this page says why it matters here, who does it
    and how it went for the families. Price and "add to basket" come from the shop for the
    request's territory, so they are never copied into the page and never go stale.
    """

    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("service in the shop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The service this page tells about; its price comes from the shop."),
    )

    content_panels = BasePage.content_panels[:1] + [
        FieldPanel("product"),
        *BasePage.content_panels[1:],
    ]
    base_form_class = ServicePageForm
    parent_page_types = ["content.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("service page")

    def get_context(self, request, *args, **kwargs):
        from shop.catalogue.scoping import offered_in

        context = super().get_context(request, *args, **kwargs)
        territory = getattr(request, "territory", None)

        def product():
            # a product this territory does not offer (any more) shows as "not available
            # here"; its offers and their cooperatives come with it, for the buy box
            return (
                offered_in(territory)
                .filter(pk=self.product_id)
                .prefetch_related(
                    models.Prefetch(
                        "stockrecords",
                        queryset=StockRecord.objects.filter(territory=territory).select_related(
                            "partner"
                        ),
                    )
                )
                .first()
            )

        def kept_product():
            found = product()
            if found is not None:
                found.has_options  # noqa: B018 (asked by the basket form: kept with it)
            return found

        if self.product_id and territory is not None:
            # kept with the portal's generation: saving an offer or the product bumps it
            context["product"] = generations.remembered(
                "service-product", territory.pk, (self.product_id,), kept_product
            )
        else:
            context["product"] = None
        return context


@register_snippet
class NewsCategory(TranslatableMixin, models.Model):
    """A topic news are filed under ("Services", "Cooperatives"…), shared by every portal.

    Translatable, so that the English index lists "Services" where the Italian one lists
    "Servizi"; an article's translation points to the category's translation.
    """

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_news_category_slug")
        ]

    def __str__(self) -> str:
        return self.name


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def latest_news(home: Page, count: int) -> list["NewsPage"]:
    """The ``count`` newest live articles under ``home``: two queries, however many exist."""
    return list(news_listing(NewsPage.objects.live().descendant_of(home))[:count])


def news_listing(articles: models.QuerySet) -> models.QuerySet:
    """Articles newest first, with what a card shows fetched up front (no query per card)."""
    Image = get_image_model()
    return (
        articles.order_by("-date", "-pk")
        .select_related("category", "image")
        .prefetch_related(
            models.Prefetch(
                "image__renditions",
                queryset=Image.get_rendition_model().objects.filter(filter_spec=NEWS_IMAGE_CARD),
            ),
        )
    )


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The portal's news: a paginated list filtered by tag or category, and its feeds.

    The RSS and Atom feeds hang off this page (``feed/rss/``, ``feed/atom/``), so each portal
    and each language has its own, listing only the articles below it.
    """

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.NewsPage", "content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def articles(self) -> models.QuerySet:
        return NewsPage.objects.live().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()
        slug = request.GET.get("category", "").strip()
        number = request.GET.get("page", "")
        known = self.filter_choices(request)
        # the list's fragment is kept per filter and page asked for, validated (an unknown tag
        # or category lists nothing; a page that is not a number is the first, one past the
        # last page of all articles the last): never the query string itself, so made-up
        # values cannot fill the cache
        context["news_key"] = "|".join(
            [
                tag if tag in known["tags"] else ("?" if tag else ""),
                slug if slug in known["categories"] else ("?" if slug else ""),
                str(min(int(number), known["pages"])) if number.isdigit() else "",
            ]
        )
        names = ("articles", "categories", "tags", "current_tag", "current_category", "filtered")
        context.update(lazy_context(lambda: self.news_context(tag, slug, number), names))
        return context

    def filter_choices(self, request) -> dict:
        """The tags' and categories' slugs that its articles use, and the number of pages of
        all its articles: kept with the generation."""
        territory = getattr(request, "territory", None)

        def compute() -> dict:
            per_page = setting("PORTAL_NEWS_PER_PAGE")
            return {
                "tags": frozenset(tag.slug for tag in news_tags(self.articles())),
                "categories": frozenset(category.slug for category in self.categories()),
                "pages": max(1, -(-self.articles().count() // per_page)),
            }

        if territory is None:
            return compute()
        return generations.remembered("news-filters", territory.pk, (self.pk,), compute)

    def categories(self) -> list["NewsCategory"]:
        return list(
            NewsCategory.objects.filter(
                locale_id=self.locale_id,
                translation_key__in=self.articles().values("category__translation_key"),
            )
        )

    def news_context(self, tag: str, slug: str, number: str) -> dict:
        articles = self.articles()
        category = None
        categories = self.categories()
        if slug:
            category = next((c for c in categories if c.slug == slug), None)
            articles = (
                articles.filter(category__translation_key=category.translation_key)
                if category
                else articles.none()
            )
        if tag:
            articles = articles.filter(tags__slug=tag).distinct()
        paginator = Paginator(news_listing(articles), setting("PORTAL_NEWS_PER_PAGE"))
        return {
            "articles": paginator.get_page(number),
            "categories": categories,
            "tags": news_tags(self.articles()),
            "current_tag": tag,
            "current_category": category if category else slug,
            "filtered": bool(tag or slug),
        }

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from ..feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from ..feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


def news_tags(articles: models.QuerySet) -> list[Tag]:
    """The tags used by ``articles``, by name: one query."""
    return list(
        Tag.objects.filter(content_newspagetag_items__content_object__in=articles.values("pk"))
        .distinct()
        .order_by("name")
    )


class NewsPage(Page):
    """One news article: a lead, a body, an image, who wrote it and when.

    Lives under the news index only; the home page shows the newest three and the feeds
    carry them to readers' apps.
    """

    date = models.DateField(_("date"), default=timezone.localdate)
    lead = models.TextField(
        _("lead"), max_length=400, help_text=_("One or two sentences, shown on cards and feeds.")
    )
    author = models.CharField(_("author"), max_length=120, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; empty if decorative."),
    )
    category = models.ForeignKey(
        NewsCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
                FieldPanel("category"),
                FieldPanel("tags"),
            ],
            heading=_("About the article"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
    ]
    parent_page_types = ["content.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")


class WebinarIndexPage(BasePage):
    """Webinars and events of the portal's cooperatives."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["events.WebinarPage", "content.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("webinar index")


class ReadingTipIndexPage(BasePage):
    """The local bookshop's reading tips."""

    parent_page_types = ["content.HomePage"]
    subpage_types = ["bookshop.ReadingTipPage", "content.StandardPage"]
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
    subpage_types = ["content.StandardPage", "content.FormPage"]

    class Meta:
        verbose_name = _("standard page")
