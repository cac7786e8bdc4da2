"""Income bands, the reductions they give, Social Points, and the citizens' verified bands.

A territory's :class:`IncomeBand` rows, :class:`Reduction` rows and :class:`SocialPoint` rows
are seeded by the generator from the spec (``[[income_bands]]``, ``[[reductions]]``,
``[[social_points]]``), never overwriting what an administrator changed. A welfare manager
sets a citizen's :class:`CitizenBand` after seeing the document (an ISEE certificate) at a
Social Point; every change is a :class:`BandChange` row. The raw ISEE figure is never
stored: there is no field for it, and the free-text reference refuses anything that looks
like an amount (portal/welfare/bands.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeBand(models.Model):
    """A verified eligibility band of a territory (e.g. A, "ISEE fino a 8.000 €")."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="income_bands",
        verbose_name=_("territory"),
    )
    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("territory", "position", "code")
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="welfare_band_code_unique")
        ]
        verbose_name = _("income band")
        verbose_name_plural = _("income bands")

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class Reduction(models.Model):
    """What a band takes off the price of some services, and the programme that pays for it."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="reductions",
        verbose_name=_("territory"),
    )
    band = models.ForeignKey(
        IncomeBand, on_delete=models.CASCADE, related_name="reductions", verbose_name=_("band")
    )
    categories = models.JSONField(
        _("service categories"),
        default=list,
        blank=True,
        help_text=_("Slugs of the catalogue's categories."),
    )
    services = models.JSONField(
        _("services"), default=list, blank=True, help_text=_("References of single services.")
    )
    percent_off = models.PositiveSmallIntegerField(
        _("percentage off"), help_text=_("100: the service is free.")
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="reductions",
        verbose_name=_("paid by the programme"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("territory", "band", "position")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_off__gte=1, percent_off__lte=100),
                name="welfare_reduction_percent_range",
            )
        ]
        verbose_name = _("reduction")
        verbose_name_plural = _("reductions")

    def __str__(self) -> str:
        return f"{self.band.code}: -{self.percent_off}%"

    @property
    def is_free(self) -> bool:
        return self.percent_off == 100


class SocialPoint(models.Model):
    """A physical desk where citizens are helped in person (and their documents seen)."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="social_points",
        verbose_name=_("territory"),
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("territory", "position", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "slug"], name="welfare_social_point_slug_unique"
            )
        ]
        verbose_name = _("Social Point")
        verbose_name_plural = _("Social Points")

    def __str__(self) -> str:
        return self.name


class WelfareOffice(models.Model):
    """The welfare managers' group of a territory, made by the generator."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="welfare_office"
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="welfare_office_of"
    )

    def __str__(self) -> str:
        return self.group.name


class CitizenBand(models.Model):
    """A citizen's verified band in one territory, until it expires (one per territory)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="income_bands",
        verbose_name=_("citizen"),
    )
    band = models.ForeignKey(
        IncomeBand, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("band")
    )
    expires_on = models.DateField(_("valid until"))
    reference = models.CharField(_("document seen"), max_length=200)
    tax_code = models.CharField(_("tax code"), max_length=16, blank=True)
    social_point = models.ForeignKey(
        SocialPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Social Point"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "citizen"], name="welfare_one_band_per_territory"
            )
        ]
        indexes = [models.Index(fields=["territory", "tax_code"])]
        verbose_name = _("verified income band")
        verbose_name_plural = _("verified income bands")

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.band_id}"


class BandChange(models.Model):
    """The audit log: who changed a citizen's band, when, from what to what, on which
    document, at which Social Point. Labels are copied so the log reads the same after a
    band or a Social Point is renamed or deleted."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="income_band_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    old_band = models.CharField(_("from"), max_length=220, blank=True)
    new_band = models.CharField(_("to"), max_length=220, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    reference = models.CharField(_("document seen"), max_length=200, blank=True)
    social_point = models.CharField(_("Social Point"), max_length=200, blank=True)

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name = _("income band change")
        verbose_name_plural = _("income band changes")

    def __str__(self) -> str:
        return f"{self.old_band or '—'} → {self.new_band or '—'}"


class AssistConsent(models.Model):
    """A citizen's consent to be helped by a welfare manager acting on their behalf
    (portal/welfare/assisted.py): which text they agreed to, how, when, with whom, where."""

    class How(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        PHONE = "phone", _("by phone")

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assist_consents"
    )
    text_version = models.CharField(_("text version"), max_length=20)
    how = models.CharField(_("how it was given"), max_length=20, choices=How.choices)
    given_at = models.DateTimeField(_("given at"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    manager_name = models.CharField(_("recorded by"), max_length=200)
    social_point = models.ForeignKey(
        SocialPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    social_point_name = models.CharField(_("Social Point"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ("-given_at", "-pk")
        verbose_name = _("consent to assisted mode")
        verbose_name_plural = _("consents to assisted mode")

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.text_version} ({self.how})"


class AssistedSession(models.Model):
    """A manager acting for a citizen on the territory's portal, for 30 minutes at most."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assisted_sessions"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assisting_sessions"
    )
    consent = models.ForeignKey(AssistConsent, on_delete=models.PROTECT, related_name="sessions")
    social_point = models.ForeignKey(
        SocialPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.manager_id} → {self.citizen_id}"


class AssistedAction(models.Model):
    """One request made while acting for a citizen: both people, the territory, the Social
    Point are copied so the log reads the same after renames. One row per request."""

    class Kind(models.TextChoices):
        START = "start", _("assisted session started")
        STOP = "stop", _("assisted session ended")
        PAGE = "page", _("page seen")
        BASKET = "basket", _("basket changed")
        ORDER = "order", _("order placed")
        APPLICATION = "application", _("application filed")
        PAYMENT_LINK = "payment_link", _("payment link sent")
        REFUSED = "refused", _("action refused")
        OTHER = "other", _("form sent")

    session = models.ForeignKey(AssistedSession, on_delete=models.CASCADE, related_name="actions")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assisted_actions"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    manager_name = models.CharField(_("by"), max_length=200)
    social_point_name = models.CharField(_("Social Point"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    path = models.CharField(_("page"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["territory", "citizen", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"
