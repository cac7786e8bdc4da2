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


PROGRAMME_KINDS = ("vouchers", "grant")
QUESTION_TYPES = ("text", "number", "yes_no", "choice")


@dataclass(frozen=True)
class QuestionSpec:
    """One more question of a programme's form (household size, municipality and income band
    are always asked)."""

    key: str
    label: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass
class ProgrammeSpec:
    """``[[programmes]]``: a call the generator opens (officers may change it afterwards)."""

    slug: str
    title: str
    kind: str
    budget: Decimal
    opens_on: date
    closes_on: date
    amounts: dict[int, Decimal]  # household size → euros; the largest size covers larger ones
    summary: str = ""
    cooperatives: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    credit_expires_on: date | None = None
    municipalities: list[str] = field(default_factory=list)  # empty: all the territory's
    questions: list[QuestionSpec] = field(default_factory=list)


@dataclass(frozen=True)
class IncomeBandSpec:
    """``[[income_bands]]``: a verified band (never the raw ISEE figure), e.g. A, "ISEE fino a
    8.000 €"."""

    code: str
    label: str


@dataclass(frozen=True)
class ReductionSpec:
    """``[[reductions]]``: what a band takes off some services, paid by a programme."""

    band: str
    percent_off: int  # 100: free
    programme: str
    categories: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class SocialPointSpec:
    """``[[social_points]]``: a desk where citizens are helped in person."""

    slug: str
    name: str
    address: str
    hours: str = ""
    phone: str = ""


# The conformance statuses of AgID's model (Linee guida sull'accessibilità, cap. 4).
ACCESSIBILITY_STATUSES = ("compliant", "partially_compliant", "non_compliant")
# Why content is not accessible: a failed requirement, a disproportionate burden (art. 3-ter
# of Law 4/2004), or content outside the law's scope (third-party content, live media...).
NON_ACCESSIBLE_REASONS = ("non_conformity", "disproportionate_burden", "out_of_scope")


@dataclass(frozen=True)
class NonAccessibleItem:
    content: str  # what is not accessible, as the spec wrote it (or a built-in default)
    reason: str  # one of NON_ACCESSIBLE_REASONS
    alternative: str = ""  # how to get the same information or service another way
    builtin: str = ""  # the key of a built-in default item: its text is translated


@dataclass
class AccessibilitySpec:
    """``[accessibility]``: what the accessibility statement says (AgID's model)."""

    status: str = "partially_compliant"
    non_accessible: list[NonAccessibleItem] | None = None  # None: the built-in defaults
    assessed: date | None = None  # None: the date of the first build, remembered
    reviewed: date | None = None  # None: the same as ``assessed``
    feedback_url: str = ""  # None given: the portal's contact form, or its contacts page


@dataclass
class PrivacySpec:
    """``[privacy]``: the data controller the privacy notice names (GDPR art. 13)."""

    controller: str
    controller_address: str
    controller_email: str
    controller_vat: str = ""
    dpo_email: str = ""


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
    accessibility: AccessibilitySpec = field(default_factory=AccessibilitySpec)
    privacy: PrivacySpec | None = None  # None only for a spec object built by hand
    programmes: list[ProgrammeSpec] = field(default_factory=list)
    income_bands: list[IncomeBandSpec] = field(default_factory=list)
    reductions: list[ReductionSpec] = field(default_factory=list)
    social_points: list[SocialPointSpec] = field(default_factory=list)

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
