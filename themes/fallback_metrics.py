"""The metric overrides of the web fonts' fallback faces, written to themes/fallback_metrics.json.

Until a web font arrives (font-display: swap) the text is drawn in a local font; when the web
font swaps in, lines that were wider or taller move what follows them (layout shift, CLS). A
fallback @font-face over the local font with size-adjust (the web font's average advance over
the local font's, on a sample of Italian text), ascent-override, descent-override and
line-gap-override (the web font's vertical metrics, over size-adjust) draws the fallback in
the web font's footprint. themes/build_assets.mjs writes those @font-face rules from the JSON
and names each "<family> Fallback" right after its family.

The local fonts: Arial, Times New Roman and Courier New, or where they are missing (Linux) the
Liberation fonts, made with the same metrics; the numbers are computed on the Liberation files.

    .venv/bin/python themes/fallback_metrics.py    # after bootstrap-italia's fonts change
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "node_modules" / "bootstrap-italia" / "dist" / "fonts"
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
# Italian text as the portals' pages have it: the widths are weighted by how often each
# letter appears, not by the alphabet.
SAMPLE = (
    "Il portale del welfare territoriale raccoglie i servizi delle cooperative sociali: "
    "assistenza domiciliare, doposcuola, centri estivi e sostegno alle famiglie. Ogni "
    "cittadino può prenotare e pagare online, con i buoni del Comune o la carta."
)
# family: (web font stem, {weight: (web face, local fallback file, local() names)})
FAMILIES = {
    "Titillium Web": (
        "Titillium_Web/titillium-web-v10-latin-ext_latin",
        {
            300: ("300", "LiberationSans-Regular.ttf", ["Arial", "Liberation Sans"]),
            400: ("regular", "LiberationSans-Regular.ttf", ["Arial", "Liberation Sans"]),
            600: ("600", "LiberationSans-Bold.ttf", ["Arial Bold", "Liberation Sans Bold"]),
            700: ("700", "LiberationSans-Bold.ttf", ["Arial Bold", "Liberation Sans Bold"]),
        },
    ),
    "Lora": (
        "Lora/lora-v20-latin-ext_latin",
        {
            400: (
                "regular",
                "LiberationSerif-Regular.ttf",
                ["Times New Roman", "Liberation Serif"],
            ),
            700: (
                "700",
                "LiberationSerif-Bold.ttf",
                ["Times New Roman Bold", "Liberation Serif Bold"],
            ),
        },
    ),
    "Roboto Mono": (
        "Roboto_Mono/roboto-mono-v13-latin-ext_latin",
        {
            400: ("regular", "LiberationMono-Regular.ttf", ["Courier New", "Liberation Mono"]),
            700: ("700", "LiberationMono-Bold.ttf", ["Courier New Bold", "Liberation Mono Bold"]),
        },
    ),
}


def average_advance(font: TTFont) -> float:
    """The sample's mean advance width, in ems."""
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    widths = [metrics[cmap[ord(char)]][0] for char in SAMPLE if ord(char) in cmap]
    return sum(widths) / len(widths) / font["head"].unitsPerEm


def vertical(font: TTFont) -> tuple[float, float, float]:
    """Ascent, descent and line gap in ems, as Chromium reads them: OS/2's typographic ones
    when the font says to use them (USE_TYPO_METRICS), hhea's otherwise."""
    em = font["head"].unitsPerEm
    os2 = font["OS/2"]
    if os2.fsSelection & (1 << 7):
        return os2.sTypoAscender / em, -os2.sTypoDescender / em, os2.sTypoLineGap / em
    hhea = font["hhea"]
    return hhea.ascent / em, -hhea.descent / em, hhea.lineGap / em


def faces() -> list[dict]:
    rows = []
    for family, (stem, weights) in FAMILIES.items():
        for weight, (suffix, local_file, local_names) in weights.items():
            web = TTFont(FONTS / f"{stem}-{suffix}.woff2")
            local = TTFont(LIBERATION / local_file)
            size = average_advance(web) / average_advance(local)
            ascent, descent, gap = vertical(web)
            rows.append(
                {
                    "family": family,
                    "weight": weight,
                    "local": local_names,
                    "size_adjust": f"{size * 100:.2f}%",
                    "ascent_override": f"{ascent / size * 100:.2f}%",
                    "descent_override": f"{descent / size * 100:.2f}%",
                    "line_gap_override": f"{gap / size * 100:.2f}%",
                }
            )
    return rows


if __name__ == "__main__":
    out = ROOT / "themes" / "fallback_metrics.json"
    out.write_text(json.dumps(faces(), indent=2) + "\n")
    print(f"{out.relative_to(ROOT)}: {len(faces())} fallback faces")
