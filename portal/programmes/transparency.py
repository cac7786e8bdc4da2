"""The public transparency figures of programmes: spend by programme, service category and
month, and people helped, for one portal or for all of them. Read from the ledger only.

No personal data: nothing but sums and counts. A count of people from 1 to 4 could single
somebody out, so it is shown as "meno di 5" and the money of that cell is withheld too; the
open-data files leave such rows out altogether, and, when within a programme the rows left
out would together count fewer than 5 people, the next smallest rows as well, so that no
small group's figures can be worked out by subtracting the rows shown from the totals
(docs/transparency.md documents the rules and the files' fields).

- people helped: the wallets credited by approvals (one per approved application);
- granted: those credits;
- spent: what the wallets paid the programme's cooperatives (its "spent" accounts), less
  refunds; the people spending are the wallets that paid (a checkout's hold counts as its
  wallet);
- service category: the catalogue categories a programme's credit may buy (its rules), as
  the ledger records no category of its own.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from portal.ledger.models import Account, Transfer
from portal.territories.models import Territory
from shop.catalogue.fixture import load_catalogue

from .applications import CREDIT_KIND
from .figures import cents, local, utc_hour
from .models import Programme

MIN_COUNT = 5
ZERO = Decimal("0.00")


def is_small(n: int) -> bool:
    """A count that could single somebody out (1 to 4; none is no one)."""
    return 0 < n < MIN_COUNT


@dataclass
class Cell:
    """Money and the people behind it, for one programme, category, month or their total."""

    granted: Decimal = ZERO
    spent: Decimal = ZERO
    helped: set = field(default_factory=set)  # wallet account pks credited
    spending: set = field(default_factory=set)  # wallet account pks that paid

    @property
    def people_helped(self) -> int:
        return len(self.helped)

    @property
    def people_spending(self) -> int:
        return len(self.spending)

    @property
    def small(self) -> bool:
        return is_small(self.people_helped) or is_small(self.people_spending)

    def add(self, other: "Cell") -> None:
        self.granted += other.granted
        self.spent += other.spent
        self.helped |= other.helped
        self.spending |= other.spending


@dataclass
class ProgrammeLine:
    programme: Programme
    categories: str
    total: Cell
    months: dict[date, Cell]


@dataclass
class Report:
    programmes: list[ProgrammeLine]
    months: dict[date, Cell]
    categories: dict[str, Cell]
    total: Cell

    def rows(self) -> list[dict]:
        """The open-data rows, one per programme and month, small groups left out."""
        found = []
        for line in self.programmes:
            shown = publishable(line.months)
            for month in sorted(shown):
                cell = line.months[month]
                territory = line.programme.territory
                found.append(
                    {
                        "portal": territory.slug,
                        "portal_name": territory.name,
                        "programme": line.programme.slug,
                        "programme_title": line.programme.title,
                        "service_categories": line.categories,
                        "month": month.strftime("%Y-%m"),
                        "people_helped": cell.people_helped,
                        "granted_eur": f"{cell.granted:.2f}",
                        "people_spending": cell.people_spending,
                        "spent_eur": f"{cell.spent:.2f}",
                    }
                )
        return found


def publishable(months: dict) -> set:
    """The rows (months of a programme, programmes, categories) that may be shown beside
    their total: none with a small group, and the ones left out never counting fewer than 5
    people together (the next smallest go too), so no small group is a difference."""
    withheld = {m for m, cell in months.items() if cell.small}
    shown = [m for m in months if m not in withheld]

    def people(ms) -> int:
        return sum(max(months[m].people_helped, months[m].people_spending) for m in ms)

    # rows of no one hide nothing: the next smallest with someone go
    candidates = sorted((m for m in shown if people([m])), key=lambda m: (people([m]), str(m)))
    while withheld and is_small(people(withheld)) and candidates:
        withheld.add(candidates.pop(0))
    return set(months) - withheld


@lru_cache(maxsize=100_000)
def _month(hour) -> date:
    return local(hour).date().replace(day=1)


def report(territory: Territory | None = None) -> Report:
    """The figures of ``territory``'s programmes, or of every portal's (five queries)."""
    programmes = Programme.objects.select_related("territory").order_by("territory__name", "title")
    if territory is not None:
        programmes = programmes.filter(territory=territory)
    programmes = list(programmes)
    by_budget = {p.budget_account_id: p for p in programmes}
    by_code = {f"{p.territory.slug}:programme:{p.slug}:spent:": p for p in programmes}
    spent_accounts = Account.objects.filter(code__contains=":programme:", kind="income")
    if territory is not None:
        spent_accounts = spent_accounts.filter(territory=territory)
    owner = {}
    for pk, code in spent_accounts.values_list("pk", "code"):
        prefix = code[: code.rindex(":spent:") + len(":spent:")] if ":spent:" in code else ""
        if prefix in by_code:
            owner[pk] = by_code[prefix]
    cells: dict[tuple[int, date], Cell] = defaultdict(Cell)
    credits = (
        Transfer.objects.filter(kind=CREDIT_KIND, source_id__in=list(by_budget))
        .annotate(month=utc_hour())
        .values_list("source_id", "month", "destination_id")
        .annotate(total=Sum("amount"))
    )
    for budget, month, wallet, total in credits:
        cell = cells[(by_budget[budget].pk, _month(month))]
        cell.granted += cents(total)
        cell.helped.add(wallet)
    if owner:
        spends = (
            Transfer.objects.filter(destination_id__in=list(owner))
            .annotate(
                month=utc_hour(),
                wallet=Coalesce(F("source__hold__source_id"), F("source_id")),
            )
            .values_list("destination_id", "month", "wallet")
            .annotate(total=Sum("amount"), n=Count("pk"))
        )
        for account, month, wallet, total, _n in spends:
            cell = cells[(owner[account].pk, _month(month))]
            cell.spent += cents(total)
            cell.spending.add(wallet)
        refunds = (
            Transfer.objects.filter(source_id__in=list(owner))
            .annotate(month=utc_hour())
            .values_list("source_id", "month")
            .annotate(total=Sum("amount"))
        )
        for account, month, total in refunds:
            cells[(owner[account].pk, _month(month))].spent -= cents(total)
    return _assemble(programmes, cells)


def category_names(programme: Programme, names: dict[str, str]) -> str:
    if not programme.categories:
        return _("any service")
    return ", ".join(names.get(slug, slug) for slug in programme.categories)


def _assemble(programmes: list[Programme], cells: dict[tuple[int, date], Cell]) -> Report:
    names = {slug: c.name for slug, c in load_catalogue().categories.items()}
    lines, months, categories, total = [], defaultdict(Cell), defaultdict(Cell), Cell()
    for programme in programmes:
        own = {m: c for (pk, m), c in cells.items() if pk == programme.pk}
        line_total = Cell()
        label = category_names(programme, names)
        for month, cell in own.items():
            line_total.add(cell)
            months[month].add(cell)
            total.add(cell)
        categories[label].add(line_total)
        lines.append(ProgrammeLine(programme, label, line_total, own))
    return Report(
        programmes=lines,
        months=dict(sorted(months.items())),
        categories=dict(sorted(categories.items())),
        total=total,
    )
