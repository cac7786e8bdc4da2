"""The spec's ``[[income_bands]]``, ``[[reductions]]`` and ``[[social_points]]`` (portal/welfare):
the bands a welfare manager may verify, what each takes off which services and which
programme pays for it, and the desks where citizens are helped in person."""

import re
from typing import Any

from shop.catalogue.fixture import load_catalogue

from .reader import SLUG_RE, Reader
from .records import IncomeBandSpec, ProgrammeSpec, ReductionSpec, ServiceOffer, SocialPointSpec

BAND_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,9}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,24}$")


def _list(reader: Reader, items: Any, key: str) -> list:
    if not isinstance(items, list):
        reader.error(key, f"must be a list of tables ([[{key}]])")
        return []
    return items


def read_income_bands(reader: Reader, items: Any) -> list[IncomeBandSpec]:
    """``[[income_bands]]``: code and label of each band, in the order they are shown."""
    result: list[IncomeBandSpec] = []
    for i, item in enumerate(_list(reader, items, "income_bands")):
        key = f"income_bands[{i}]"
        item = reader.table(item, key, {"code": True, "label": True})
        code = reader.string(item, "code", f"{key}.code", max_len=10)
        if code and not BAND_CODE_RE.match(code):
            reader.error(f"{key}.code", "use capital letters, digits and hyphens (e.g. 'A')")
        if code and code in {b.code for b in result}:
            reader.error(f"{key}.code", f"duplicate band '{code}'")
        result.append(IncomeBandSpec(code=code, label=reader.string(item, "label", f"{key}.label")))
    return result


def _read_percent(reader: Reader, item: dict, key: str) -> int:
    """``percent_off = 50`` or ``free = true`` (the same as 100), exactly one of them."""
    free = item.get("free", False)
    if not isinstance(free, bool):
        reader.error(f"{key}.free", "must be true or false (no quotes)")
        free = False
    if "percent_off" not in item:
        if not free:
            reader.error(key, "give 'percent_off' (1 to 100) or 'free = true'")
        return 100
    if free:
        reader.error(f"{key}.free", "give either 'percent_off' or 'free = true', not both")
        return 100
    percent = item["percent_off"]
    if isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100:
        reader.error(f"{key}.percent_off", "must be a whole number from 1 to 100 (no quotes)")
        return 100
    return percent


def read_reductions(
    reader: Reader,
    items: Any,
    bands: list[IncomeBandSpec],
    programmes: list[ProgrammeSpec],
    services: list[ServiceOffer],
) -> list[ReductionSpec]:
    """``[[reductions]]``: a band, the categories or services it reduces, by how much, and the
    programme (of this file) whose budget pays the difference."""
    band_codes = {b.code for b in bands}
    programme_slugs = {p.slug for p in programmes}
    offered = {s.ref for s in services}
    categories = set(load_catalogue().categories)
    covered: dict[tuple[str, str], str] = {}  # (band, "category x" / "service y") → key
    result: list[ReductionSpec] = []
    for i, item in enumerate(_list(reader, items, "reductions")):
        key = f"reductions[{i}]"
        item = reader.table(
            item,
            key,
            {
                "band": True,
                "categories": False,
                "services": False,
                "percent_off": False,
                "free": False,
                "programme": True,
            },
        )
        band = reader.string(item, "band", f"{key}.band")
        if band and band not in band_codes:
            reader.error(
                f"{key}.band",
                f"unknown band '{band}' (bands: {', '.join(sorted(band_codes)) or 'none'})",
            )
        programme = reader.string(item, "programme", f"{key}.programme")
        if programme and programme not in programme_slugs:
            reader.error(
                f"{key}.programme",
                f"unknown programme '{programme}' (not in this file's [[programmes]])",
            )
        percent = _read_percent(reader, item, key)
        wanted = reader.string_list(item, "categories", f"{key}.categories")
        refs = reader.string_list(item, "services", f"{key}.services")
        if not wanted and not refs:
            reader.error(key, "name the 'categories' or 'services' it reduces")
        for j, category in enumerate(wanted):
            if category not in categories:
                reader.error(
                    f"{key}.categories[{j}]",
                    f"unknown category '{category}' (categories: {', '.join(sorted(categories))})",
                )
        for j, ref in enumerate(refs):
            if ref not in offered:
                reader.error(
                    f"{key}.services[{j}]", f"'{ref}' is not offered by this portal ([[services]])"
                )
        for what, names, field in (
            ("category", wanted, "categories"),
            ("service", refs, "services"),
        ):
            for j, name in enumerate(names):
                earlier = covered.setdefault((band, f"{what} {name}"), key)
                if earlier != key:
                    reader.error(
                        f"{key}.{field}[{j}]",
                        f"band '{band}' already reduces {what} '{name}' ({earlier})",
                    )
        result.append(
            ReductionSpec(
                band=band,
                percent_off=percent,
                programme=programme,
                categories=tuple(wanted),
                services=tuple(refs),
            )
        )
    return result


def read_social_points(reader: Reader, items: Any) -> list[SocialPointSpec]:
    """``[[social_points]]``: name, address, opening hours and phone of each desk."""
    result: list[SocialPointSpec] = []
    for i, item in enumerate(_list(reader, items, "social_points")):
        key = f"social_points[{i}]"
        item = reader.table(
            item, key, {"slug": True, "name": True, "address": True, "hours": False, "phone": False}
        )
        slug = reader.string(item, "slug", f"{key}.slug")
        if slug and not SLUG_RE.match(slug):
            reader.error(f"{key}.slug", "use lower-case letters, digits and hyphens")
        if slug and slug in {p.slug for p in result}:
            reader.error(f"{key}.slug", f"duplicate Social Point '{slug}'")
        phone = reader.string(item, "phone", f"{key}.phone", max_len=40)
        if phone and not PHONE_RE.match(phone):
            reader.error(f"{key}.phone", f"'{phone}' is not a phone number (e.g. +39 0372 000000)")
        result.append(
            SocialPointSpec(
                slug=slug,
                name=reader.string(item, "name", f"{key}.name"),
                address=reader.string(item, "address", f"{key}.address", max_len=300),
                hours=reader.string(item, "hours", f"{key}.hours", max_len=300),
                phone=phone,
            )
        )
    return result
