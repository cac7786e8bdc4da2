"""The portal's colours as a stylesheet of its own (``/theme/palette-<version>.css``).

The colours were an inline ``<style>`` in every page's head, which kept ``'unsafe-inline'``
in the public pages' ``style-src``. They are a file now: its address carries a hash of its
content (the version), so it is cached for a year and a changed colour in the spec (or in the
theme's defaults) gives a new address on the next page. A page cached before the change still
names the old version: that address answers with the current colours, to be revalidated.
"""

import hashlib
from dataclasses import dataclass

from django.urls import reverse

from portal.content.templatetags.portal_tags import on_colour, readable_on_white
from portal.territories.spec.reader import COLOR_RE

DEFAULT_PRIMARY = "#0066cc"
DEFAULT_SECONDARY = "#17324d"


@dataclass(frozen=True)
class PaletteStylesheet:
    css: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.css.encode()).hexdigest()[:16]

    @property
    def url(self) -> str:
        return reverse("portal-palette", kwargs={"version": self.version})


def _colour(value: object, default: str) -> str:
    # a stylesheet takes no escaping: anything but #rrggbb could close the rule and add others
    text = str(value or "")
    return text.lower() if COLOR_RE.match(text) else default


def palette_stylesheet(palette: dict[str, str]) -> PaletteStylesheet:
    """The custom properties theme.css reads, from a territory's palette (``palette_for``);
    text on each colour is black or white, whichever contrasts more."""
    primary = _colour(palette.get("primary"), DEFAULT_PRIMARY)
    secondary = _colour(palette.get("secondary"), DEFAULT_SECONDARY)
    properties = {
        "--portal-primary": primary,
        "--portal-secondary": secondary,
        "--portal-on-primary": on_colour(primary),
        "--portal-on-secondary": on_colour(secondary),
        "--portal-link": readable_on_white(primary),
    }
    body = "".join(f"\n    {name}: {value};" for name, value in properties.items())
    return PaletteStylesheet(css=f":root {{{body}\n}}\n")
