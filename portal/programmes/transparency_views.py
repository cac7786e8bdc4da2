"""``/trasparenza/``: the public transparency page of a portal, or of every portal on the hub
host, and its open data (``dati.csv``, ``dati.json``; docs/transparency.md).

The request's territory decides the scope: a portal's host shows its own programmes, the hub
host (no territory) all of them. The figures (transparency.py) are kept in the cache for
:data:`CACHE_SECONDS` per scope and language, so a visit costs no query on the ledger most of
the time; browsers and a CDN may keep the answer as long.
"""

import json

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from oscar.templatetags.currency_filters import currency

from portal.security.spreadsheets import csv_writer

from .transparency import MIN_COUNT, Cell, is_small, publishable, report

CACHE_SECONDS = 300
WITHHELD = "—"
FIELDS = {
    "portal": "the portal's slug (its host name is <portal>.<domain>)",
    "portal_name": "the portal's name",
    "programme": "the programme's slug, unique within its portal",
    "programme_title": "the programme's title",
    "service_categories": "the service categories the programme's credit may buy",
    "month": "the calendar month, YYYY-MM (Europe/Rome)",
    "people_helped": "applications approved in the month (each a household credited once)",
    "granted_eur": "euros credited to those households' wallets in the month",
    "people_spending": "wallets that paid a cooperative in the month",
    "spent_eur": "euros paid to the programme's cooperatives in the month, less refunds",
}


def _scope(request: HttpRequest):
    return getattr(request, "territory", None)


def _people(n: int) -> str:
    return _("fewer than 5") if is_small(n) else str(n)


def _money_of(cell: Cell, attribute: str, count: int, shown: bool = True):
    """The amount for a chart or table, or :data:`WITHHELD` behind a small group (or beside
    one whose figures it would give away)."""
    return WITHHELD if is_small(count) or not shown else getattr(cell, attribute)


def _people_of(n: int, shown: bool) -> str:
    return _people(n) if shown or is_small(n) else WITHHELD


def _chart(chart_id: str, title: str, heading: str, rows: list[tuple[str, Cell]]) -> dict:
    shown = publishable(dict(enumerate(cell for _label, cell in rows)))
    return {
        "id": chart_id,
        "title": title,
        "kind": "bar",
        "label_heading": heading,
        "labels": [label for label, _cell in rows],
        "series": [
            {
                "label": _("Spent"),
                "values": [
                    _money_of(c, "spent", c.people_spending, i in shown)
                    for i, (_l, c) in enumerate(rows)
                ],
            }
        ],
        "unit": "€",
    }


def public_figures(territory) -> dict:
    """The page's figures and the files' rows, as plain values (cached as they are)."""
    found = report(territory)
    shown = publishable({i: line.total for i, line in enumerate(found.programmes)})
    programmes = [
        {
            "portal": line.programme.territory.name,
            "title": line.programme.title,
            "slug": line.programme.slug,
            "categories": line.categories,
            "helped": _people_of(line.total.people_helped, i in shown),
            "granted": _money_of(line.total, "granted", line.total.people_helped, i in shown),
            "spending": _people_of(line.total.people_spending, i in shown),
            "spent": _money_of(line.total, "spent", line.total.people_spending, i in shown),
        }
        for i, line in enumerate(found.programmes)
    ]
    for row in programmes:
        for key in ("granted", "spent"):
            row[key] = row[key] if row[key] == WITHHELD else currency(row[key])
    title_of = (
        (lambda line: line.programme.title)
        if territory
        else (lambda line: f"{line.programme.territory.name}: {line.programme.title}")
    )
    charts = [
        _chart(
            "chart-programmes",
            _("Spent by programme"),
            _("Programme"),
            [(title_of(line), line.total) for line in found.programmes],
        ),
        _chart(
            "chart-categories",
            _("Spent by service category"),
            _("Service category"),
            list(found.categories.items()),
        ),
        _chart(
            "chart-months",
            _("Spent by month"),
            _("Month"),
            [(date_format(m, "YEAR_MONTH_FORMAT"), c) for m, c in found.months.items()],
        ),
    ]
    total = found.total
    return {
        "programmes": programmes,
        "charts": charts,
        "helped": _people(total.people_helped),
        "granted": WITHHELD if is_small(total.people_helped) else currency(total.granted),
        "spent": WITHHELD if is_small(total.people_spending) else currency(total.spent),
        "rows": found.rows(),
        "generated": timezone.localtime().isoformat(timespec="seconds"),
    }


def _cached(request: HttpRequest) -> dict:
    territory = _scope(request)
    key = f"portal:transparency:{territory.pk if territory else 'all'}:{get_language()}"
    return cache.get_or_set(key, lambda: public_figures(territory), CACHE_SECONDS)


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    territory = _scope(request)
    figures = _cached(request)
    return _public(
        TemplateResponse(
            request,
            "programmes/transparency.html",
            {
                **figures,
                "scope": territory,
                "min_count": MIN_COUNT,
                "withheld": WITHHELD,
                "fields": FIELDS,
            },
        )
    )


def _file_name(request: HttpRequest, ext: str) -> str:
    territory = _scope(request)
    return f"trasparenza-{territory.slug if territory else 'tutti-i-portali'}.{ext}"


class _Lines:
    def __init__(self):
        self.lines: list[str] = []

    def write(self, value: str) -> None:
        self.lines.append(value)


@require_safe
def data_csv(request: HttpRequest) -> HttpResponse:
    """The rows, one per programme and month; a row with a group under 5 is left out."""
    out = _Lines()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(list(FIELDS))
    for row in _cached(request)["rows"]:
        writer.writerow([row[name] for name in FIELDS])
    response = HttpResponse("".join(out.lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(request, "csv")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)


@require_safe
def data_json(request: HttpRequest) -> HttpResponse:
    """The same rows as JSON, with the fields' meaning and the rule for small counts."""
    figures = _cached(request)
    territory = _scope(request)
    body = {
        "scope": territory.slug if territory else "all",
        "generated": figures["generated"],
        "schema": "docs/transparency.md",
        "fields": FIELDS,
        "min_count": MIN_COUNT,
        "suppression": (
            f"rows where fewer than {MIN_COUNT} people were helped or spent are left out, "
            f"with further rows when those left out of a programme count fewer than {MIN_COUNT}"
        ),
        "rows": figures["rows"],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)
