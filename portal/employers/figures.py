"""What an employer sees of its plan: aggregates only, never who bought what.

Credit granted, spent and left, spend by TUIR letter and by month, and how many employees
used the plan. A figure made by fewer than five employees (1 to 4) is not shown: it reads
"meno di 5" (``portal.programmes.transparency.is_small``), as the public transparency page does.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from portal.ledger.models import Account, Transfer
from portal.programmes.transparency import is_small

from .funding import CREDIT_KIND, RETURN_KIND
from .models import Spend, WelfarePlan
from .tuir import CODES, code_name

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figure:
    """An amount or a count and how many employees it comes from."""

    value: Decimal | int
    people: int

    @property
    def small(self) -> bool:
        return is_small(self.people)

    def shown(self) -> str:
        if self.small:
            return _("fewer than 5")
        if isinstance(self.value, Decimal):
            return currency(self.value)  # "7.500,00 €", "€7,500.00": the shop's format
        return str(self.value)


@dataclass
class PlanFigures:
    plan: WelfarePlan
    granted: Figure
    returned: Figure
    spent: Figure
    remaining: Figure
    users: Figure
    by_category: list[tuple[str, Figure]] = field(default_factory=list)
    by_month: list[tuple[date, Figure]] = field(default_factory=list)

    def money(self) -> list[tuple[str, str, str]]:
        return [
            ("granted", _("Credit granted"), self.granted.shown()),
            ("spent", _("Credit spent"), self.spent.shown()),
            ("remaining", _("Credit remaining"), self.remaining.shown()),
            ("returned", _("Credit returned to the employer"), self.returned.shown()),
            ("users", _("Employees who used the plan"), self.users.shown()),
        ]

    def category_rows(self) -> list[tuple[str, str]]:
        return [(code_name(code), f.shown()) for code, f in self.by_category]

    def month_rows(self) -> list[tuple[str, str]]:
        return [(date_format(m, "F Y"), f.shown()) for m, f in self.by_month]

    def charts(self) -> list[dict]:
        """The spend by month and by letter, leaving out what fewer than 5 employees made."""
        months = [(m, f) for m, f in self.by_month if not f.small]
        codes = [(c, f) for c, f in self.by_category if not f.small]
        return [
            {
                "id": "employer-spend-month",
                "title": _("Credit spent by month"),
                "kind": "bar",
                "label_heading": _("Month"),
                "labels": [date_format(m, "M Y") for m, _f in months],
                "series": [{"label": _("Spent"), "values": [float(f.value) for _m, f in months]}],
                "unit": "€",
            },
            {
                "id": "employer-spend-category",
                "title": _("Credit spent by category"),
                "kind": "bar",
                "label_heading": _("Category"),
                "labels": [code_name(c) for c, _f in codes],
                "series": [{"label": _("Spent"), "values": [float(f.value) for _c, f in codes]}],
                "unit": "€",
            },
        ]


def _sum(qs) -> Decimal:
    return Decimal(qs.aggregate(s=Sum("amount"))["s"] or ZERO)


def plan_figures(plan: WelfarePlan) -> PlanFigures:
    """The plan's aggregates in a handful of queries, whatever the number of employees."""
    wallets = Account.objects.filter(employee_wallet__plan=plan)
    credits = Transfer.objects.filter(kind=CREDIT_KIND, destination__employee_wallet__plan=plan)
    credited = credits.values("destination").distinct().count()
    returns = Transfer.objects.filter(kind=RETURN_KIND, source__employee_wallet__plan=plan)
    spends = Spend.objects.filter(plan=plan)
    totals = spends.aggregate(s=Sum("amount"), n=Count("employee", distinct=True))
    remaining = wallets.aggregate(s=Sum("balance"), n=Count("pk", filter=Q(balance__gt=0)))
    by_category = {
        row["tuir_code"]: Figure(Decimal(row["s"]), row["n"])
        for row in spends.values("tuir_code").annotate(
            s=Sum("amount"), n=Count("employee", distinct=True)
        )
    }
    by_month = [
        (row["month"], Figure(Decimal(row["s"]), row["n"]))
        for row in spends.values("month")
        .annotate(s=Sum("amount"), n=Count("employee", distinct=True))
        .order_by("month")
    ]
    users = totals["n"] or 0
    return PlanFigures(
        plan=plan,
        granted=Figure(_sum(credits), credited),
        returned=Figure(_sum(returns), returns.values("source").distinct().count()),
        spent=Figure(Decimal(totals["s"] or ZERO), users),
        remaining=Figure(Decimal(remaining["s"] or ZERO), remaining["n"] or 0),
        users=Figure(users, users),
        by_category=[(code, by_category[code]) for code in CODES if code in by_category],
        by_month=by_month,
    )
