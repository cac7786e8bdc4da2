"""A Territory is one portal: a Wagtail Site plus what the spec in sites/ says about it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Territory(models.Model):
    """One local welfare portal. Written by the generator from ``sites/<slug>.toml``.

    The fields here belong to the spec: every ``portal build`` brings them in line with it.
    What editors own (pages, contact settings) lives in Wagtail and is never overwritten.
    """

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    site = models.OneToOneField(
        "wagtailcore.Site", on_delete=models.PROTECT, related_name="territory"
    )
    hostnames = models.JSONField(_("host names"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    municipalities = models.JSONField(_("municipalities"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=60)
    palette = models.JSONField(_("palette"), default=dict, blank=True)
    collection = models.ForeignKey(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+", null=True
    )
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="edited_territory", null=True
    )
    moderators = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="moderated_territory", null=True
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "it"


class SeedRecord(models.Model):
    """What the generator last wrote into an editor-owned field.

    On a rebuild a field is updated only while it still holds the value we seeded: once an
    editor changes it, it is theirs. An object that was seeded and then deleted stays deleted.
    """

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField(null=True)

    def __str__(self) -> str:
        return self.key


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The portal's contact details and footer, seeded from the spec, then owned by editors."""

    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    footer_note = models.TextField(_("footer note"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("address"), FieldPanel("hours")],
            heading=_("Contacts"),
        ),
        FieldPanel("footer_note"),
    ]

    class Meta:
        verbose_name = _("portal settings")


class TerritoryHost(models.Model):
    """A host name a territory answers on. Unique: two portals can never share a host."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="hosts")
    hostname = models.CharField(_("host name"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("host name")
        ordering = ["hostname"]

    def __str__(self) -> str:
        return self.hostname
