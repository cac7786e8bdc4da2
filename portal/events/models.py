"""Webinars and events of a portal's cooperatives, and the people who sign up for them.

A webinar is a page (editors write it like any other page); a registration is a row that
belongs to the webinar page in the portal's default language, so the Italian, English and
German pages of one webinar share their seats and their waiting list.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.content.models import BasePage


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    NETWORK = "network", _("Members of the cooperatives' network only")


class WebinarPage(BasePage):
    """One webinar or online event: when, who speaks, how many seats, who may sign up.

    It exists so that cooperative editors can announce a meeting and let people register
    without leaving the portal. The online link is private: it reaches registered people
    by e-mail and in their account, never the public page. When the seats are taken,
    further registrations join a waiting list, and a cancelled seat goes to the first in it.
    """

    starts_at = models.DateTimeField(
        _("starts at"), help_text=_("Date and time, Italian time (Europe/Rome).")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5)]
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_("When they are taken, further registrations go to a waiting list."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        help_text=_(
            "The meeting address. Sent only to registered people (e-mail and account page), "
            "never shown on the public page."
        ),
    )
    recording_url = models.URLField(
        _("recording"), blank=True, help_text=_("Where to watch it again, once it is over.")
    )

    content_panels = BasePage.content_panels[:1] + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration_minutes")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("audience")]),
                FieldPanel("online_link"),
                FieldPanel("recording_url"),
            ],
            heading=_("Event"),
        ),
        InlinePanel("speakers", label=_("Speakers")),
        *BasePage.content_panels[1:],
    ]
    parent_page_types = ["content.WebinarIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_network_only(self) -> bool:
        return self.audience == Audience.NETWORK

    def serve(self, request, *args, **kwargs):
        from .views import serve_webinar

        return serve_webinar(self, request, *args, **kwargs)


class WebinarSpeaker(Orderable):
    """Someone who speaks at a webinar, in the order the editor gives."""

    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A person signed up for a webinar: with a seat, on the waiting list, or cancelled.

    One live registration per e-mail and webinar (a database constraint: a double click or
    two browser tabs cannot make two). A cancelled registration frees the e-mail again.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webinar_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    language = models.CharField(_("language"), max_length=10, default="it")
    consent_at = models.DateTimeField(_("privacy consent given at"))
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webinar registration")
        verbose_name_plural = _("webinar registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "email"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.webinar_id} ({self.status})"


class Network(models.Model):
    """The group of a territory's cooperatives' network: who may join network-only webinars.

    Made by the generator for every territory (one group each); the cooperatives' editors
    are members, and administrators add other people in the admin's Groups.
    """

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="network"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="network_of")

    class Meta:
        verbose_name = _("cooperatives' network")

    def __str__(self) -> str:
        return self.group.name
