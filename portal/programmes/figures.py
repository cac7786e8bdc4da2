"""A programme's figures for its officers' dashboard, read from the ledger and nothing else.

- granted: the credits paid from the budget account into wallets (approvals), less what
  expired credit brought back;
- spent: the balance of the programme's "spent" accounts, one per cooperative
  (``portal.programmes.spending``): what wallets paid in, less refunds;
- in wallets: the balance of the programme's wallet accounts;
- remaining: the budget account's balance.

A handful of queries whatever the number of applications or movements: each figure is one
aggregate in the database.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.models import Account, Hold, Transfer
from shop.partner.models import Partner

from .applications import CREDIT_KIND
from .models import Application, Programme, Wallet
from .spending import EXPIRY_KIND

S = Application.Status
ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    """A sum as the database gives it (SQLite drops trailing zeros) in euros and cents."""
    return Decimal(value or 0).quantize(ZERO)


def spent_prefix(programme: Programme) -> str:
    """The code every "spent" account of ``programme`` starts with (spending.spent_account)."""
    return f"{programme.territory.slug}:programme:{programme.slug}:spent:"


def spent_accounts(programme: Programme) -> list[tuple[int, str, Decimal]]:
    """``(account pk, partner pk, balance)`` of each of ``programme``'s spent accounts."""
    prefix = spent_prefix(programme)
    rows = Account.objects.filter(code__startswith=prefix).values_list("pk", "code", "balance")
    return [(pk, code[len(prefix) :], balance) for pk, code, balance in rows]


def programme_accounts(programme: Programme) -> Q:
    """Transfers touching any account of ``programme``: funds, budget, wallets, holds, spent."""
    prefix = f"{programme.territory.slug}:programme:{programme.slug}:"
    wallet_accounts = Account.objects.filter(programme_wallet__programme=programme).values("pk")
    holds = Account.objects.filter(hold__source__programme_wallet__programme=programme).values("pk")
    return (
        Q(source__code__startswith=prefix)
        | Q(destination__code__startswith=prefix)
        | Q(source__in=wallet_accounts)
        | Q(destination__in=wallet_accounts)
        | Q(source__in=holds)
        | Q(destination__in=holds)
    )


@dataclass
class ProgrammeFigures:
    programme: Programme
    counts: dict[str, int]
    granted: Decimal
    spent: Decimal
    in_wallets: Decimal
    remaining: Decimal
    by_cooperative: list[tuple[str, Decimal]] = field(default_factory=list)
    by_day: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def applications(self) -> int:
        return sum(self.counts.values())

    def money(self) -> list[tuple[str, str, Decimal]]:
        """``(key, label, amount)`` of the money figures, in reading order."""
        return [
            ("budget", _("Budget"), self.programme.budget),
            ("granted", _("Granted"), self.granted),
            ("spent", _("Spent"), self.spent),
            ("in_wallets", _("Credit not yet spent"), self.in_wallets),
            ("remaining", _("Budget left"), self.remaining),
        ]

    def charts(self, refresh_url: str = "", seconds: int = 30) -> list[dict]:
        """The three charts of the dashboard, in the ``{% chart %}`` tag's shape."""
        refresh = {"refresh_url": refresh_url, "refresh_seconds": seconds} if refresh_url else {}
        return [
            {
                "id": "chart-status",
                "title": _("Applications by status"),
                "kind": "bar",
                "label_heading": _("Status"),
                "labels": [str(label).capitalize() for label in S.labels],
                "series": [
                    {"label": _("Applications"), "values": [self.counts[s] for s in S.values]}
                ],
                **refresh,
            },
            {
                "id": "chart-cooperatives",
                "title": _("Spent by cooperative"),
                "kind": "bar",
                "label_heading": _("Cooperative"),
                "labels": [name for name, _amount in self.by_cooperative],
                "series": [
                    {"label": _("Spent"), "values": [a for _name, a in self.by_cooperative]}
                ],
                "unit": "€",
                **refresh,
            },
            {
                "id": "chart-days",
                "title": _("Spent by day"),
                "kind": "line",
                "label_heading": _("Day"),
                "labels": [day.strftime("%d/%m/%Y") for day, _amount in self.by_day],
                "series": [{"label": _("Spent"), "values": [a for _day, a in self.by_day]}],
                "unit": "€",
                **refresh,
            },
        ]


def _status_counts(programme: Programme) -> dict[str, int]:
    found = dict(
        Application.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {status: found.get(status, 0) for status in S.values}


def utc_hour(field_name: str = "created_at"):
    """The UTC hour of a timestamp, grouped by in the database, turned into local days and
    months afterwards (:func:`local`): SQLite's own date functions are Python callbacks, one
    per row, so it groups the stored text ("2026-12-02 18"); PostgreSQL truncates natively.
    Exact for time zones whose offset is whole hours (Europe/Rome)."""
    if connection.vendor == "sqlite":
        return Substr(field_name, 1, 13)
    return TruncHour(field_name, tzinfo=UTC)


def local(hour) -> datetime:
    """A :func:`utc_hour` value as a local datetime."""
    if isinstance(hour, str):
        hour = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return timezone.localtime(hour)


def _by_day(spent_ids: list[int]) -> list[tuple[date, Decimal]]:
    """Net spend (spends and captures in, refunds out) per day, oldest first."""
    if not spent_ids:
        return []
    days: dict[date, Decimal] = {}
    # two queries, each along its own index, rather than one scanning the table for an OR
    for field_name, sign in (("destination_id", 1), ("source_id", -1)):
        rows = (
            Transfer.objects.filter(**{f"{field_name}__in": spent_ids})
            .annotate(hour=utc_hour())
            .values_list("hour")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for hour, total in rows:
            day = local(hour).date()
            days[day] = days.get(day, ZERO) + sign * cents(total)
    return sorted(days.items())


def programme_figures(programme: Programme) -> ProgrammeFigures:
    """Every figure of ``programme``'s dashboard, from the ledger (about six queries)."""
    budget = programme.budget_account
    moved = Transfer.objects.filter(Q(source=budget) | Q(destination=budget)).aggregate(
        granted=Sum("amount", filter=Q(source=budget, kind=CREDIT_KIND)),
        expired=Sum("amount", filter=Q(destination=budget, kind=EXPIRY_KIND)),
    )
    # the wallets' balances and what checkouts hold from them while a card is charged
    in_wallets = cents(
        Wallet.objects.filter(programme=programme).aggregate(s=Sum("account__balance"))["s"]
    ) + cents(
        Hold.objects.filter(
            status=Hold.Status.HELD, source__programme_wallet__programme=programme
        ).aggregate(s=Sum("amount"))["s"]
    )
    remaining = Account.objects.values_list("balance", flat=True).get(pk=budget.pk)
    spent = spent_accounts(programme)
    names = dict(
        Partner.objects.filter(pk__in=[int(p) for _pk, p, _b in spent if p.isdigit()]).values_list(
            "pk", "name"
        )
    )
    by_cooperative = sorted(
        ((names.get(int(p) if p.isdigit() else None, p), cents(b)) for _pk, p, b in spent),
        key=lambda row: (-row[1], row[0]),
    )
    return ProgrammeFigures(
        programme=programme,
        counts=_status_counts(programme),
        granted=cents(moved["granted"]) - cents(moved["expired"]),
        spent=sum((cents(balance) for _pk, _p, balance in spent), ZERO),
        in_wallets=cents(in_wallets),
        remaining=cents(remaining),
        by_cooperative=by_cooperative,
        by_day=_by_day([pk for pk, _p, _b in spent]),
    )
