"""Employer welfare: companies and bilateral bodies fund credit their employees spend anywhere.

An :class:`Employer` has its admins' group and a funding account on the ledger (filled when
its bank transfer arrives); a :class:`WelfarePlan` per year says how much each employee gets
(flat or by grade) and which art. 51 c. 2 TUIR categories it may buy; each
:class:`Employee`'s credit for a plan is an :class:`EmployeeWallet` (a ledger account). What
is granted, spent and left is read from the ledger; :class:`Spend` rows, written with each
capture or refund, only make the employer's aggregates cheap to read.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.ledger.models import MONEY


class Employer(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        BILATERAL = "bilateral", _("bilateral body")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="employers",
        null=True,
        blank=True,
        verbose_name=_("based in"),
    )
    admins = models.OneToOneField(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="employer",
        verbose_name=_("admins' group"),
        editable=False,
    )
    funding_account = models.OneToOneField(
        "ledger.Account",
        on_delete=models.PROTECT,
        related_name="employer",
        verbose_name=_("funding account"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WelfarePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="plans", verbose_name=_("employer")
    )
    year = models.PositiveIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    credit = models.DecimalField(
        _("credit per employee"),
        help_text=_("Euros for every employee whose grade is not listed below."),
        **MONEY,
    )
    credit_by_grade = models.JSONField(
        _("credit by grade"),
        default=dict,
        blank=True,
        help_text=_('Euros by grade, e.g. {"quadro": "1000.00", "impiegato": "600.00"}.'),
    )
    categories = models.JSONField(
        _("TUIR categories"),
        default=list,
        help_text=_('Art. 51 c. 2 TUIR letters it may buy, e.g. ["f", "f-bis", "f-ter"].'),
    )
    ends_on = models.DateField(_("credit usable until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("welfare plan")
        verbose_name_plural = _("welfare plans")
        ordering = ["-year", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "year"], name="employers_one_plan_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def grades(self) -> set[str]:
        return set((self.credit_by_grade or {}).keys())

    def credit_for(self, grade: str):
        """The credit of an employee of ``grade`` (the flat credit when it is not listed)."""
        by_grade = self.credit_by_grade or {}
        return Decimal(str(by_grade[grade])) if grade in by_grade else self.credit


class Employee(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employees", verbose_name=_("employer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("user"),
    )
    tax_code = models.CharField(_("tax code"), max_length=16)
    grade = models.CharField(_("grade"), max_length=60, blank=True)
    started_on = models.DateField(_("started on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "tax_code"], name="employers_one_employee_per_tax_code"
            ),
            models.UniqueConstraint(
                fields=["employer", "user"], name="employers_one_employee_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.tax_code

    def has_left(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.left_on is not None and self.left_on <= today


class EmployeeWallet(models.Model):
    """An employee's credit from one plan: a ledger account, credited once."""

    plan = models.ForeignKey(WelfarePlan, on_delete=models.PROTECT, related_name="wallets")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="wallets")
    account = models.OneToOneField(
        "ledger.Account", on_delete=models.PROTECT, related_name="employee_wallet"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employee wallet")
        verbose_name_plural = _("employee wallets")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "employee"], name="employers_one_wallet_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.employee}"


class Spend(models.Model):
    """One capture (positive) or refund (negative) of a wallet, for the employer's figures."""

    plan = models.ForeignKey(WelfarePlan, on_delete=models.PROTECT, related_name="spends")
    wallet = models.ForeignKey(EmployeeWallet, on_delete=models.PROTECT, related_name="spends")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="spends")
    tuir_code = models.CharField(_("TUIR category"), max_length=10)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    transfer = models.OneToOneField(
        "ledger.Transfer", on_delete=models.PROTECT, related_name="employer_spend"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("spend")
        verbose_name_plural = _("spends")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "month"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="employers_spend_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.tuir_code} {self.month:%Y-%m}"
