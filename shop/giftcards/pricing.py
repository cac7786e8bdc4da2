"""What a gift voucher costs: the amount the buyer chose, within the portal's limits.

The voucher product's stock record carries a "from" price; the real price of a basket line
is its ``giftcard_amount`` option. The partner strategy asks :func:`price_for_options` for
every line that has options, so the basket, the checkout and the order all see the chosen
amount.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from oscar.apps.partner.availability import Unavailable
from oscar.apps.partner.prices import FixedPrice
from oscar.apps.partner.strategy import PurchaseInfo

from portal.defaults import setting

from .products import AMOUNT, fixed_amounts

CENT = Decimal("0.01")


def amount_limits() -> tuple[Decimal, Decimal]:
    return Decimal(setting("PORTAL_GIFTCARD_MIN")), Decimal(setting("PORTAL_GIFTCARD_MAX"))


def valid_amount(value: Any) -> Decimal:
    """``value`` as a voucher amount: one of the fixed amounts, or a custom one within limits.

    Raises :class:`ValidationError` with a message for the buyer otherwise.
    """
    low, high = amount_limits()
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError(_("Enter an amount in euros, e.g. 40 or 40.50."), code="invalid")
    if amount in fixed_amounts():
        return amount.quantize(CENT)
    if not low <= amount <= high:
        raise ValidationError(
            _("A gift voucher can be worth from %(min)s € to %(max)s €.")
            % {"min": number_format(low, 2), "max": number_format(high, 2)},
            code="out_of_range",
        )
    return amount.quantize(CENT)


def price_for_options(info: PurchaseInfo, options: Mapping[str, Any]) -> PurchaseInfo:
    """``info`` priced at the voucher amount in ``options`` (option code → value), if any.

    A line whose amount is not valid (never through the form; only by tampering) cannot be
    bought.
    """
    if AMOUNT not in options or info.stockrecord is None:
        return info
    try:
        amount = valid_amount(options[AMOUNT])
    except ValidationError:
        return PurchaseInfo(
            price=info.price, availability=Unavailable(), stockrecord=info.stockrecord
        )
    price = FixedPrice(currency=info.price.currency, excl_tax=amount, tax=Decimal("0.00"))
    return PurchaseInfo(price=price, availability=info.availability, stockrecord=info.stockrecord)
