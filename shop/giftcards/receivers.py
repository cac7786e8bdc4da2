"""Issue the vouchers of every placed order, whoever places it."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from .issuing import issue_for_order


@receiver(order_placed, dispatch_uid="giftcards.issue_for_order")
def issue_vouchers(sender, order, **kwargs) -> None:
    issue_for_order(order)
