"""Employers from spec files, ``employers/<slug>.toml``, validated like ``sites/`` specs.

Every file is checked before anything is written, and each error names its file and key
(``employers/acme.toml: plans[0].ends_on: …``). Loading creates the employer (with its group
and funding account), adds the admins named to its group and creates each plan not there
yet; a plan that exists is left as admins changed it. Re-running changes nothing.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from portal.territories.models import Territory
from portal.territories.spec.records import SpecError, display_path

from .funding import create_employer
from .models import Employer, WelfarePlan
from .tuir import CODES

SPEC_DIR = "employers"


@dataclass
class PlanSpec:
    year: int
    title: str
    credit: Decimal
    ends_on: date
    categories: list[str]
    credit_by_grade: dict[str, str] = field(default_factory=dict)


@dataclass
class EmployerSpec:
    path: Path
    slug: str
    name: str
    kind: str
    territory: str | None
    admins: list[str]
    plans: list[PlanSpec]


def spec_paths(names: list[str] | None = None) -> list[Path]:
    folder = Path(settings.BASE_DIR) / SPEC_DIR
    if not names:
        return sorted(folder.glob("*.toml"))
    return [Path(n) if n.endswith(".toml") else folder / f"{n}.toml" for n in names]


def _money(value, file: str, key: str, errors: list[SpecError]) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount < 0
        or amount != amount.quantize(Decimal("0.01"))
    ):
        errors.append(SpecError(file, key, f"'{value}' is not an amount in euros like \"600.00\""))
        return None
    return amount


def parse(path: Path, territories: set[str]) -> tuple[EmployerSpec | None, list[SpecError]]:
    file = display_path(path)
    errors: list[SpecError] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [SpecError(file, "", f"cannot be read: {exc.strerror}")]
    except tomllib.TOMLDecodeError as exc:
        return None, [SpecError(file, "", f"is not valid TOML: {exc}")]
    known = {"slug", "name", "kind", "territory", "admins", "plans"}
    for key in sorted(set(data) - known):
        errors.append(SpecError(file, key, "unknown key"))
    slug = data.get("slug")
    if not isinstance(slug, str) or slugify(slug) != slug or not slug:
        errors.append(SpecError(file, "slug", "required: lower-case letters, digits and dashes"))
    elif slug != path.stem:
        errors.append(SpecError(file, "slug", f"'{slug}' differs from the file name '{path.stem}'"))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(SpecError(file, "name", "required"))
    kind = data.get("kind", Employer.Kind.COMPANY)
    if kind not in Employer.Kind.values:
        errors.append(SpecError(file, "kind", f"'{kind}' is not one of {Employer.Kind.values}"))
    territory = data.get("territory")
    if territory is not None and territory not in territories:
        errors.append(SpecError(file, "territory", f"no portal '{territory}' is built"))
    admins = data.get("admins", [])
    if not isinstance(admins, list) or not all(isinstance(a, str) and "@" in a for a in admins):
        errors.append(SpecError(file, "admins", "a list of e-mail addresses"))
        admins = []
    plans = []
    years = set()
    for i, raw in enumerate(data.get("plans", [])):
        key = f"plans[{i}]"
        for extra in sorted(
            set(raw) - {"year", "title", "credit", "ends_on", "categories", "credit_by_grade"}
        ):
            errors.append(SpecError(file, f"{key}.{extra}", "unknown key"))
        year = raw.get("year")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            errors.append(SpecError(file, f"{key}.year", "required: a year like 2026"))
        elif year in years:
            errors.append(SpecError(file, f"{key}.year", f"{year} has another plan already"))
        years.add(year)
        credit = _money(raw.get("credit"), file, f"{key}.credit", errors)
        ends_on = raw.get("ends_on")
        if not isinstance(ends_on, date):
            errors.append(SpecError(file, f"{key}.ends_on", "required: a date like 2026-12-31"))
        categories = raw.get("categories", list(CODES))
        bad = [c for c in categories if c not in CODES] if isinstance(categories, list) else [1]
        if bad or not categories:
            errors.append(
                SpecError(file, f"{key}.categories", f"a non-empty list of {list(CODES)}")
            )
        by_grade = raw.get("credit_by_grade", {})
        for grade, amount in by_grade.items() if isinstance(by_grade, dict) else []:
            _money(amount, file, f"{key}.credit_by_grade.{grade}", errors)
        plans.append(
            PlanSpec(
                year=year if isinstance(year, int) else 0,
                title=str(raw.get("title") or f"Piano welfare {year}"),
                credit=credit or Decimal("0.00"),
                ends_on=ends_on if isinstance(ends_on, date) else date.min,
                categories=categories if not bad else [],
                credit_by_grade={g: str(a) for g, a in by_grade.items()}
                if isinstance(by_grade, dict)
                else {},
            )
        )
    if errors:
        return None, errors
    return EmployerSpec(path, slug, name.strip(), kind, territory, admins, plans), []


def load_all(names: list[str] | None = None) -> tuple[list[EmployerSpec], list[SpecError]]:
    territories = set(Territory.objects.values_list("slug", flat=True))
    specs, errors = [], []
    for path in spec_paths(names):
        spec, found = parse(path, territories)
        errors += found
        if spec:
            specs.append(spec)
    return specs, errors


def apply(spec: EmployerSpec, ensure_user=None) -> tuple[Employer, int]:
    """Create what ``spec`` names and is missing; the employer and the number of plans made."""
    with transaction.atomic():
        employer = Employer.objects.filter(slug=spec.slug).first() or create_employer(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            territory=Territory.objects.filter(slug=spec.territory).first(),
        )
        User = get_user_model()
        for email in spec.admins:
            if ensure_user is not None:
                ensure_user(email, groups=[employer.admins])
            elif user := User.objects.filter(email__iexact=email).first():
                user.groups.add(employer.admins)
        made = 0
        for plan in spec.plans:
            _obj, created = WelfarePlan.objects.get_or_create(
                employer=employer,
                year=plan.year,
                defaults={
                    "title": plan.title,
                    "credit": plan.credit,
                    "credit_by_grade": plan.credit_by_grade,
                    "categories": plan.categories,
                    "ends_on": plan.ends_on,
                },
            )
            made += created
    return employer, made
