"""The portal's English in Oscar's own words: British, as Oscar's texts are written ("basket",
"voucher", "catalogue").

Python's gettext looks for "en" as ``en_US`` first, and Oscar ships an American catalogue
(``en_US``: "cart", "coupon", "catalog"), so English pages said "Basket" in the portal's
texts and "View cart" in Oscar's. ``make messages`` runs this module: it writes
``build/locale/en/LC_MESSAGES/django.po`` from the installed Oscar, each text that its
``en_US`` catalogue changes kept as Oscar wrote it; LOCALE_PATHS reads that catalogue before
Oscar's (portal/settings/base.py). Nothing of it is committed: it follows the installed Oscar.
"""

import sys
from pathlib import Path

import polib

OUTPUT = Path("build") / "locale" / "en" / "LC_MESSAGES" / "django.po"


def american_texts() -> list[polib.POEntry]:
    """Oscar's texts that its en_US catalogue words otherwise, each kept as written."""
    import oscar

    source = Path(oscar.__file__).parent / "locale" / "en_US" / "LC_MESSAGES" / "django.po"
    kept = []
    for entry in polib.pofile(str(source)):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            changed = any(
                text and text not in (entry.msgid, entry.msgid_plural)
                for text in entry.msgstr_plural.values()
            )
            if changed:
                kept.append(
                    polib.POEntry(
                        msgctxt=entry.msgctxt,
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                        flags=[f for f in entry.flags if f.endswith("-format")],
                    )
                )
        elif entry.msgstr and entry.msgstr != entry.msgid:
            kept.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgstr=entry.msgid,
                    flags=[f for f in entry.flags if f.endswith("-format")],
                )
            )
    return kept


def write(base: Path) -> int:
    """Write the catalogue under ``base``; how many texts it keeps."""
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "en",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    entries = american_texts()
    catalogue.extend(entries)
    target = base / OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target))
    return len(entries)


if __name__ == "__main__":
    count = write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
    print(f"{OUTPUT}: {count} of Oscar's texts kept in its British English")
