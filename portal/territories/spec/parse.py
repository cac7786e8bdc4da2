"""One spec file, key by key: :func:`parse_spec` and its readers of each table."""

import re
import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.defaults import setting
from shop.catalogue.fixture import load_catalogue

from ..themes import available_themes
from .reader import (
    COLOR_RE,
    HOST_RE,
    SLUG_RE,
    Reader,
    read_date,
    read_email,
    read_price,
    vat_number_is_valid,
)
from .records import (
    ACCESSIBILITY_STATUSES,
    NON_ACCESSIBLE_REASONS,
    PROGRAMME_KINDS,
    QUESTION_TYPES,
    AccessibilitySpec,
    CooperativeSpec,
    GiftVoucherSpec,
    NonAccessibleItem,
    PrivacySpec,
    ProgrammeSpec,
    QuestionSpec,
    ServiceOffer,
    SpecError,
    TerritorySpec,
    display_path,
)


def parse_spec(
    path: Path, catalogue_refs: set[str] | None = None
) -> tuple[TerritorySpec | None, list[SpecError]]:
    """Read and validate one spec file on its own (cross-spec checks are in :func:`load_all`)."""
    file = display_path(path)
    reader = Reader(file)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return None, [SpecError(file, "", "file not found")]
    except tomllib.TOMLDecodeError as exc:
        return None, [SpecError(file, "", f"not valid TOML: {exc}")]

    if catalogue_refs is None:
        catalogue_refs = set(load_catalogue().services)
    reader.table(
        data,
        "",
        {
            "slug": True,
            "name": True,
            "tagline": False,
            "hosts": False,
            "languages": False,
            "municipalities": False,
            "theme": False,
            "contacts": True,
            "cooperatives": True,
            "services": False,
            "gift_vouchers": False,
            "accessibility": False,
            "privacy": False,
            "programmes": False,
        },
    )

    slug = reader.string(data, "slug", "slug")
    if slug and not SLUG_RE.match(slug):
        reader.error("slug", "use lower-case letters, digits and hyphens (e.g. 'lecco')")
    elif slug and slug != path.stem:
        reader.error("slug", f"must match the file name ('{path.stem}')")
    name = reader.string(data, "name", "name", max_len=120)
    tagline = reader.string(data, "tagline", "tagline")

    hosts = reader.string_list(data, "hosts", "hosts")
    for i, host in enumerate(hosts):
        if not HOST_RE.match(host):
            reader.error(f"hosts[{i}]", f"'{host}' is not a valid host name (lower case, no port)")
        elif host.endswith(setting("PORTAL_DEV_HOST_SUFFIX")):
            reader.error(f"hosts[{i}]", "the development host <slug>.localhost is implicit")
    if len(set(hosts)) != len(hosts):
        reader.error("hosts", "lists a host name twice")

    languages = (
        reader.string_list(data, "languages", "languages") if "languages" in data else ["it"]
    )
    supported = setting("PORTAL_LANGUAGES")
    for i, code in enumerate(languages):
        if code not in supported:
            reader.error(
                f"languages[{i}]", f"'{code}' is not supported (supported: {', '.join(supported)})"
            )
    if not languages:
        reader.error("languages", "must list at least one language")
    elif languages[0] != settings.LANGUAGE_CODE:
        reader.error("languages[0]", f"the default language must be '{settings.LANGUAGE_CODE}'")
    if len(set(languages)) != len(languages):
        reader.error("languages", "lists a language twice")
    municipalities = reader.string_list(data, "municipalities", "municipalities")

    theme_data = reader.table(
        data.get("theme", {}),
        "theme",
        {"name": False, "primary_color": False, "secondary_color": False},
    )
    theme = reader.string(theme_data, "name", "theme.name", default=setting("PORTAL_DEFAULT_THEME"))
    if theme and theme not in available_themes():
        reader.error(
            "theme.name", f"unknown theme '{theme}' (themes: {', '.join(available_themes())})"
        )
    palette = {}
    for key in ("primary_color", "secondary_color"):
        if key in theme_data:
            color = reader.string(theme_data, key, f"theme.{key}")
            if not COLOR_RE.match(color):
                reader.error(f"theme.{key}", f"'{color}' is not a colour like '#0066cc'")
            palette[key.removesuffix("_color")] = color

    contacts_data = reader.table(
        data.get("contacts", {}),
        "contacts",
        {"email": True, "phone": False, "address": False, "hours": False},
    )
    contacts = {
        key: reader.string(contacts_data, key, f"contacts.{key}")
        for key in ("email", "phone", "address", "hours")
    }
    if contacts["email"]:
        try:
            validate_email(contacts["email"])
        except ValidationError:
            reader.error("contacts.email", f"'{contacts['email']}' is not an e-mail address")

    cooperatives = _read_cooperatives(reader, data.get("cooperatives", []))
    services = _read_services(reader, data.get("services", []), cooperatives, catalogue_refs)
    gift_vouchers = _read_gift_vouchers(reader, data.get("gift_vouchers"), cooperatives)
    accessibility = _read_accessibility(reader, data.get("accessibility", {}))
    privacy = _read_privacy(reader, data.get("privacy", {}), contacts, cooperatives)
    programmes = _read_programmes(reader, data.get("programmes", []), cooperatives, municipalities)

    if reader.errors:
        return None, reader.errors
    spec = TerritorySpec(
        path=path,
        slug=slug,
        name=name,
        tagline=tagline,
        hosts=hosts,
        languages=languages,
        municipalities=municipalities,
        theme=theme,
        palette=palette,
        contacts=contacts,
        cooperatives=cooperatives,
        services=services,
        gift_vouchers=gift_vouchers,
        accessibility=accessibility,
        privacy=privacy,
        programmes=programmes,
    )
    return spec, []


