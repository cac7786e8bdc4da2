"""Demo employers for `make demo` (never used in production): the two of ``employers/*.toml``,
ten employees each (``dipendente@example.it`` works at the Cremona one), funded by a bank
transfer, every employee credited, and a few spends so the plan's figures show something.
Made through the functions the portal uses; re-running changes nothing."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from . import funding, specs, spending
from .imports import with_check
from .models import Employee, Employer, Spend

DEMO_EMPLOYEE = "dipendente@example.it"
NAMES = (
    "Giulia Ferrari", "Marco Galli", "Sara Lombardi", "Paolo Fontana", "Elena Conti",
    "Davide Moretti", "Chiara Barbieri", "Andrea Rinaldi", "Laura Caruso", "Matteo Greco",
)  # fmt: skip
GRADES = ("impiegato", "operaio", "quadro")


def _employees(employer: Employer, ensure_user: Callable, domain: str, first: str) -> None:
    User = get_user_model()
    grades = sorted(employer.plans.order_by("-year").first().credit_by_grade or {}) or [""]
    people = [(first, "Alessandro Bassi")] if first else []
    people += [(f"{n.split()[0].lower()}.{n.split()[1].lower()}@{domain}", n) for n in NAMES]
    for i, (email, name) in enumerate(people):
        ensure_user(email)
        user = User.objects.get(email__iexact=email)
        user.first_name, user.last_name = name.split(" ", 1)
        user.save(update_fields=["first_name", "last_name"])
        # 16 characters: the year is two digits (80, 81, … 90 for the eleventh person)
        first_name, last_name = name.split(" ", 1)
        code = with_check(f"{first_name[:3]}{last_name[:3]}{80 + i}A{i + 1:02d}D150".upper())
        Employee.objects.get_or_create(
            employer=employer,
            user=user,
            defaults={
                "tax_code": code,
                "grade": grades[i % len(grades)],
                "started_on": date(2020, 3, 1),
            },
        )


def _demo_spends(plan, n: int = 6) -> int:
    """``n`` employees each bought a childcare or school service (ledger only, no order)."""
    if Spend.objects.filter(plan=plan).exists():
        return 0
    from portal.programmes.checkout import category_slugs

    StockRecord = get_model("partner", "StockRecord")
    record = (
        StockRecord.objects.filter(product__parent__categories__slug="educazione")
        .select_related("product", "partner")
        .first()
    )
    if record is None:
        return 0
    product = record.product
    slugs = category_slugs([product.parent_id])[product.parent_id]
    code = spending.eligible(plan, product, slugs).code
    made = 0
    for wallet in plan.wallets.select_related("plan__employer", "employee", "account")[:n]:
        held = spending.hold_spend(
            wallet,
            Decimal("36.00"),
            reference=f"demo:{plan.pk}:{wallet.pk}",
            key=f"demo-{wallet.pk}",
        )
        spending.capture_spend(held, wallet, record.partner, tuir_code=code)
        made += 1
    return made


def load_employers(ensure_user: Callable) -> list[tuple[Employer, str]]:
    """The demo employers, their HR logins; funded and credited."""
    found, errors = specs.load_all()
    if errors:
        raise ValueError("; ".join(map(str, errors)))
    made = []
    for spec in found:
        employer, _plans = specs.apply(spec, ensure_user=ensure_user)
        domain = spec.admins[0].split("@", 1)[1] if spec.admins else f"{spec.slug}.example"
        _employees(
            employer, ensure_user, domain, DEMO_EMPLOYEE if spec.territory == "cremona" else ""
        )
        plan = employer.plans.order_by("-year").first()
        due = sum((plan.credit_for(e.grade) for e in funding.creditable(plan)), Decimal("0.00"))
        funding.record_funding(employer, due, reference=f"DEMO-{plan.year}", day=date.today())
        funding.credit_all(plan)
        _demo_spends(plan)
        made += [(employer, email) for email in spec.admins]
    return made
