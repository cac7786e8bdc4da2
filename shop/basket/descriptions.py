"""How a basket or order line reads to a person: its title and its options, formatted.

Oscar's ``Line.description`` is a debugging string ("Importo = '50.00', Da parte di = 'Mario
Rossi', …"); a gift voucher line reads instead "Buono regalo — 50,00 € for Giulia Rossi
(giulia@example.it) · From: Mario Rossi · Sent on: 1 dicembre 2026": amounts as money, dates
in the page's language, labels translated (the option names stored in the database are
Italian data). Both the basket's and the order's ``Line`` use :func:`line_description`.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.dateformat import format as date_format
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from shop.giftcards import products


def _money(value: str) -> str:
    try:
        return f"{number_format(Decimal(value), 2)} €"
    except (InvalidOperation, TypeError):
        return str(value)


def _day(value) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, get_format("DATE_FORMAT"))


def _labels() -> dict[str, str]:
    return {
        products.FROM: _("From"),
        products.MESSAGE: _("Message"),
        products.SEND_ON: _("Sent on"),
    }


def line_description(title: str, attributes: Iterable) -> str:
    """``title`` and the line's option values (Oscar ``LineAttribute`` rows), readable."""
    values = {}
    others = []
    for attribute in attributes:
        value = attribute.value
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        code = getattr(attribute.option, "code", "")
        if value in (None, ""):
            continue
        if getattr(attribute.option, "type", "") == "date":
            value = _day(value)
        values[code] = value
        if not code.startswith("giftcard_"):
            others.append(f"{attribute.option.name}: {value}")
    parts = []
    if products.AMOUNT in values:
        parts.append(_money(values[products.AMOUNT]))
    if products.RECIPIENT_NAME in values:
        recipient = values[products.RECIPIENT_NAME]
        if products.RECIPIENT_EMAIL in values:
            recipient = f"{recipient} ({values[products.RECIPIENT_EMAIL]})"
        parts.append(_("for %(recipient)s") % {"recipient": recipient})
    head = " ".join(parts)
    details = [head] if head else []
    for code, label in _labels().items():
        if code in values:
            details.append(f"{label}: {values[code]}")
    details += others
    return f"{title} — {' · '.join(details)}" if details else title
