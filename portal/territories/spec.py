"""Territory specs: ``sites/<slug>.toml`` read into typed objects, or a list of errors.

Every error names the file and the key path (``sites/lecco.toml: cooperatives[1].vat_number:
…``). Nothing here writes to the database: ``portal check`` is this module alone.
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.defaults import setting
from shop.catalogue.fixture import load_catalogue

from .themes import available_themes

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{0,48}[a-z0-9]$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_PRICE = Decimal("10000")


@dataclass(frozen=True)
class SpecError:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.message}"
            if self.key
            else f"{self.file}: {self.message}"
        )


@dataclass
class CooperativeSpec:
    slug: str
    legal_name: str
    vat_number: str
    editors: list[str]
    city: str = ""
    uni_pdr_58_expires: date | None = None
    bookshop: bool = False  # the territory's bookshop: reading-tip reservations go to it


@dataclass
class ServiceOffer:
    ref: str
    cooperative: str
    price: Decimal  # of the service, or of its first package when it is sold in packages
    packages: dict[int, Decimal] = field(default_factory=dict)  # sessions → price, the others


@dataclass
class GiftVoucherSpec:
    """A gift voucher sold on the portal; with ``cooperative``, spendable only there."""

    cooperative: str = ""


@dataclass
class TerritorySpec:
    path: Path
    slug: str
    name: str
    tagline: str
    hosts: list[str]
    languages: list[str]
    municipalities: list[str]
    theme: str
    palette: dict[str, str]
    contacts: dict[str, str]
    cooperatives: list[CooperativeSpec] = field(default_factory=list)
    services: list[ServiceOffer] = field(default_factory=list)
    gift_vouchers: list["GiftVoucherSpec"] = field(default_factory=list)

    @property
    def dev_host(self) -> str:
        return f"{self.slug}{setting('PORTAL_DEV_HOST_SUFFIX')}"

    @property
    def all_hosts(self) -> list[str]:
        return [self.dev_host, *self.hosts]


def vat_number_is_valid(number: str) -> bool:
    """Italian partita IVA: 11 digits, the last a Luhn check digit over the first ten."""
    if not re.fullmatch(r"\d{11}", number) or number == "0" * 11:
        return False
    total = 0
    for position, char in enumerate(number[:10]):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(number[10])


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


class _Reader:
    """Walks one parsed spec, collecting errors with their key paths."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[SpecError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(SpecError(self.file, key, message))

    def table(self, data: Any, key: str, allowed: dict[str, bool]) -> dict:
        """Check a table's keys: ``allowed`` maps each key to whether it is required."""
        if not isinstance(data, dict):
            self.error(key, "must be a table")
            return {}
        prefix = f"{key}." if key else ""
        for name in data:
            if name not in allowed:
                self.error(f"{prefix}{name}", f"unknown key (allowed: {', '.join(allowed)})")
        for name, required in allowed.items():
            if required and name not in data:
                self.error(f"{prefix}{name}", "is required")
        return data

    def string(self, data: dict, key: str, path: str, default: str = "", max_len: int = 200) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.error(path, f"must be a string, not {type(value).__name__}")
            return default
        value = value.strip()
        if key in data and not value:
            self.error(path, "must not be empty")
        if len(value) > max_len:
            self.error(path, f"is longer than {max_len} characters")
        return value

    def string_list(self, data: dict, key: str, path: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path, "must be a list of strings")
            return []
        return [v.strip() for v in value]


def parse_spec(
    path: Path, catalogue_refs: set[str] | None = None
) -> tuple[TerritorySpec | None, list[SpecError]]:
    """Read and validate one spec file on its own (cross-spec checks are in :func:`load_all`)."""
    file = display_path(path)
    reader = _Reader(file)
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
    )
    return spec, []


def _read_cooperatives(reader: _Reader, items: Any) -> list[CooperativeSpec]:
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
    reader: _Reader, items: Any, cooperatives: list[CooperativeSpec], catalogue_refs: set[str]
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
        price = _read_price(reader, item.get("price"), f"{key}.price")
        packages = (
            _read_packages(reader, item["packages"], f"{key}.packages", ref)
            if "packages" in item and ref in catalogue_refs
            else {}
        )
        result.append(
            ServiceOffer(ref=ref, cooperative=cooperative, price=price, packages=packages)
        )
    return result


def _read_packages(reader: _Reader, value: Any, key: str, ref: str) -> dict[int, Decimal]:
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
        result[int(sessions)] = _read_price(reader, price, f"{key}.{sessions}")
    return result


def _read_gift_vouchers(
    reader: _Reader, items: Any, cooperatives: list[CooperativeSpec]
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


def _read_price(reader: _Reader, value: Any, key: str) -> Decimal:
    if isinstance(value, float):
        reader.error(key, 'write prices as strings, e.g. "25.00" (a float loses cents)')
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int):
        if value is not None:
            reader.error(key, 'must be an amount in euros, e.g. "25.00"')
        return Decimal(0)
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        reader.error(key, f"'{value}' is not an amount in euros")
        return Decimal(0)
    if (
        not price.is_finite()
        or price < 0
        or price >= MAX_PRICE
        or price != price.quantize(Decimal("0.01"))
    ):
        reader.error(key, f"'{value}' must be between 0.00 and {MAX_PRICE - 1}, in cents")
        return Decimal(0)
    return price.quantize(Decimal("0.01"))


def spec_paths(names: list[str] | None = None) -> list[Path]:
    """The spec files named (paths or slugs), or every ``*.toml`` in the sites folder."""
    sites_dir = Path(settings.BASE_DIR) / setting("PORTAL_SITES_DIR")
    if not names:
        return sorted(sites_dir.glob("*.toml"))
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix != ".toml":
            candidate = sites_dir / f"{name}.toml"
        paths.append(candidate)
    return paths


def load_all(names: list[str] | None = None) -> tuple[list[TerritorySpec], list[SpecError]]:
    """Validate the specs named (or all): each on its own, then slugs and hosts across them."""
    specs: list[TerritorySpec] = []
    errors: list[SpecError] = []
    try:
        catalogue_refs = set(load_catalogue().services)
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        return [], [
            SpecError(setting("PORTAL_CATALOGUE_FIXTURE"), "", f"cannot read the catalogue: {exc}")
        ]
    for path in spec_paths(names):
        spec, spec_errors = parse_spec(path, catalogue_refs)
        errors.extend(spec_errors)
        if spec:
            specs.append(spec)
    seen_slugs: dict[str, str] = {}
    seen_hosts: dict[str, str] = {}
    for spec in specs:
        file = display_path(spec.path)
        if spec.slug in seen_slugs:
            errors.append(
                SpecError(file, "slug", f"'{spec.slug}' is also used by {seen_slugs[spec.slug]}")
            )
        seen_slugs.setdefault(spec.slug, file)
        for i, host in enumerate(spec.hosts):
            if host in seen_hosts:
                errors.append(
                    SpecError(file, f"hosts[{i}]", f"'{host}' is also used by {seen_hosts[host]}")
                )
            seen_hosts.setdefault(host, file)
    if errors:
        return [], errors
    return specs, errors