def _read_cooperatives(reader: Reader, items: Any) -> list[CooperativeSpec]:
    if not isinstance(items, list) or not items:
        reader.error("cooperatives", "must list at least one cooperative ([[cooperatives]])")
        return []
    result = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = f"cooperatives[{i}]"
        item = reader.table(
            item,
            key,
            {
                "slug": True,
                "legal_name": True,
                "vat_number": True,
                "editors": False,
                "city": False,
                "uni_pdr_58_expires": False,
                "bookshop": False,
            },
        )
        slug = reader.string(item, "slug", f"{key}.slug")
        if slug and not SLUG_RE.match(slug):
            reader.error(f"{key}.slug", "use lower-case letters, digits and hyphens")
        if slug in seen:
            reader.error(f"{key}.slug", f"duplicate cooperative '{slug}'")
        seen.add(slug)
        vat = reader.string(item, "vat_number", f"{key}.vat_number")
        if vat and not vat_number_is_valid(vat):
            reader.error(
                f"{key}.vat_number",
                f"'{vat}' is not a valid Italian VAT number (11 digits, check digit)",
            )
        editors = reader.string_list(item, "editors", f"{key}.editors")
        for j, email in enumerate(editors):
            try:
                validate_email(email)
            except ValidationError:
                reader.error(f"{key}.editors[{j}]", f"'{email}' is not an e-mail address")
        expires = item.get("uni_pdr_58_expires")
        if expires is not None and (not isinstance(expires, date) or hasattr(expires, "hour")):
            reader.error(f"{key}.uni_pdr_58_expires", "must be a date like 2027-06-30 (no quotes)")
            expires = None
        bookshop = item.get("bookshop", False)
        if not isinstance(bookshop, bool):
            reader.error(f"{key}.bookshop", "must be true or false (no quotes)")
            bookshop = False
        elif bookshop and any(c.bookshop for c in result):
            reader.error(f"{key}.bookshop", "only one cooperative can be the bookshop")
        result.append(
            CooperativeSpec(
                slug=slug,
                legal_name=reader.string(item, "legal_name", f"{key}.legal_name"),
                vat_number=vat,
                editors=[e.lower() for e in editors],
                city=reader.string(item, "city", f"{key}.city"),
                uni_pdr_58_expires=expires,
                bookshop=bookshop,
            )
        )
    return result


