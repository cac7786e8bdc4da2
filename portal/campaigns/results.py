"""A campaign's results per portal and per day, counted without following anyone: landing
page visits (a number a day), newsletter e-mails sent, unsubscriptions after one of its
e-mails, attributed orders and their revenue, and codes used."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.newsletters.models import Delivery, Subscriber

from .models import Attribution, Campaign, LandingPage, LandingVisit

MEASURES = ("visits", "sends", "unsubscribes", "orders", "revenue", "codes")


def measure_labels() -> dict[str, str]:
    return {
        "visits": _("Landing page visits"),
        "sends": _("Newsletter e-mails sent"),
        "unsubscribes": _("Unsubscriptions"),
        "orders": _("Orders"),
        "revenue": _("Revenue (€)"),
        "codes": _("Codes used"),
    }


@dataclass
class Figures:
    visits: int = 0
    sends: int = 0
    unsubscribes: int = 0
    orders: int = 0
    revenue: Decimal = Decimal("0.00")
    codes: int = 0

    def add(self, name: str, value) -> None:
        setattr(self, name, getattr(self, name) + value)


@dataclass
class Results:
    campaign: Campaign
    days: list[date]
    by_portal: dict[str, Figures] = field(default_factory=dict)  # portal name → totals
    by_day: dict[date, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)
    cells: dict[tuple[str, date], Figures] = field(default_factory=lambda: defaultdict(Figures))


def _campaign_days(campaign: Campaign) -> list[date]:
    first = timezone.localtime(campaign.starts_at).date()
    last = timezone.localtime(min(campaign.ends_at, max(timezone.now(), campaign.starts_at)))
    last = last.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def results(campaign: Campaign) -> Results:
    territories = {t.pk: t.name for t in campaign.territories.all()}
    days = _campaign_days(campaign)
    out = Results(campaign, days)
    out.by_portal = {name: Figures() for name in sorted(territories.values())}
    out.by_day = {day: Figures() for day in days}

    def add(measure: str, territory_id: int | None, day, value) -> None:
        name = territories.get(territory_id)
        if name is None or not value:
            return
        out.by_portal[name].add(measure, value)
        out.total.add(measure, value)
        if day in out.by_day:
            out.by_day[day].add(measure, value)
            out.cells[(name, day)].add(measure, value)

    landing_territory = dict(
        LandingPage.objects.filter(campaign=campaign).values_list("page_id", "territory_id")
    )
    for page_id, day, count in LandingVisit.objects.filter(
        page_id__in=landing_territory
    ).values_list("page_id", "day", "count"):
        add("visits", landing_territory[page_id], day, count)

    deliveries = Delivery.objects.filter(
        send__issue__in=campaign.issues.all(), state=Delivery.State.SENT
    )
    for row in (
        deliveries.annotate(day=TruncDate("sent_at"))
        .values("subscriber__territory_id", "day")
        .annotate(n=Count("pk"))
    ):
        add("sends", row["subscriber__territory_id"], row["day"], row["n"])
    # unsubscribed after receiving one of the campaign's e-mails
    first_sent = dict(
        deliveries.values("subscriber_id")
        .annotate(first=Min("sent_at"))
        .values_list("subscriber_id", "first")
    )
    for subscriber_id, territory_id, left in Subscriber.objects.filter(
        pk__in=list(first_sent), unsubscribed_at__isnull=False
    ).values_list("pk", "territory_id", "unsubscribed_at"):
        if left >= first_sent[subscriber_id]:
            add("unsubscribes", territory_id, timezone.localtime(left).date(), 1)

    for row in (
        Attribution.objects.filter(campaign=campaign)
        .annotate(day=TruncDate("placed_at"))
        .values("territory_id", "day", "via")
        .annotate(n=Count("pk"), revenue=Sum("revenue"))
    ):
        add("orders", row["territory_id"], row["day"], row["n"])
        add("revenue", row["territory_id"], row["day"], row["revenue"])
        if row["via"] == Attribution.Via.CODE:
            add("codes", row["territory_id"], row["day"], row["n"])
    return out


def chart_data(result: Results) -> dict:
    """The campaign's days for ``{% chart %}`` (portal/territories/templatetags/charts.py)."""
    labels = measure_labels()
    return {
        "id": f"campaign-{result.campaign.pk}-days",
        "title": _("The campaign day by day"),
        "kind": "line",
        "label_heading": _("Day"),
        "labels": [day.isoformat() for day in result.days],
        "series": [
            {
                "label": labels[measure],
                "values": [
                    str(getattr(result.by_day[d], measure))
                    if measure == "revenue"
                    else getattr(result.by_day[d], measure)
                    for d in result.days
                ],
            }
            for measure in ("visits", "sends", "orders", "codes")
        ],
    }


def results_csv(result: Results) -> str:
    """A row per portal and day, the portal's totals, and the whole campaign's."""
    labels = measure_labels()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Portal"), _("Day"), *(labels[m] for m in MEASURES)])
    for name, figures in result.by_portal.items():
        for day in result.days:
            writer.writerow([name, day.isoformat(), *_values(result.cells[(name, day)])])
        writer.writerow([name, _("Whole campaign"), *_values(figures)])
    writer.writerow([_("All portals"), _("Whole campaign"), *_values(result.total)])
    return out.getvalue()


def _values(figures: Figures) -> list:
    return [getattr(figures, m) for m in MEASURES]
