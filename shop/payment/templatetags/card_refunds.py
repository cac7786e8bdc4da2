"""The dashboard's refund form: what can be refunded by card, and a key per form shown."""

import uuid

from django import template

from ..refunds import CardRefundSummary, card_refund_summary

register = template.Library()


@register.simple_tag
def card_refund(order) -> CardRefundSummary | None:
    return card_refund_summary(order)


@register.simple_tag
def refund_request_key() -> str:
    """A fresh key each time the form is shown: sending that form twice refunds once."""
    return uuid.uuid4().hex
