"""One spec file, key by key: :func:`parse_spec` and its readers of each table."""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.defaults import setting
from shop.catalogue.fixture import load_catalogue

from ..themes import available_themes
from .programmes import read_programmes
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
    AccessibilitySpec,
    CooperativeSpec,
    GiftVoucherSpec,
    NonAccessibleItem,
    PrivacySpec,
    ServiceOffer,
    SpecError,
    TerritorySpec,
    display_path,
)
from .welfare import read_income_bands, read_reductions, read_social_points


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
            "income_bands": False,
            "reductions": False,
            "social_points": False,
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
    programmes = read_programmes(reader, data.get("programmes", []), cooperatives, municipalities)
    bands = read_income_bands(reader, data.get("income_bands", []))
    reductions = read_reductions(reader, data.get("reductions", []), bands, programmes, services)
    social_points = read_social_points(reader, data.get("social_points", []))

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
        income_bands=bands,
        reductions=reductions,
        social_points=social_points,
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
