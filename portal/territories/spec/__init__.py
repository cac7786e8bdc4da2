"""Territory specs: ``sites/<slug>.toml`` read into typed objects, or a list of errors.

Every error names the file and the key path (``sites/lecco.toml: cooperatives[1].vat_number:
…``). Nothing here writes to the database: ``portal check`` is this module alone.
"""

from .files import load_all, spec_paths
from .parse import parse_spec
from .reader import vat_number_is_valid
from .records import (
    AccessibilitySpec,
    CooperativeSpec,
    GiftVoucherSpec,
    IncomeBandSpec,
    NonAccessibleItem,
    PrivacySpec,
    ProgrammeSpec,
    QuestionSpec,
    ReductionSpec,
    ServiceOffer,
    SocialPointSpec,
    SpecError,
    TerritorySpec,
    display_path,
)

__all__ = [
    "AccessibilitySpec",
    "CooperativeSpec",
    "GiftVoucherSpec",
    "IncomeBandSpec",
    "NonAccessibleItem",
    "PrivacySpec",
    "ProgrammeSpec",
    "QuestionSpec",
    "ReductionSpec",
    "ServiceOffer",
    "SocialPointSpec",
    "SpecError",
    "TerritorySpec",
    "display_path",
    "load_all",
    "parse_spec",
    "spec_paths",
    "vat_number_is_valid",
]
