"""How an order was paid, for the citizen's order and thank-you pages: its payment sources in
one query, each named as the citizen knows it."""

from django import template
from django.utils.translation import gettext as _

from shop.checkout.placement import CARD_SOURCE
from shop.payment.tender import LEDGER_SOURCE
from shop.payment.wallets import EMPLOYER_SOURCE_NAME, SOURCE_NAME

register = template.Library()


@register.simple_tag
def order_payments(order) -> list:
    """``order``'s sources (card, programme credit, gift vouchers) with their type."""
    return list(order.sources.select_related("source_type").order_by("pk"))


@register.filter
def paid_with(source) -> str:
    """``{{ source|paid_with }}``: "Card", "Programme credit: <programme>", "Company welfare
    credit: <plan>", "Gift voucher <code>" (a source type's name is data, in Italian)."""
    name = source.source_type.name
    if name == SOURCE_NAME:
        return _("Programme credit: %(programme)s") % {"programme": source.reference}
    if name == EMPLOYER_SOURCE_NAME:
        return _("Company welfare credit: %(plan)s") % {"plan": source.reference}
    if name == LEDGER_SOURCE:
        return _("Gift voucher %(code)s") % {"code": source.reference}
    if name == CARD_SOURCE:
        return _("Card")
    return name