def _read_services(
    reader: Reader, items: Any, cooperatives: list[CooperativeSpec], catalogue_refs: set[str]
) -> list[ServiceOffer]:
    if not isinstance(items, list):
        reader.error("services", "must be a list of tables ([[services]])")
        return []
    cooperative_slugs = {c.slug for c in cooperatives}
    result = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(items):
        key = f"services[{i}]"
        item = reader.table(
            item, key, {"ref": True, "cooperative": True, "price": True, "packages": False}
        )
        ref = reader.string(item, "ref", f"{key}.ref")
        if ref and ref not in catalogue_refs:
            reader.error(f"{key}.ref", f"unknown service '{ref}' (not in the shared catalogue)")
        cooperative = reader.string(item, "cooperative", f"{key}.cooperative")
        if cooperative and cooperative not in cooperative_slugs:
            reader.error(
                f"{key}.cooperative", f"unknown cooperative '{cooperative}' (not in this file)"
            )
        if (ref, cooperative) in seen:
            reader.error(key, f"'{ref}' is offered twice by '{cooperative}'")
        seen.add((ref, cooperative))
        price = read_price(reader, item.get("price"), f"{key}.price")
        packages = (
            _read_packages(reader, item["packages"], f"{key}.packages", ref)
            if "packages" in item and ref in catalogue_refs
            else {}
        )
        result.append(
            ServiceOffer(ref=ref, cooperative=cooperative, price=price, packages=packages)
        )
    return result


def _read_packages(reader: Reader, value: Any, key: str, ref: str) -> dict[int, Decimal]:
    """``packages = { 5 = "80.00" }``: prices of a service's other packages, by sessions."""
    service = load_catalogue().services[ref]
    if not service.packages:
        reader.error(key, f"'{ref}' is not sold in packages (see the shared catalogue)")
        return {}
    if not isinstance(value, dict):
        reader.error(key, 'must be a table of prices by sessions, e.g. { 5 = "80.00" }')
        return {}
    others = [str(p.sessions) for p in service.packages[1:]]
    result = {}
    for sessions, price in value.items():
        if sessions not in others:
            reader.error(
                f"{key}.{sessions}",
                f"'{ref}' has no package of {sessions} sessions here "
                f"(packages: {', '.join(others) or 'none'}; the first is priced by 'price')",
            )
            continue
        result[int(sessions)] = read_price(reader, price, f"{key}.{sessions}")
    return result


def _read_gift_vouchers(
    reader: Reader, items: Any, cooperatives: list[CooperativeSpec]
) -> list[GiftVoucherSpec]:
    """``[[gift_vouchers]]``; absent: one voucher spendable at every cooperative of the portal."""
    if items is None:
        return [GiftVoucherSpec()]
    if not isinstance(items, list):
        reader.error("gift_vouchers", "must be a list of tables ([[gift_vouchers]])")
        return []
    cooperative_slugs = {c.slug for c in cooperatives}
    result: list[GiftVoucherSpec] = []
    for i, item in enumerate(items):
        key = f"gift_vouchers[{i}]"
        item = reader.table(item, key, {"cooperative": False})
        cooperative = reader.string(item, "cooperative", f"{key}.cooperative")
        if cooperative and cooperative not in cooperative_slugs:
            reader.error(
                f"{key}.cooperative", f"unknown cooperative '{cooperative}' (not in this file)"
            )
        if any(v.cooperative == cooperative for v in result):
            reader.error(key, "the same gift voucher is listed twice")
        result.append(GiftVoucherSpec(cooperative=cooperative))
    return result


