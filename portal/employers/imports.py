"""Employees from a CSV file: read and checked row by row, then written all at once.

:func:`preview` reads the file and says, row by row, what it would do (add, update, nothing)
or what is wrong (a bad tax code, a duplicate in the file, an unknown grade, a bad date);
nothing is written. :func:`apply` writes a preview without errors in one transaction: a second
upload of the same file changes nothing, a changed row updates that employee. A row missing
from the file is not a leaver: leavers are marked one by one, with their date.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.programmes.applications import ProgrammeError, household_key

from .models import Employee, Employer

_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
        strict=True,
    )
)
_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def check_character(first15: str) -> str:
    """The tax code's 16th character, computed from the first 15 (the official algorithm)."""
    total = sum((_ODD if i % 2 == 0 else _EVEN)[c] for i, c in enumerate(first15))
    return chr(65 + total % 26)


def with_check(first15: str) -> str:
    return first15 + check_character(first15)


SHAPE = re.compile(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]")


class TaxCodeError(ValueError):
    pass


def tax_code(value: str) -> str:
    """``value`` as a normalised Italian tax code, or :class:`TaxCodeError` with the reason."""
    try:
        code = household_key(value)
    except ProgrammeError as exc:
        raise TaxCodeError(str(exc)) from exc
    if not re.fullmatch(
        r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]", code
    ):
        raise TaxCodeError(_("'%(code)s' is not an Italian tax code.") % {"code": value})
    if check_character(code[:15]) != code[15]:
        raise TaxCodeError(
            _("'%(code)s' is not a valid tax code (its last letter does not match).")
            % {"code": value}
        )
    return code


COLUMNS = {
    "name": ("nome", "name", "nome e cognome"),
    "tax_code": ("codice_fiscale", "codice fiscale", "tax_code", "tax code"),
    "email": ("email", "e-mail"),
    "grade": ("qualifica", "grade", "livello"),
    "started_on": ("data_inizio", "data inizio", "start_date", "start date", "assunzione"),
}
MAX_ROWS = 50_000


@dataclass
class Row:
    """One line of the file: what it says, what it would change, what is wrong with it."""

    line: int
    name: str = ""
    tax_code: str = ""
    email: str = ""
    grade: str = ""
    started_on: date | None = None
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "add", "update" or "same" once checked

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.ok for r in self.rows)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.ok and r.action == action)


def parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("'%(value)s' is not a date (write it as 31/01/2026 or 2026-01-31).") % {"value": value}
    )


def _header(fields: list[str]) -> tuple[dict[str, int], list[str]]:
    wanted = {}
    names = [f.strip().lower().lstrip("\ufeff") for f in fields]
    for key, aliases in COLUMNS.items():
        found = [i for i, n in enumerate(names) if n in aliases]
        if found:
            wanted[key] = found[0]
    missing = [COLUMNS[k][0] for k in COLUMNS if k not in wanted and k != "grade"]
    errors = []
    if missing:
        errors.append(
            ngettext(
                "The file has no column named %(columns)s "
                "(the first line names the columns: %(all)s).",
                "The file has no columns named %(columns)s "
                "(the first line names the columns: %(all)s).",
                len(missing),
            )
            % {"columns": ", ".join(missing), "all": ", ".join(a[0] for a in COLUMNS.values())}
        )
    return wanted, errors


def read_rows(text: str) -> Preview:
    """The file's rows, each checked on its own and against the others (no database)."""
    preview = Preview()
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        preview.errors.append(_("The file is empty."))
        return preview
    columns, preview.errors = _header(header)
    if preview.errors:
        return preview
    seen_codes: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(preview.rows) >= MAX_ROWS:
            preview.errors.append(_("More than %(n)s rows: split the file.") % {"n": MAX_ROWS})
            break

        def cell(key: str, values=values) -> str:
            i = columns.get(key)
            return values[i].strip() if i is not None and i < len(values) else ""

        row = Row(line=line, name=cell("name"), grade=cell("grade"))
        if not row.name:
            row.errors.append(_("The name is missing."))
        try:
            row.tax_code = tax_code(cell("tax_code"))
        except TaxCodeError as exc:
            row.errors.append(str(exc))
        row.email = cell("email").lower()
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("'%(email)s' is not an e-mail address.") % {"email": row.email})
        try:
            row.started_on = parse_date(cell("started_on"))
        except ValueError as exc:
            row.errors.append(str(exc))
        if row.tax_code and row.tax_code in seen_codes:
            row.errors.append(
                _("The tax code %(code)s is already on line %(line)s.")
                % {"code": row.tax_code, "line": seen_codes[row.tax_code]}
            )
        if row.email and row.email in seen_emails:
            row.errors.append(
                _("The e-mail %(email)s is already on line %(line)s.")
                % {"email": row.email, "line": seen_emails[row.email]}
            )
        seen_codes.setdefault(row.tax_code, line)
        seen_emails.setdefault(row.email, line)
        preview.rows.append(row)
    if not preview.rows and not preview.errors:
        preview.errors.append(_("The file has no employees."))
    return preview


