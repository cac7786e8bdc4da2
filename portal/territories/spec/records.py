"""What a spec reads into: typed, frozen records, and the errors that name file and key."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from portal.defaults import setting


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


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)
