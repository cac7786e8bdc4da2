"""Which spec files there are, and the checks across them (slugs, hosts)."""

import tomllib
from pathlib import Path

from django.conf import settings

from portal.defaults import setting
from shop.catalogue.fixture import load_catalogue

from .parse import parse_spec
from .records import SpecError, TerritorySpec, display_path


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
    errors += _cooperative_conflicts(specs, catalogue_refs)
    if errors:
        return [], errors
    return specs, errors


# what makes a cooperative the same one in every spec that declares it
COOPERATIVE_IDENTITY = ("legal_name", "vat_number", "city", "uni_pdr_58_expires")


def _cooperative_conflicts(specs: list[TerritorySpec], catalogue_refs: set[str]) -> list[SpecError]:
    """A cooperative (a slug) declared differently in two specs, the ones checked and the
    other files of the sites folder: one spec must not take over another portal's
    cooperative, and one serving several territories says the same in each spec."""
    checked = {spec.path.resolve() for spec in specs}
    others = []
    for path in spec_paths():
        if path.resolve() not in checked:
            other, _errors = parse_spec(path, catalogue_refs)  # its own errors are its own
            if other:
                others.append(other)
    seen: dict[str, tuple[str, object]] = {}
    for spec in others:
        for coop in spec.cooperatives:
            seen.setdefault(coop.slug, (display_path(spec.path), coop))
    errors = []
    for spec in specs:
        file = display_path(spec.path)
        for i, coop in enumerate(spec.cooperatives):
            if coop.slug not in seen:
                seen[coop.slug] = (file, coop)
                continue
            other_file, other = seen[coop.slug]
            for field in COOPERATIVE_IDENTITY:
                ours, theirs = getattr(coop, field), getattr(other, field)
                if ours != theirs:
                    errors.append(
                        SpecError(
                            file,
                            f"cooperatives[{i}].{field}",
                            f"'{ours or ''}', but cooperative '{coop.slug}' is declared in "
                            f"{other_file} with '{theirs or ''}': a cooperative serving several "
                            "territories is declared the same way in each spec (another "
                            "portal's cooperative cannot be taken over)",
                        )
                    )
    return errors
