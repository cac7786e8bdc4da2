"""Building one territory: the steps in order, in one transaction (rolled back if dry-run)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Locale, Page

from portal.defaults import setting

from ..models import Territory, TerritoryHost
from ..seeding import Seeder
from ..spec import SpecError, TerritorySpec, display_path
from .access import AccessSteps
from .pages import PageSteps
from .shop import ShopSteps
from .site import SiteSteps

STEPS = (
    "locales",
    "catalogue",
    "site",
    "pages",
    "collection",
    "groups",
    "settings",
    "cooperatives",
    "services",
    "gift_vouchers",
    "network",
    "bookshop",
    "programmes",
    "welfare",
    "communications",
)


class BuildError(Exception):
    """A spec that is valid on its own but cannot be built here (e.g. a host already taken)."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class BuildResult:
    territory: Territory
    summary: str
    urls: list[str]


def portal_urls(territory: Territory) -> list[str]:
    port = setting("PORTAL_DEV_PORT")
    urls = [f"http://{territory.slug}{setting('PORTAL_DEV_HOST_SUFFIX')}:{port}/"]
    urls += [f"https://{host}/" for host in territory.hostnames[1:]]
    return urls


def build(
    spec: TerritorySpec, say: Callable[[str], None] | None = None, dry_run: bool = False
) -> BuildResult:
    """Create or update the territory of ``spec`` in one transaction (rolled back if dry_run)."""
    say = say or (lambda _msg: None)
    seeder = Seeder(say)
    seeder.preload(f"{spec.slug}:")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        _check_hosts_free(spec)
        builder = _Builder(spec, seeder)
        for number, step in enumerate(STEPS, start=1):
            say(f"  [{number}/{len(STEPS)}] {step}")
            getattr(builder, f"step_{step}")()
        result = BuildResult(builder.territory, seeder.summary(), portal_urls(builder.territory))
        if dry_run:
            transaction.set_rollback(True)
    return result


def _check_hosts_free(spec: TerritorySpec) -> None:
    taken = (
        TerritoryHost.objects.filter(hostname__in=spec.all_hosts)
        .exclude(territory__slug=spec.slug)
        .select_related("territory")
    )
    errors = [
        SpecError(
            display_path(spec.path),
            "hosts",
            f"'{h.hostname}' already belongs to the territory '{h.territory.slug}'",
        )
        for h in taken
    ]
    if errors:
        raise BuildError(errors)


class _Builder(SiteSteps, PageSteps, AccessSteps, ShopSteps):
    """The build state of one spec; each step is a method of the mixin for its topic."""

    def __init__(self, spec: TerritorySpec, seeder: Seeder):
        self.spec = spec
        self.seeder = seeder
        self.territory = Territory.objects.filter(slug=spec.slug).select_related("site").first()
        self.locales: dict[str, Locale] = {}
        self.homes: dict[str, Page] = {}

    def key(self, *parts: str) -> str:
        return ":".join((self.spec.slug, *parts))