def _read_accessibility(reader: Reader, data: Any) -> AccessibilitySpec:
    """``[accessibility]``: the statement's status, non-accessible content, dates, feedback."""
    data = reader.table(
        data,
        "accessibility",
        {
            "status": False,
            "non_accessible": False,
            "assessed": False,
            "reviewed": False,
            "feedback_url": False,
        },
    )
    status = reader.string(data, "status", "accessibility.status", default="partially_compliant")
    if status not in ACCESSIBILITY_STATUSES:
        reader.error(
            "accessibility.status",
            f"'{status}' is not a status (statuses: {', '.join(ACCESSIBILITY_STATUSES)})",
        )
    assessed = read_date(reader, data.get("assessed"), "accessibility.assessed")
    reviewed = read_date(reader, data.get("reviewed"), "accessibility.reviewed")
    if reviewed and not assessed:
        reader.error("accessibility.reviewed", "needs 'assessed', the date of the first review")
    elif reviewed and assessed and reviewed < assessed:
        reader.error("accessibility.reviewed", "must not come before 'assessed'")
    feedback_url = reader.string(data, "feedback_url", "accessibility.feedback_url")
    if feedback_url and not feedback_url.startswith(("https://", "http://", "/")):
        reader.error(
            "accessibility.feedback_url",
            f"'{feedback_url}' is not an address (https://… or a path like /contatti/)",
        )
    non_accessible = None
    if "non_accessible" in data:
        errors_before = len(reader.errors)
        non_accessible = _read_non_accessible(reader, data["non_accessible"])
        if status == "compliant" and non_accessible:
            reader.error(
                "accessibility.non_accessible",
                "a compliant portal has no non-accessible content: remove the list "
                "or change 'status'",
            )
        elif status != "compliant" and not non_accessible and len(reader.errors) == errors_before:
            reader.error(
                "accessibility.non_accessible",
                f"a portal that is '{status}' must list what is not accessible",
            )
    elif status == "compliant":
        non_accessible = []
    return AccessibilitySpec(
        status=status,
        non_accessible=non_accessible,
        assessed=assessed,
        reviewed=reviewed,
        feedback_url=feedback_url,
    )


def _read_non_accessible(reader: Reader, items: Any) -> list[NonAccessibleItem]:
    if not isinstance(items, list):
        reader.error(
            "accessibility.non_accessible",
            "must be a list of tables ([[accessibility.non_accessible]])",
        )
        return []
    result = []
    for i, item in enumerate(items):
        key = f"accessibility.non_accessible[{i}]"
        item = reader.table(item, key, {"content": True, "reason": False, "alternative": False})
        reason = reader.string(item, "reason", f"{key}.reason", default="non_conformity")
        if reason not in NON_ACCESSIBLE_REASONS:
            reader.error(
                f"{key}.reason",
                f"'{reason}' is not a reason (reasons: {', '.join(NON_ACCESSIBLE_REASONS)})",
            )
        result.append(
            NonAccessibleItem(
                content=reader.string(item, "content", f"{key}.content", max_len=500),
                reason=reason,
                alternative=reader.string(item, "alternative", f"{key}.alternative", max_len=500),
            )
        )
    return result


def _read_privacy(
    reader: Reader, data: Any, contacts: dict[str, str], cooperatives: list[CooperativeSpec]
) -> PrivacySpec:
    """``[privacy]``: the data controller; by default the first cooperative, at the portal's
    contacts (the cooperative that runs the portal is the usual controller)."""
    data = reader.table(
        data,
        "privacy",
        {
            "controller": False,
            "controller_vat": False,
            "controller_address": False,
            "controller_email": False,
            "dpo_email": False,
        },
    )
    first = cooperatives[0] if cooperatives else None
    controller = reader.string(
        data, "controller", "privacy.controller", default=first.legal_name if first else ""
    )
    vat = reader.string(
        data,
        "controller_vat",
        "privacy.controller_vat",
        default=first.vat_number if first and "controller" not in data else "",
    )
    if "controller_vat" in data and vat and not vat_number_is_valid(vat):
        reader.error(
            "privacy.controller_vat",
            f"'{vat}' is not a valid Italian VAT number (11 digits, check digit)",
        )
    return PrivacySpec(
        controller=controller,
        controller_vat=vat,
        controller_address=reader.string(
            data, "controller_address", "privacy.controller_address", default=contacts["address"]
        ),
        controller_email=read_email(
            reader, data, "controller_email", "privacy.controller_email", contacts["email"]
        ),
        dpo_email=read_email(reader, data, "dpo_email", "privacy.dpo_email", ""),
    )


