"""A citizen's verified income band: read it (:func:`current_band`), set it (:func:`set_band`).

The raw ISEE figure never enters the portal. A welfare manager sees the certificate and
records only the band, its expiry, and a reference to the document (its protocol number);
:func:`check_no_amount` refuses a reference (or a search) that looks like an amount, before
anything is written, logged or cached.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.territories.models import Territory

from .models import BandChange, CitizenBand, IncomeBand, SocialPoint

# What an ISEE amount looks like when someone types it: a euro sign or word, a figure with
# cents (12345,67 / 12345.67), Italian thousands (12.345), or "ISEE" right before a figure
# that is not a year ("ISEE 12345"; "ISEE 2026 protocollo …" is a reference).
_AMOUNT_PATTERNS = (
    re.compile(r"€|\beur(?:o|os)?\b", re.IGNORECASE),
    re.compile(r"(?<![\d.,])\d+[.,]\d{1,2}(?![\d.,])"),
    re.compile(r"(?<![\d.,])\d{1,3}(?:[.'\s]\d{3})+(?:,\d{1,2})?(?![\d.,])"),
    re.compile(r"\bisee\b\W{0,3}(?!(?:19|20)\d\d\b)\d{3,}", re.IGNORECASE),
    re.compile(r"\b(?:importo|valore|pari a|indicatore)\b\W{0,3}\d", re.IGNORECASE),
)


# A time of day in opening hours ("9.00-12.30", "14:30"), which is not an amount.
_TIME_OF_DAY = re.compile(r"(?<![\d.,])(?:[01]?\d|2[0-3])[.:][0-5]\d(?![\d.,])")
# What a phone number is made of: no cents, no thousands dots, no letters.
PHONE_RE = re.compile(r"^\+?[\d\s/()-]{6,25}$")


def looks_like_amount(text: str, *, times_of_day: bool = False) -> bool:
    """Whether ``text`` looks like an amount; ``times_of_day``: "9.00" and "14:30" are times
    (opening hours), not amounts."""
    text = text or ""
    if times_of_day:
        text = _TIME_OF_DAY.sub(" ", text)
    return any(p.search(text) for p in _AMOUNT_PATTERNS)


def check_no_amount(text: str, *, times_of_day: bool = False) -> None:
    """Raise :class:`ValidationError` when ``text`` looks like an ISEE amount (the message
    never repeats the text)."""
    if looks_like_amount(text, times_of_day=times_of_day):
        raise ValidationError(
            _(
                "This looks like an amount. Never write the ISEE figure: write only the "
                "reference of the document seen (e.g. its INPS protocol number)."
            ),
            code="isee_amount",
        )


def check_phone(text: str) -> str:
    """``text`` as a phone number (digits, spaces, +, /, - and brackets), or
    :class:`ValidationError` (the message never repeats the text)."""
    text = (text or "").strip()
    if text and not PHONE_RE.match(text):
        raise ValidationError(
            _("A phone number has only digits, spaces, +, /, - and brackets."), code="phone"
        )
    return text


def current_band(user, territory: Territory, today: date) -> IncomeBand | None:
    """The band ``user`` has verified in ``territory`` on ``today``; None when expired, of
    another territory, or never verified (one query; none for a visitor)."""
    if user is None or not user.is_authenticated or territory is None:
        return None
    return IncomeBand.objects.filter(
        citizens__citizen=user,
        citizens__territory=territory,
        citizens__expires_on__gte=today,
    ).first()


def _label(band: IncomeBand | None) -> str:
    return str(band) if band is not None else ""


def _actor_name(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.email or user.get_username())[:200]


@transaction.atomic
def set_band(
    citizen,
    territory: Territory,
    band: IncomeBand | None,
    *,
    actor,
    expires_on: date | None,
    reference: str,
    social_point: SocialPoint | None,
    tax_code: str = "",
) -> BandChange:
    """Record ``citizen``'s verified ``band`` in ``territory`` (None: withdraw it), logged.

    Raises :class:`ValidationError` (nothing written) for a band or Social Point of another
    territory, a past expiry, or a reference that looks like an amount.
    """
    reference = (reference or "").strip()
    check_no_amount(reference)
    check_no_amount(tax_code)
    if band is not None and band.territory_id != territory.pk:
        raise ValidationError(_("This band is not one of this portal's."))
    if social_point is not None and social_point.territory_id != territory.pk:
        raise ValidationError(_("This Social Point is not one of this portal's."))
    current = (
        CitizenBand.objects.select_for_update()
        .select_related("band")
        .filter(territory=territory, citizen=citizen)
        .first()
    )
    old_label = _label(current.band if current else None)
    if band is not None:
        if expires_on is None or expires_on < timezone.localdate():
            raise ValidationError(_("The expiry date must be today or later."))
        if not reference:
            raise ValidationError(_("Write the reference of the document seen."))
        fields = {
            "band": band,
            "expires_on": expires_on,
            "reference": reference,
            "social_point": social_point,
            "verified_by": actor,
            "verified_at": timezone.now(),
            "tax_code": tax_code or (current.tax_code if current else ""),
        }
        if current is None:
            CitizenBand.objects.create(territory=territory, citizen=citizen, **fields)
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
    elif current is None:
        raise ValidationError(_("This citizen has no band to withdraw."))
    else:
        current.delete()
    return BandChange.objects.create(
        territory=territory,
        citizen=citizen,
        actor=actor,
        actor_name=_actor_name(actor),
        old_band=old_label,
        new_band=_label(band),
        expires_on=expires_on if band is not None else None,
        reference=reference,
        social_point=social_point.name if social_point else "",
    )
