"""ISBN checks: an ISBN-13 with a valid check digit; an ISBN-10 is converted to its ISBN-13.

Editors copy ISBNs from covers and catalogues, with hyphens or spaces, sometimes the older
10-digit form: we accept both, store the 13 digits, and explain a wrong one in words.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = re.compile(r"[\s-]")


def isbn13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def isbn10_is_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}[\dX]", digits):
        return False
    values = [10 if c == "X" else int(c) for c in digits]
    return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0


def normalise_isbn(value: str) -> str:
    """The 13 digits of ``value``; raises ValidationError with a reason a person understands."""
    digits = SEPARATORS.sub("", value or "").upper()
    if len(digits) == 10:
        if not isbn10_is_valid(digits):
            raise ValidationError(
                _("%(value)s is not a valid ISBN: its check digit is wrong."),
                code="isbn_checksum",
                params={"value": value},
            )
        first12 = "978" + digits[:9]
        return first12 + str(isbn13_check_digit(first12))
    if not digits.isdigit() or len(digits) != 13:
        raise ValidationError(
            _("An ISBN has 13 digits (hyphens and spaces are allowed): %(value)s has %(count)s."),
            code="isbn_length",
            params={"value": value, "count": sum(c.isdigit() for c in digits)},
        )
    if not digits.startswith(("978", "979")):
        raise ValidationError(
            _("An ISBN-13 starts with 978 or 979: %(value)s does not."),
            code="isbn_prefix",
            params={"value": value},
        )
    if int(digits[12]) != isbn13_check_digit(digits[:12]):
        raise ValidationError(
            _("%(value)s is not a valid ISBN: its check digit is wrong."),
            code="isbn_checksum",
            params={"value": value},
        )
    return digits


def validate_isbn(value: str) -> None:
    """Field validator: a valid ISBN-13, or an ISBN-10 that will be converted."""
    normalise_isbn(value)


def format_isbn13(digits: str) -> str:
    """``9788804668237`` → ``978-8804668237`` (prefix apart; the inner groups vary by country)."""
    return f"{digits[:3]}-{digits[3:]}" if len(digits) == 13 else digits
