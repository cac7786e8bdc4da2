"""The art. 51 c. 2 TUIR letters of the catalogue's services (``fixtures/tuir_categories.toml``).

A service's letters are its own (``[services]``) or else its categories' (``[categories]``);
a service with none (a removal, a repair) cannot be bought with employer credit.
"""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CODES = ("f", "f-bis", "f-ter")
NAMES = {
    "f": _("Recreation, social and health care (letter f)"),
    "f-bis": _("Education, schooling and childcare (letter f-bis)"),
    "f-ter": _("Care of elderly or dependent relatives (letter f-ter)"),
}


@dataclass(frozen=True)
class TuirMapping:
    names: dict[str, str]
    categories: dict[str, tuple[str, ...]]
    services: dict[str, tuple[str, ...]]


def fixture_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "tuir_categories.toml"


@cache
def mapping() -> TuirMapping:
    data = tomllib.loads(fixture_path().read_text(encoding="utf-8"))
    names = {code: entry["name"] for code, entry in data.get("codes", {}).items()}

    def codes(table: dict) -> dict[str, tuple[str, ...]]:
        out = {}
        for slug, letters in table.items():
            unknown = set(letters) - set(names)
            if unknown:
                raise ValueError(f"{fixture_path()}: {slug}: unknown letters {sorted(unknown)}")
            out[slug] = tuple(letters)
        return out

    return TuirMapping(names, codes(data.get("categories", {})), codes(data.get("services", {})))


def service_slug(product) -> str:
    """The catalogue service's slug of ``product`` (a package's UPC is ``<slug>--<sessions>``)."""
    upc = getattr(product, "upc", "") or ""
    parent = getattr(product, "parent", None) if getattr(product, "parent_id", None) else None
    if parent is not None and parent.upc:
        upc = parent.upc
    return upc.split("--", 1)[0]


def tuir_codes_for(product, category_slugs: Iterable[str]) -> tuple[str, ...]:
    """``product``'s TUIR letters, in :data:`CODES` order (empty: not welfare)."""
    table = mapping()
    own = table.services.get(service_slug(product))
    if own is not None:
        found = set(own)
    else:
        found = {code for slug in category_slugs for code in table.categories.get(slug, ())}
    return tuple(code for code in CODES if code in found)


def code_name(code: str) -> str:
    """The letter's name in the current language."""
    return str(NAMES.get(code, code))
