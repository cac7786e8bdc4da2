"""Booking details: kept against the basket during checkout, copied onto the order lines.

``save_booking_details`` runs when the order is placed (the ``order_placed`` signal, see
:mod:`.receivers`), whichever way it is placed: the citizen's return page or the Stripe
webhook, which has no session — that is why the details live in the database, tied to the
basket line, rather than in the checkout session.
"""

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.catalogue.fixture import SERVICE_CLASS

from .models import LineBooking
from .routing import NotOfferedThere, route_line

logger = logging.getLogger(__name__)
OrderNote = get_model("order", "OrderNote")


def is_service(product) -> bool:
    product_class = product.get_product_class()
    return product_class is not None and product_class.slug == SERVICE_CLASS


def service_lines(basket) -> list:
    """The basket lines that need booking details (services, not gift vouchers)."""
    return [line for line in basket.all_lines() if is_service(line.product)]


def missing_bookings(basket) -> list:
    """Service lines of ``basket`` still without booking details (a checkout pre-condition)."""
    lines = service_lines(basket)
    booked = set(
        LineBooking.objects.filter(basket_line__in=lines).values_list("basket_line_id", flat=True)
    )
    return [line for line in lines if line.pk not in booked]


@transaction.atomic
def save_booking_forms(forms) -> list[LineBooking]:
    """Save every form (all valid) of the booking step, or nothing."""
    bookings = []
    for form in forms:
        booking = form.save(commit=False)
        booking.basket_line = form.line
        booking.language = translation.get_language() or ""
        booking.save()
        bookings.append(booking)
    return bookings


def save_booking_details(order) -> list[LineBooking]:
    """Tie the basket's booking details to ``order``'s lines and route each line.

    A line whose beneficiary lives in another territory goes to that territory's cooperative
    (:func:`route_line`): its partner and stock record change, its price does not (the
    citizen paid this portal's price). Idempotent: a booking already tied is left alone.
    """
    if order.basket_id is None:
        return []
    bookings = {
        (b.basket_line.product_id, b.basket_line.stockrecord_id): b
        for b in LineBooking.objects.filter(
            basket_line__basket_id=order.basket_id, order_line__isnull=True
        ).select_related("basket_line", "territory")
    }
    saved = []
    for line in order.lines.select_related("product", "stockrecord"):
        booking = bookings.get((line.product_id, line.stockrecord_id))
        if booking is None:
            continue
        booking.order_line = line
        booking.save(update_fields=["order_line", "updated"])
        saved.append(booking)
        if order.territory_id is not None and booking.territory_id != order.territory_id:
            _route(order, line, booking)
    return saved


def _route(order, line, booking: LineBooking) -> None:
    try:
        offer = route_line(line.product, booking.territory)
    except NotOfferedThere as exc:
        # withdrawn between the booking step and the payment: the order stands, a person
        # at this portal's cooperative sees the note and arranges it
        logger.warning("order %s line %s not routed: %s", order.number, line.pk, exc)
        order.notes.create(message=str(exc), note_type=OrderNote.SYSTEM)
        return
    line.partner = offer.partner
    line.partner_name = offer.partner.name
    line.partner_sku = offer.partner_sku
    line.stockrecord = offer
    line.save(update_fields=["partner", "partner_name", "partner_sku", "stockrecord"])
    order.notes.create(
        message=_("Line %(line)s goes to %(partner)s: the beneficiary lives in %(territory)s.")
        % {"line": line.pk, "partner": offer.partner.name, "territory": booking.territory.name},
        note_type=OrderNote.SYSTEM,
    )
