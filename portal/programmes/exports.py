"""CSV exports of a programme for its officers: its applications and its ledger movements.

The applications carry no more than an officer needs to reconcile them (protocol, status,
municipality, household size, amount, dates): no names, tax codes or answers. The movements
are the ledger's transfers touching the programme's accounts, each account named by its role
(a wallet by its number, never its owner). Every cell goes through
:func:`portal.security.spreadsheets.csv_writer`, so text never runs as a formula.
Both are streamed, so 10,000 rows cost no more memory than 10.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.ledger.models import Account, Transfer
from portal.security.spreadsheets import csv_writer

from .figures import programme_accounts
from .models import Application, Programme

MAX_DAYS = 366 * 5


class DateRangeForm(forms.Form):
    """From and to (both included, both optional); the range must run forwards."""

    since = forms.DateField(label=gettext_lazy("From date"), required=False)
    until = forms.DateField(label=gettext_lazy("To date"), required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                _("The start date (%(since)s) comes after the end date (%(until)s).")
                % {"since": since.strftime("%d/%m/%Y"), "until": until.strftime("%d/%m/%Y")}
            )
        if since and until and (until - since).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a range of at most five years."))
        return data

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The range as aware datetimes: from the start of ``since`` to the end of ``until``."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")

        def start_of(day: date) -> datetime:
            return timezone.make_aware(datetime.combine(day, time.min))

        return (
            start_of(since) if since else None,
            start_of(until + timedelta(days=1)) if until else None,
        )


class _Echo:
    """A file-like object that hands back what it is given (for a streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def _rows(header: list, rows: Iterator[list]) -> Iterator[str]:
    writer = csv_writer(_Echo())
    yield "\ufeff"  # spreadsheet programs then read the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _in_range(queryset: QuerySet, field: str, form: DateRangeForm) -> QuerySet:
    since, until = form.bounds()
    if since:
        queryset = queryset.filter(**{f"{field}__gte": since})
    if until:
        queryset = queryset.filter(**{f"{field}__lt": until})
    return queryset


def applications_csv(programme: Programme, form: DateRangeForm) -> Iterator[str]:
    """The programme's sent applications, by the day they were sent (drafts are left out)."""
    labels = dict(Application.Status.choices)
    found = _in_range(
        programme.applications.exclude(status=Application.Status.DRAFT), "submitted_at", form
    ).order_by("submitted_at", "pk")
    header = [
        _("Protocol number"),
        _("Status"),
        _("Municipality"),
        _("Household size"),
        _("Amount (€)"),
        _("Date created"),
        _("Date sent"),
        _("Date decided"),
    ]
    rows = (
        [
            protocol or "",
            str(labels.get(status, status)),
            municipality,
            size or "",
            f"{amount:.2f}" if amount is not None else "",
            _when(created),
            _when(submitted),
            _when(decided),
        ]
        for protocol, status, municipality, size, amount, created, submitted, decided in (
            found.values_list(
                "protocol",
                "status",
                "municipality",
                "household_size",
                "amount",
                "created_at",
                "submitted_at",
                "decided_at",
            ).iterator(chunk_size=2000)
        )
    )
    return _rows(header, rows)


def account_role(programme: Programme, code: str | None, kind: str, pk: int) -> str:
    """An account named by what it is to the programme, never by a person's name."""
    prefix = f"{programme.territory.slug}:programme:{programme.slug}:"
    part = (code or "")[len(prefix) :] if (code or "").startswith(prefix) else ""
    if part == "funds":
        return _("programme funds")
    if part == "budget":
        return _("programme budget")
    if part.startswith("spent:"):
        return _("spent with cooperative %(pk)s") % {"pk": part.split(":", 1)[1]}
    if kind == Account.Kind.WALLET:
        return _("wallet %(pk)s") % {"pk": pk}
    if kind == Account.Kind.HOLD:
        return _("checkout hold %(pk)s") % {"pk": pk}
    return _("account %(pk)s") % {"pk": pk}


def movements_csv(programme: Programme, form: DateRangeForm) -> Iterator[str]:
    """Every ledger transfer touching one of the programme's accounts, oldest first."""
    found = _in_range(
        Transfer.objects.filter(programme_accounts(programme)), "created_at", form
    ).order_by("created_at", "pk")
    header = [
        _("Movement"),
        _("Date"),
        _("Kind of movement"),
        _("From account"),
        _("To account"),
        _("Amount (€)"),
        _("Reference"),
    ]
    rows = (
        [
            pk,
            _when(created),
            kind,
            account_role(programme, s_code, s_kind, s_pk),
            account_role(programme, d_code, d_kind, d_pk),
            f"{amount:.2f}",
            reference,
        ]
        for pk, created, kind, amount, reference, s_pk, s_code, s_kind, d_pk, d_code, d_kind in (
            found.values_list(
                "pk",
                "created_at",
                "kind",
                "amount",
                "reference",
                "source_id",
                "source__code",
                "source__kind",
                "destination_id",
                "destination__code",
                "destination__kind",
            ).iterator(chunk_size=2000)
        )
    )
    return _rows(header, rows)
