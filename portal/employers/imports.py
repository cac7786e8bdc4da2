"""Employees from a CSV file: read and checked row by row, then written all at once.

:func:`preview` reads the file and says, row by row, what it would do (add, update, nothing)
or what is wrong (a bad tax code, a duplicate in the file, an unknown grade, a bad date);
nothing is written. :func:`apply` writes a preview without errors in one transaction: a second
upload of the same file changes nothing, a changed row updates that employee. A row missing
from the file is not a leaver: leavers are marked one by one, with their date.
"""

import re

from django.utils.translation import gettext as _

from portal.programmes.applications import ProgrammeError, household_key

_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [1, 0, 5, 7, 9, 13, 15, 17, 19, 21]
        + [2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
        strict=True,
    )
)
_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def check_character(first15: str) -> str:
    """The tax code's 16th character, computed from the first 15 (the official algorithm)."""
    total = sum((_ODD if i % 2 == 0 else _EVEN)[c] for i, c in enumerate(first15))
    return chr(65 + total % 26)


def with_check(first15: str) -> str:
    return first15 + check_character(first15)


class TaxCodeError(ValueError):
    pass


def tax_code(value: str) -> str:
    """``value`` as a normalised Italian tax code, or :class:`TaxCodeError` with the reason."""
    try:
        code = household_key(value)
    except ProgrammeError as exc:
        raise TaxCodeError(str(exc)) from exc
    if not re.fullmatch(
        r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]", code
    ):
        raise TaxCodeError(_("'%(code)s' is not an Italian tax code.") % {"code": value})
    if check_character(code[:15]) != code[15]:
        raise TaxCodeError(
            _("'%(code)s' is not a valid tax code (its last letter does not match).")
            % {"code": value}
        )
    return code