def known_grades(employer: Employer) -> set[str]:
    grades = set()
    for by_grade in employer.plans.values_list("credit_by_grade", flat=True):
        grades |= set(by_grade or {})
    return grades


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def preview(employer: Employer, text: str) -> Preview:
    """What importing ``text`` into ``employer`` would do, row by row; nothing is written."""
    result = read_rows(text)
    if result.errors:
        return result
    grades = known_grades(employer)
    existing = {
        e.tax_code: e
        for e in Employee.objects.filter(employer=employer)
        .select_related("user")
        .only(
            "tax_code", "grade", "started_on", "user__email", "user__first_name", "user__last_name"
        )
    }
    by_email = {e.user.email.lower(): e for e in existing.values()}
    for row in result.rows:
        if row.grade and row.grade not in grades:
            row.errors.append(
                _("Unknown grade '%(grade)s' (the plans name: %(grades)s).")
                % {"grade": row.grade, "grades": ", ".join(sorted(grades)) or "—"}
            )
        if not row.ok:
            continue
        current = existing.get(row.tax_code)
        other = by_email.get(row.email)
        if other is not None and other is not current:
            row.errors.append(
                _("The e-mail %(email)s belongs to another employee (%(code)s).")
                % {"email": row.email, "code": other.tax_code}
            )
        elif current is None:
            row.action = "add"
        elif current.user.email.lower() != row.email:
            row.errors.append(
                _("The employee %(code)s is registered with another e-mail address.")
                % {"code": row.tax_code}
            )
        elif (
            current.grade != row.grade
            or current.started_on != row.started_on
            or _split_name(row.name) != (current.user.first_name, current.user.last_name)
        ):
            row.action = "update"
        else:
            row.action = "same"
    return result


@dataclass
class Applied:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportRefused(ValueError):
    pass


def apply(employer: Employer, text: str) -> Applied:
    """Write the file into ``employer``'s employees: all rows or none (:class:`ImportRefused`
    when any row is wrong). Run again, the same file changes nothing."""
    User = get_user_model()
    with transaction.atomic():
        checked = preview(employer, text)
        if not checked.ok:
            raise ImportRefused(_("The file has errors: nothing was imported."))
        done = Applied(unchanged=checked.count("same"))
        adding = [r for r in checked.rows if r.action == "add"]
        updating = [r for r in checked.rows if r.action == "update"]
        users: dict[str, object] = {}
        for chunk in _chunks([r.email for r in adding]):
            for user in User.objects.annotate(e=Lower("email")).filter(e__in=chunk):
                users.setdefault(user.e, user)
        taken = set()
        for chunk in _chunks([r.email for r in adding if r.email not in users]):
            taken |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
        new_users = []
        for r in adding:
            if r.email in users:
                continue
            first, last = _split_name(r.name)
            username = (
                r.email[:150] if r.email[:150] not in taken else f"{r.tax_code}-{r.email}"[:150]
            )
            user = User(username=username, email=r.email, first_name=first, last_name=last)
            user.set_unusable_password()
            new_users.append(user)
        for user in User.objects.bulk_create(new_users, batch_size=1000):
            users[user.email] = user
        Employee.objects.bulk_create(
            [
                Employee(
                    employer=employer,
                    user=users[r.email],
                    tax_code=r.tax_code,
                    grade=r.grade,
                    started_on=r.started_on,
                )
                for r in adding
            ],
            batch_size=1000,
        )
        done.added = len(adding)
        if updating:
            current = {
                e.tax_code: e
                for e in Employee.objects.filter(
                    employer=employer, tax_code__in=[r.tax_code for r in updating]
                ).select_related("user")
            }
            changed_users = []
            for r in updating:
                employee = current[r.tax_code]
                employee.grade, employee.started_on = r.grade, r.started_on
                employee.user.first_name, employee.user.last_name = _split_name(r.name)
                changed_users.append(employee.user)
            Employee.objects.bulk_update(list(current.values()), ["grade", "started_on"])
            User.objects.bulk_update(changed_users, ["first_name", "last_name"])
            done.updated = len(updating)
    return done
