"""Subscribers, their consents, newsletter issues (Wagtail pages) and the sends of an issue.

A subscription exists only once confirmed (double opt-in): the unconfirmed request lives in
the signed link alone (``subscriptions.py``), so a mistyped or someone else's address leaves
no row behind. A send is one row per recipient (:class:`Delivery`), claimed under a row lock
in batches under a lease (``sending.py``), so a worker killed half way is resumed without
sending twice.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from shop.catalogue.facets import AUDIENCE, decode


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(models.Model):
    """A confirmed address on one portal, with what it wants to hear about."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail"))
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="subscribers"
    )
    language = models.CharField(_("language"), max_length=8)
    # the catalogue's audiences, stored as the products store them (",children,elderly,")
    interests = models.CharField(_("interests"), max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # part of every signed link: a new key makes every old preferences or unsubscribe link void
    key = models.CharField(max_length=32, default=new_key)
    confirmed_at = models.DateTimeField()
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "territory"], name="one_subscription_a_portal")
        ]
        indexes = [models.Index(fields=["territory", "status", "language"])]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return f"{self.email} ({self.territory_id})"

    def interest_codes(self) -> list[str]:
        return [c for c in decode(self.interests) if c in AUDIENCE.choices]

    def interest_labels(self) -> list[str]:
        return AUDIENCE.labels(self.interests)


class Consent(models.Model):
    """What a person agreed to, when and where: kept after an unsubscription (it is the proof
    that every e-mail sent before it was wanted)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    text_version = models.CharField(max_length=32)
    given_at = models.DateTimeField()
    # the moment the request was made (the form) and the confirmation (the link)
    requested_at = models.DateTimeField()

    class Meta:
        verbose_name = _("consent")

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.text_version} {self.given_at:%Y-%m-%d}"


class IssueBodyBlock(blocks.StreamBlock):
    """What an e-mail can carry: headings, text with links, a button. No images: many mail
    programs hide them, and the text must say everything on its own."""

    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    button = blocks.StructBlock(
        [
            ("label", blocks.CharBlock(label=_("Link label"))),
            ("url", blocks.URLBlock(label=_("Address"))),
        ],
        label=_("Button"),
        icon="link",
    )


class NewsletterIndexPage(Page):
    """The one archive of newsletter issues, shared by every portal and outside their trees:
    communications staff write issues here and nowhere else (the generator makes it)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["newsletters.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("newsletter archive")


class NewsletterIssuePage(Page):
    """One newsletter issue: written and previewed in the admin like a page, sent as an
    accessible HTML and plain-text e-mail to a segment of subscribers (``sending.py``)."""

    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list[str] = []

    subject = models.CharField(_("e-mail subject"), max_length=150)
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(IssueBodyBlock(), blank=True, verbose_name=_("body"))
    campaign_tag = models.SlugField(
        _("campaign tag"),
        max_length=60,
        help_text=_("Added to every link of the e-mail (utm_campaign), to count its visits."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("subject"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("campaign_tag"),
    ]

    template = "newsletters/email/issue.html"

    class Meta:
        verbose_name = _("newsletter issue")

    def get_preview_template(self, request, mode_name):
        return "newsletters/email/issue_preview.html"

    def get_preview_context(self, request, mode_name):
        territory = getattr(request, "territory", None)
        context = super().get_preview_context(request, mode_name)
        context["preview_portal"] = territory.name if territory else settings.WAGTAIL_SITE_NAME
        return context


class Send(models.Model):
    """One sending of an issue to a segment: the segment as it was chosen, and its progress."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.PROTECT, related_name="sends")
    territories = models.ManyToManyField("territories.Territory", related_name="+")
    interests = models.CharField(max_length=200, blank=True)  # empty: every interest
    language = models.CharField(max_length=8, blank=True)  # empty: every language
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENDING)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the confirmation form's one-time token: a double submit makes one send
    request_token = models.CharField(max_length=40, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter send")

    def __str__(self) -> str:
        return f"{self.issue_id} {self.created_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One recipient of a send. Pending until a worker claims it with a batch (``claim``, a
    lease that lapses at ``claimed_at`` + ``PORTAL_NEWSLETTER_LEASE`` unless renewed); sent
    as soon as its e-mail has been handed to the mail server."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")  # unsubscribed or paused after the send was made

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    # the batch that holds the row, and when its lease was last renewed
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "subscriber"], name="one_delivery_a_subscriber")
        ]
        indexes = [models.Index(fields=["send", "state"])]

    def __str__(self) -> str:
        return f"{self.send_id}/{self.subscriber_id} {self.state}"
