"""Page types of a territory's portal. The generator builds one tree per language:

home → services (→ service pages), news (→ articles), webinars, reading tips, about,
contacts (→ forms), privacy, accessibility.
"""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.mail import send_mail
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.defaults import setting

from .blocks import BodyBlock, CampaignBlock, running_campaign

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
        from shop.catalogue.listing import ListingFilter, listing_page

        context = super().get_context(request, *args, **kwargs)
        territory = getattr(request, "territory", None)
        featured = listing_page(territory, ListingFilter(), limit=FEATURED_SERVICES, order="newest")
        context["featured_services"] = featured.cards
        context["latest_news"] = latest_news(self, LATEST_NEWS)
        context["campaign"] = running_campaign(self.campaign, timezone.now())
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
        context["services"] = listing_page(territory, ListingFilter(), limit=None).cards
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
        # a product this territory does not offer (any more) shows as "not available here"
        context["product"] = (
            offered_in(territory).filter(pk=self.product_id).first() if self.product_id else None
        )
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
        articles = self.articles()
        tag = request.GET.get("tag", "").strip()
        category = None
        categories = list(
            NewsCategory.objects.filter(
                locale_id=self.locale_id,
                translation_key__in=articles.values("category__translation_key"),
            )
        )
        slug = request.GET.get("category", "").strip()
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
        context.update(
            articles=paginator.get_page(request.GET.get("page")),
            categories=categories,
            tags=news_tags(self.articles()),
            current_tag=tag,
            current_category=category if category else slug,
            filtered=bool(tag or slug),
        )
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

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


HONEYPOT_FIELD = "website"


# Words of a field's name (it, en, de) -> the autocomplete token of what it holds (WCAG 1.3.5).
_PHONE_WORDS = {"telefono", "cellulare", "phone", "telephone", "mobile", "telefon", "handy"}
_FAMILY_NAME_WORDS = {"cognome", "surname", "nachname"}
_GIVEN_NAME_WORDS = {"nome", "name", "vorname"}


def autocomplete_token(clean_name: str, field: forms.Field) -> str | None:
    """The ``autocomplete`` token for an editor-built field, guessed from its type and name
    ("Nome e cognome" -> name, "Telefono" -> tel), or None when it asks for no personal data."""
    words = set(clean_name.lower().split("_"))
    if isinstance(field, forms.EmailField) or words & {"email", "mail"}:
        return "email"
    if not isinstance(field.widget, forms.TextInput):
        return None
    if words & _PHONE_WORDS:
        return "tel"
    family, given = bool(words & _FAMILY_NAME_WORDS), bool(words & _GIVEN_NAME_WORDS)
    if (family and given) or words & {"full", "nominativo"}:
        return "name"
    if family:
        return "family-name"
    if given:
        return "name" if words & {"name"} else "given-name"
    return None


class SpamSafeForm(BaseForm):
    """A form with a honeypot: a field hidden from people, which robots fill in. Fields that
    ask for personal data say so to the browser (``autocomplete``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            token = autocomplete_token(name, field)
            if token:
                field.widget.attrs.setdefault("autocomplete", token)
                if token == "tel":
                    field.widget.input_type = "tel"
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Leave this field empty: it catches automated spam."))
        return ""


class SpamSafeFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("PortalForm", (SpamSafeForm,), self.formfields)


class FormField(TranslatableMixin, AbstractFormField):
    """A field of a form page; translatable, so each language's form has its own labels."""

    page = ParentalKey("content.FormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        pass


class FormPage(AbstractEmailForm):
    """A form editors build themselves (contacts, a request for information…).

    Each answer is kept in the admin and e-mailed to the address written on the page, or,
    when none is, to the portal's contact address. A hidden field turns robots away.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"]
    )
    form_builder = SpamSafeFormBuilder

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("form page")

    def recipients(self) -> list[str]:
        """The page's own addresses, else the portal's contact e-mail."""
        from portal.territories.models import PortalSettings

        addresses = [a.strip() for a in (self.to_address or "").split(",") if a.strip()]
        if addresses:
            return addresses
        site = self.get_site()
        email = PortalSettings.for_site(site).email if site else ""
        return [email] if email else []

    def process_form_submission(self, form):
        form.cleaned_data.pop(HONEYPOT_FIELD, None)
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        recipients = self.recipients()
        if recipients:
            subject = self.subject or gettext("New answer to “%(form)s”") % {"form": self.title}
            send_mail(subject, self.render_email(form), recipients, self.from_address or None)
        return submission
