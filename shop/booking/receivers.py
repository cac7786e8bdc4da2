"""When an order is placed: booking details onto its lines, lines routed, e-mails sent.

One receiver, so the order is fixed: the cooperatives' e-mails must list the lines as routed.
"""

from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed, order_placed

from shop.order.emails import send_cooperative_emails, send_line_status_email

from .records import save_booking_details


@receiver(order_placed, dispatch_uid="booking.order_placed")
def on_order_placed(sender, order, **kwargs):
    save_booking_details(order)
    send_cooperative_emails(order)


@receiver(order_line_status_changed, dispatch_uid="booking.line_status_changed")
def on_line_status_changed(sender, line, old_status, new_status, **kwargs):
    send_line_status_email(line, old_status, new_status)
