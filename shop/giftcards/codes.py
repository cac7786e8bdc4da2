"""Gift voucher codes: random, easy to read aloud, stored only as a digest.

A code is 18 characters from a 30-character alphabet without look-alikes (no 0/O, 1/I/L, U),
so it carries 18 × log2(30) ≈ 88 bits of randomness from :mod:`secrets`, shown in groups:
``K7QM-3WXR-9HTD-PC4N-ZE``. People type it however they like (lower case, spaces, dashes):
:func:`normalise` folds all of that away.

The database keeps the SHA-256 of the normalised code (to find the card) and its last four
characters (to show which card it is). A plain, unkeyed hash is enough: with 88 random bits
nobody can try every code against a stolen digest, and a keyed hash would break every card
the day the key is rotated.
"""

import hashlib
import math
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 18
GROUP = 4
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))
_SEPARATORS = re.compile(r"[\s\-_.]+")


def generate_code() -> str:
    """A new random code, grouped for reading (``XXXX-XXXX-XXXX-XXXX-XX``)."""
    return group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def group(code: str) -> str:
    """``code`` (normalised) in groups of four separated by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str | None:
    """The code a person typed, as stored: upper case, no spaces or dashes; None if not a code.

    ``k7qm 3wxr-9htd pc4n ze`` and ``K7QM-3WXR-9HTD-PC4N-ZE`` are the same code.
    """
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def digest(code: str) -> str:
    """SHA-256 (hex) of the normalised ``code``: what the database looks a card up by."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
