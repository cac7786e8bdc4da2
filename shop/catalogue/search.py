"""How services are searched, everywhere (the shop's search, the catalogue's ``?q=``, the
portal's /search/): by words, all of them, in any order, each matching the start of a word of
the service's title, description or category, or the name of whom it is for or how it is
delivered. Words are reduced to a stem first, so that "anziani" finds "anziano" and
"domicilio" finds "domiciliare".

The catalogue is Italian, so is the stemmer: a light one (plural and gender endings), ours,
small enough to read; the same on SQLite and PostgreSQL. On PostgreSQL a word also matches
through its full text search with the 'italian' configuration (Snowball's stemmer: "servizi"
finds "servire" too), in addition to, never instead of, the word match. It is part of the
listing's one query (listing.py), never an extra one.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import get_language

from .facets import AUDIENCE, DELIVERY

MAX_WORDS = 8  # a longer query searches its first eight words
VOWELS = "aeiouàèéìíòóù"
# longest first; each (ending, replacement), applied once if a stem of 3+ letters remains
ENDINGS = (
    ("azioni", "azion"),
    ("azione", "azion"),
    ("zioni", "zion"),
    ("zione", "zion"),
    ("mente", ""),
    ("che", "c"),
    ("chi", "c"),
    ("ghe", "g"),
    ("ghi", "g"),
)
# characters that separate words in stored text (rich text's tags included)
SEPARATORS = ("<", ">", "(", ")", "'", "’", '"', "-", "/", ",", ".", ";", ":", "\n", "\t")


def italian_stem(word: str) -> str:
    """``word`` (lower case) without its inflection: "anziani", "anziano" → "anzian";
    "famiglie", "famiglia" → "famigli"; "associazioni" → "associazion". Words of three
    letters or fewer are kept whole."""
    word = word.lower()
    if len(word) <= 3:
        return word
    for ending, replacement in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= 3:
            return word[: -len(ending)] + replacement
    if word[-1] in VOWELS:
        return word[:-1]  # "servizio" → "servizi": still the start of "servizi"
    return word


@dataclass(frozen=True)
class Term:
    """One searched word: its stem, and the facet values whose names contain a word
    starting with it ("anziani" → the audience "elderly", named "Anziani")."""

    stem: str
    audiences: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()


def words_of(text: str) -> list[str]:
    for separator in SEPARATORS:
        text = text.replace(separator, " ")
    return text.lower().split()


def _matching_codes(facet, stem: str) -> tuple[str, ...]:
    """The facet's values whose name, in the active language or in Italian (the
    catalogue's), has a word starting with ``stem``."""
    languages = dict.fromkeys([get_language() or "it", "it"])
    found = []
    for code, label in facet.choices.items():
        for language in languages:
            with translation.override(language):
                if any(word.startswith(stem) for word in words_of(str(label))):
                    found.append(code)
                    break
    return tuple(found)


def search_terms(query: str) -> list[Term]:
    """The terms of ``query``: one per distinct word (at most ``MAX_WORDS``)."""
    stems = dict.fromkeys(italian_stem(word) for word in words_of(query))
    return [
        Term(stem, _matching_codes(AUDIENCE, stem), _matching_codes(DELIVERY, stem))
        for stem in list(stems)[:MAX_WORDS]
    ]


_PLAIN_WORD = re.compile(r"^\w+$")


def full_text_prefix(stem: str) -> str | None:
    """``stem`` as a PostgreSQL ``to_tsquery`` prefix term ("anzian:*"), or None when it is
    not a plain word (the query syntax's operators are never passed through)."""
    return f"{stem}:*" if _PLAIN_WORD.match(stem) else None


def words_sql(column: str) -> str:
    """SQL for ``column`` as " word word …" in lower case: ``LIKE '% stem%'`` on it matches
    a word starting with ``stem`` (the same on SQLite and PostgreSQL)."""
    expression = column
    for separator in SEPARATORS:
        quoted = separator.replace("'", "''")  # a newline or tab stands as itself
        expression = f"REPLACE({expression}, '{quoted}', ' ')"
    return f"(' ' || LOWER({expression}))"