MAX_BUDGET = Decimal("100000000")


def _read_day(reader: Reader, value: Any, key: str, required: bool = True) -> date | None:
    """A TOML date, past or future (a programme's dates); None when absent or wrong."""
    if value is None:
        if required:
            reader.error(key, "is required")
        return None
    if not isinstance(value, date) or hasattr(value, "hour"):
        reader.error(key, "must be a date like 2026-03-31 (no quotes)")
        return None
    return value


def _read_budget(reader: Reader, value: Any, key: str) -> Decimal:
    """A programme's budget: euros as a string (``"50000.00"``), more than zero, in cents."""
    if value is None:
        return Decimal(0)  # "is required" was said by the table check
    if not isinstance(value, str):
        reader.error(key, 'must be an amount in euros as a string, e.g. "50000.00"')
        return Decimal(0)
    try:
        budget = Decimal(value.strip())
    except InvalidOperation:
        reader.error(key, f"'{value}' is not an amount in euros")
        return Decimal(0)
    if (
        not budget.is_finite()
        or budget <= 0
        or budget >= MAX_BUDGET
        or budget != budget.quantize(Decimal("0.01"))
    ):
        reader.error(key, f"'{value}' must be more than 0.00 and below {MAX_BUDGET}, in cents")
        return Decimal(0)
    return budget.quantize(Decimal("0.01"))


def _read_amounts(reader: Reader, value: Any, key: str) -> dict[int, Decimal]:
    """``amounts = { 1 = "150.00", 4 = "400.00" }``: euros by household size."""
    if not isinstance(value, dict) or not value:
        reader.error(key, 'must be a table of euros by household size, e.g. { 1 = "150.00" }')
        return {}
    result = {}
    for size, amount in value.items():
        if not str(size).isdigit() or not 1 <= int(size) <= 20:
            reader.error(f"{key}.{size}", "a household size is a whole number from 1 to 20")
            continue
        price = read_price(reader, amount, f"{key}.{size}")
        if price <= 0 and not any(e.key == f"{key}.{size}" for e in reader.errors):
            reader.error(f"{key}.{size}", "must be more than 0.00")
        result[int(size)] = price
    return dict(sorted(result.items()))


def _read_questions(reader: Reader, items: Any, key: str) -> list[QuestionSpec]:
    if not isinstance(items, list):
        reader.error(key, f"must be a list of tables ([[{key.split('[')[0]}.questions]])")
        return []
    result: list[QuestionSpec] = []
    for i, item in enumerate(items):
        qkey = f"{key}[{i}]"
        item = reader.table(
            item,
            qkey,
            {"key": True, "label": True, "type": False, "choices": False, "required": False},
        )
        name = reader.string(item, "key", f"{qkey}.key", max_len=40)
        if name and not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            reader.error(f"{qkey}.key", "use lower-case letters, digits and underscores")
        if name in {q.key for q in result}:
            reader.error(f"{qkey}.key", f"duplicate question '{name}'")
        kind = reader.string(item, "type", f"{qkey}.type", default="text")
        if kind not in QUESTION_TYPES:
            reader.error(
                f"{qkey}.type", f"'{kind}' is not a type (types: {', '.join(QUESTION_TYPES)})"
            )
        choices = reader.string_list(item, "choices", f"{qkey}.choices")
        if kind == "choice" and len(choices) < 2:
            reader.error(f"{qkey}.choices", "a 'choice' question lists at least two choices")
        elif kind != "choice" and choices:
            reader.error(f"{qkey}.choices", "only a 'choice' question has choices")
        required = item.get("required", True)
        if not isinstance(required, bool):
            reader.error(f"{qkey}.required", "must be true or false (no quotes)")
            required = True
        result.append(
            QuestionSpec(
                key=name,
                label=reader.string(item, "label", f"{qkey}.label"),
                type=kind,
                choices=tuple(choices),
                required=required,
            )
        )
    return result


