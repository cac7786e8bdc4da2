"""Employers, plans and employees for the employer tests, made through the domain functions."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.employers.funding import create_employer, record_funding
from portal.employers.models import Employee, WelfarePlan

_numbers = count(1)


def employer(territory=None, slug: str | None = None, name: str | None = None):
    n = next(_numbers)
    return create_employer(
        slug=slug or f"azienda-{n}", name=name or f"Azienda {n} S.p.A.", territory=territory
    )


def plan(company, *, credit="500.00", by_grade=None, categories=("f", "f-bis", "f-ter"), **kw):
    today = timezone.localdate()
    return WelfarePlan.objects.create(
        employer=company,
        year=kw.pop("year", today.year),
        title=kw.pop("title", "Piano welfare"),
        credit=Decimal(credit),
        credit_by_grade=by_grade or {},
        categories=list(categories),
        ends_on=kw.pop("ends_on", today + timedelta(days=60)),
        **kw,
    )


def tax_code(n: int) -> str:
    """A tax code with a valid check character, different for every ``n`` below 1000."""
    from portal.employers.imports import with_check

    return with_check(f"RSSMRA{80 + n % 20:02d}A01H{n % 1000:03d}")


def employee(company, *, grade: str = "", user=None, started_on: date | None = None, n=None):
    n = n if n is not None else next(_numbers)
    user = user or get_user_model().objects.create_user(
        username=f"employee{n}", email=f"employee{n}@example.it", password="pw"
    )
    return Employee.objects.create(
        employer=company,
        user=user,
        tax_code=tax_code(n),
        grade=grade,
        started_on=started_on or date(2020, 1, 1),
    )


def fund(company, amount="10000.00", reference=None):
    return record_funding(
        company, Decimal(amount), reference=reference or f"CRO{next(_numbers)}", day=date.today()
    )
