"""Themes: ``themes/<name>/`` with theme.toml, templates/ and static/.

The request's territory picks the theme (TerritoryMiddleware calls :func:`use_theme`); the
template loader then looks in that theme's templates, then in the themes it extends, then in
the apps. Parsed templates are cached per theme, so two portals never share a compiled page.
"""

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loaders.cached import Loader as CachedLoader
from django.template.loaders.filesystem import Loader as FilesystemLoader

from portal.defaults import setting

_current_theme: ContextVar[str | None] = ContextVar("portal_theme", default=None)


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: str = ""
    extends: str | None = None
    palette: dict[str, str] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return themes_dir() / self.name


def themes_dir() -> Path:
    return Path(settings.BASE_DIR) / setting("PORTAL_THEMES_DIR")


@cache
def available_themes() -> dict[str, Theme]:
    """Every folder of themes/ that has a theme.toml, by name."""
    themes = {}
    for toml_path in sorted(themes_dir().glob("*/theme.toml")):
        with toml_path.open("rb") as f:
            data = tomllib.load(f)
        name = toml_path.parent.name
        themes[name] = Theme(
            name=name,
            label=data.get("label", name),
            description=data.get("description", ""),
            extends=data.get("extends"),
            palette=dict(data.get("palette", {})),
        )
    return themes


def theme_chain(name: str | None) -> list[Theme]:
    """The theme and the themes it extends, nearest first; the default theme if unknown."""
    themes = available_themes()
    current = themes.get(name or "") or themes.get(setting("PORTAL_DEFAULT_THEME"))
    chain: list[Theme] = []
    while current is not None and current not in chain:
        chain.append(current)
        current = themes.get(current.extends or "")
    return chain


def palette_for(territory) -> dict[str, str]:
    """The colours of a territory: its theme's defaults (and those it extends), then its own."""
    palette: dict[str, str] = {}
    for theme in reversed(theme_chain(territory.theme if territory else None)):
        palette.update(theme.palette)
    if territory is not None:
        palette.update(territory.palette)
    return palette


def current_theme() -> str:
    return _current_theme.get() or setting("PORTAL_DEFAULT_THEME")


@contextmanager
def use_theme(name: str | None) -> Iterator[None]:
    token = _current_theme.set(name)
    try:
        yield
    finally:
        _current_theme.reset(token)


class ThemeDirsLoader(FilesystemLoader):
    """Looks in the current theme's templates/ folder and in those of the themes it extends."""

    def get_dirs(self):
        chain = theme_chain(current_theme())
        if _current_theme.get() is None:  # outside a request (e-mails, the autoreloader): all
            chain += [t for t in available_themes().values() if t not in chain]
        return [theme.folder / "templates" for theme in chain]


class ThemeCachedLoader(CachedLoader):
    """Django's cached loader, with the theme in the cache key."""

    def cache_key(self, template_name, skip=None):
        return f"{current_theme()}:{super().cache_key(template_name, skip)}"