def _read_programmes(
    reader: Reader, items: Any, cooperatives: list[CooperativeSpec], municipalities: list[str]
) -> list[ProgrammeSpec]:
    """``[[programmes]]``: the welfare programmes the portal opens (optional)."""
    if not isinstance(items, list):
        reader.error("programmes", "must be a list of tables ([[programmes]])")
        return []
    cooperative_slugs = {c.slug for c in cooperatives}
    categories = set(load_catalogue().categories)
    result: list[ProgrammeSpec] = []
    for i, item in enumerate(items):
        key = f"programmes[{i}]"
        item = reader.table(
            item,
            key,
            {
                "slug": True,
                "title": True,
                "summary": False,
                "kind": True,
                "budget": True,
                "opens_on": True,
                "closes_on": True,
                "amounts": True,
                "cooperatives": False,
                "categories": False,
                "credit_expires_on": False,
                "municipalities": False,
                "questions": False,
            },
        )
        slug = reader.string(item, "slug", f"{key}.slug")
        if slug and not SLUG_RE.match(slug):
            reader.error(f"{key}.slug", "use lower-case letters, digits and hyphens")
        if slug in {p.slug for p in result}:
            reader.error(f"{key}.slug", f"duplicate programme '{slug}'")
        kind = reader.string(item, "kind", f"{key}.kind")
        if kind and kind not in PROGRAMME_KINDS:
            reader.error(
                f"{key}.kind", f"'{kind}' is not a kind (kinds: {', '.join(PROGRAMME_KINDS)})"
            )
        budget = _read_budget(reader, item.get("budget"), f"{key}.budget")
        opens_on = _read_day(reader, item.get("opens_on"), f"{key}.opens_on", required=False)
        closes_on = _read_day(reader, item.get("closes_on"), f"{key}.closes_on", required=False)
        if opens_on and closes_on and closes_on < opens_on:
            reader.error(f"{key}.closes_on", "must not come before 'opens_on'")
        expires = _read_day(
            reader, item.get("credit_expires_on"), f"{key}.credit_expires_on", required=False
        )
        if expires and closes_on and expires < closes_on:
            reader.error(f"{key}.credit_expires_on", "must not come before 'closes_on'")
        amounts = (
            _read_amounts(reader, item.get("amounts"), f"{key}.amounts")
            if "amounts" in item
            else {}
        )
        chosen = reader.string_list(item, "cooperatives", f"{key}.cooperatives")
        for j, slug_ in enumerate(chosen):
            if slug_ not in cooperative_slugs:
                reader.error(
                    f"{key}.cooperatives[{j}]", f"unknown cooperative '{slug_}' (not in this file)"
                )
        wanted = reader.string_list(item, "categories", f"{key}.categories")
        for j, category in enumerate(wanted):
            if category not in categories:
                reader.error(
                    f"{key}.categories[{j}]",
                    f"unknown category '{category}' (categories: {', '.join(sorted(categories))})",
                )
        covered = reader.string_list(item, "municipalities", f"{key}.municipalities")
        for j, town in enumerate(covered):
            if town not in municipalities:
                reader.error(
                    f"{key}.municipalities[{j}]",
                    f"'{town}' is not one of the portal's municipalities "
                    f"({', '.join(municipalities)})",
                )
        if "municipalities" not in item and not municipalities:
            reader.error(
                f"{key}.municipalities", "is required when the portal lists no municipalities"
            )
        questions = _read_questions(reader, item.get("questions", []), f"{key}.questions")
        result.append(
            ProgrammeSpec(
                slug=slug,
                title=reader.string(item, "title", f"{key}.title"),
                summary=reader.string(item, "summary", f"{key}.summary", max_len=2000),
                kind=kind,
                budget=budget,
                opens_on=opens_on or date.min,
                closes_on=closes_on or date.min,
                amounts=amounts,
                cooperatives=chosen,
                categories=wanted,
                credit_expires_on=expires,
                municipalities=covered or list(municipalities),
                questions=questions,
            )
        )
    return result
