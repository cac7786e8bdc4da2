"""Welfare programmes: a municipality's call, the residents' applications, their history.

A :class:`Programme` belongs to one territory and owns a budget account on the ledger; an
approved :class:`Application` is paid by a ledger transfer from that account into the
applicant's :class:`Wallet` for the programme, once. Nothing here keeps a second balance:
what is left, granted and spent is read from the ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.ledger.models import MONEY

from .storage import private_storage


class Programme(models.Model):
    """A call for applications: buoni spesa credited to a wallet, or a grant towards services.

    Seeded by the generator from the spec's ``[[programmes]]`` (never overwriting what
    officers changed in the admin) or created by officers themselves.
    """

    class Kind(models.TextChoices):
        VOUCHERS = "vouchers", _("shopping vouchers")
        GRANT = "grant", _("grant")

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("territory"),
    )
    slug = models.SlugField(_("slug"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    budget = models.DecimalField(
        _("budget"), help_text=_("The whole budget, in euros, funded on the ledger."), **MONEY
    )
    budget_account = models.OneToOneField(
        "ledger.Account",
        on_delete=models.PROTECT,
        related_name="programme",
        verbose_name=_("budget account"),
        editable=False,
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    amounts = models.JSONField(
        _("amount by household size"),
        default=dict,
        help_text=_(
            'Euros by number of people, e.g. {"1": "150.00", "2": "250.00", "4": "400.00"}: '
            "the largest size listed applies to larger households too."
        ),
    )
    cooperatives = models.ManyToManyField(
        "partner.Partner",
        blank=True,
        related_name="programmes",
        verbose_name=_("eligible cooperatives"),
    )
    categories = models.JSONField(
        _("eligible service categories"),
        default=list,
        blank=True,
        help_text=_("Slugs of the catalogue's categories; empty: any category."),
    )
    credit_expires_on = models.DateField(_("credit expires on"), null=True, blank=True)
    municipalities = models.JSONField(_("municipalities covered"), default=list)
    questions = models.JSONField(
        _("questions"),
        default=list,
        blank=True,
        help_text=_("Further questions of the form: a list of {key, label, type, choices}."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "slug"], name="programmes_one_slug_per_territory"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="programmes_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def credit_expired(self, today=None) -> bool:
        """True once the day the credit may last be spent on has passed."""
        today = today or timezone.localdate()
        return self.credit_expires_on is not None and today > self.credit_expires_on

    def amount_for(self, household_size: int) -> Decimal | None:
        """The amount the rules grant a household of ``household_size``, or None."""
        sizes = sorted((int(k), Decimal(v)) for k, v in (self.amounts or {}).items())
        fitting = [amount for size, amount in sizes if size <= household_size]
        return fitting[-1] if fitting else None


class ProtocolCounter(models.Model):
    """The last protocol number given in a territory in a year; incremented under a row lock."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "year"], name="programmes_one_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.year}: {self.last}"


class Application(models.Model):
    """A resident's request to a programme: answers, attachments, status, protocol number."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        IN_REVIEW = "in_review", _("in review")
        MORE_INFO = "more_info", _("more information requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("on paper, at the office")
        ASSISTED = "assisted", _("by a welfare manager, on the citizen's behalf")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("programme"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="programme_applications",
        verbose_name=_("applicant"),
    )
    household_key = models.CharField(
        _("household"),
        max_length=64,
        help_text=_("The household's tax code, upper case: one application per household."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    income_band = models.CharField(_("declared income band"), max_length=40, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    protocol = models.CharField(
        _("protocol number"), max_length=60, unique=True, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10, default="it")
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    transfer = models.OneToOneField(
        "ledger.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_application",
        verbose_name=_("credit transfer"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "household_key"],
                name="programmes_one_application_per_household",
            ),
            models.UniqueConstraint(
                fields=["programme", "applicant"],
                name="programmes_one_application_per_applicant",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.protocol or _("Draft application %(pk)s") % {"pk": self.pk}

    @property
    def idempotency_key(self) -> str:
        """The key of the one ledger transfer that pays this application."""
        return f"programme-application:{self.pk}:credit"


class ApplicationEvent(models.Model):
    """One step of an application's history: who moved it from what to what, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Application.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application event")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"applications/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S%f}"


class Attachment(models.Model):
    """A private document of an application (an ID, an ISEE certificate).

    Stored in :data:`private_storage`, outside MEDIA_ROOT, under a name that says nothing;
    read only through the application's attachment view, by the applicant or the territory's
    officers.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    label = models.CharField(_("document"), max_length=120)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Wallet(models.Model):
    """A citizen's credit from one programme: a ledger account, spendable as the programme says.

    What it may buy (the programme's cooperatives and categories) and when it expires come
    from the programme; the balance is the ledger account's.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="wallets")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_wallets"
    )
    account = models.OneToOneField(
        "ledger.Account", on_delete=models.PROTECT, related_name="programme_wallet"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expiry_notice_for = models.DateField(
        _("expiry notice sent for"),
        null=True,
        blank=True,
        help_text=_(
            "The credit expiry date the owner was last warned of (portal/programmes/expiry.py)."
        ),
    )

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        ordering = ["programme__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "owner"], name="programmes_one_wallet_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.owner}"


class TerritoryOffice(models.Model):
    """The municipality officers' group of a territory, made by the generator."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="office"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="office_of")

    def __str__(self) -> str:
        return self.group.name


class PaperResident(models.Model):
    """A resident who applies on paper, at the office: a user who cannot sign in.

    The portal's user (with an unusable password and no e-mail) owns the application and the
    wallet as any citizen does, so one household per programme still holds; this row keeps
    what the officer wrote down for the letter. One per tax code and territory.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="paper_resident"
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="paper_residents"
    )
    tax_code = models.CharField(_("tax code"), max_length=16)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200)
    language = models.CharField(_("language of the letter"), max_length=10, default="it")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident applying on paper")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "tax_code"], name="programmes_one_paper_resident_per_code"
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.tax_code


class LetterCode(models.Model):
    """The code printed on an approved paper application's letter, kept only as a digest.

    Printing the letter again issues a new code (this row is rewritten): the earlier letter
    stops working, as a lost card does. Codes are gift voucher codes (shop.giftcards.codes).
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="letter_code"
    )
    code_digest = models.CharField(_("code digest"), max_length=64, unique=True)
    code_last4 = models.CharField(_("last characters of the code"), max_length=4)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter code")

    def __str__(self) -> str:
        return f"…{self.code_last4}"
