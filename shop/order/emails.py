"""E-mails about orders, beyond Oscar's own confirmation.

- The citizen's confirmation is Oscar's ``ORDER_PLACED`` communication, sent once by the
  placement that writes the order (:mod:`shop.checkout.placement`); its templates are in
  the theme (``oscar/communication/emails/commtype_order_placed_*``) and list the booking.
- Each cooperative gets ``COOPERATIVE_NEW_ORDER`` with its own lines only.
- The citizen gets ``LINE_STATUS_CHANGED`` when a cooperative moves a line on.

Messages are rendered with Oscar's communication event types (a database row overrides the
templates) and sent after the transaction commits, so a rolled-back order sends nothing.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import statuses

logger = logging.getLogger(__name__)
CommunicationEventType = get_model("communication", "CommunicationEventType")
Dispatcher = get_class("communication.utils", "Dispatcher")

COOPERATIVE_NEW_ORDER = "COOPERATIVE_NEW_ORDER"
LINE_STATUS_CHANGED = "LINE_STATUS_CHANGED"


def _booking(line):
    try:
        return line.booking
    except Exception:  # RelatedObjectDoesNotExist: a line with no booking (a gift voucher)
        return None


def is_voucher(line) -> bool:
    """A gift voucher line: issued and e-mailed by the portal, nothing to schedule."""
    from shop.giftcards.products import VOUCHER_CLASS

    product = line.product
    return product is not None and product.get_product_class().slug == VOUCHER_CLASS


def order_url(order) -> str:
    """Where the citizen follows ``order``: its page on the portal it was placed on (with the
    port in development), in the active language; a guest's through the order's hash."""
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    root = order.territory.site.root_url if order.territory_id else ""
    return root + path


def _owner(order):
    """The signed-in citizen who placed ``order``, if the e-mail goes to their address."""
    user = order.user
    return user if user is not None and user.email and user.email == order.email else None


def _render(code: str, language: str, context: dict) -> dict:
    with translation.override(language):
        return CommunicationEventType.objects.get_and_render(code, context)


def _send(recipients: list[str], messages: dict, record_for=None) -> None:
    """Send after commit; ``record_for`` (the citizen) keeps a copy in their e-mail history,
    on the portal ``messages["territory"]`` names."""

    def send():
        dispatcher = Dispatcher(logger=logger)
        for email in recipients:
            sent = dispatcher.dispatch_direct_messages(email, messages)
            if (
                sent is not None
                and record_for is not None
                and settings.OSCAR_SAVE_SENT_EMAILS_TO_DB
            ):
                dispatcher.create_email(record_for, messages, sent)

    transaction.on_commit(send)


def send_cooperative_emails(order) -> int:
    """One e-mail to each cooperative of ``order``, listing only its lines; how many sent."""
    ordered = list(
        order.lines.select_related(
            "partner",
            "booking",
            "booking__territory",
            "product__product_class",
            "product__parent__product_class",
        ).order_by("pk")
    )
    by_partner = defaultdict(list)
    for line in ordered:
        if line.partner_id:
            by_partner[line.partner].append(line)
    language = order.territory.default_language if order.territory_id else settings.LANGUAGE_CODE
    band = _band_notes(order, ordered, language)
    sent = 0
    for partner, lines in by_partner.items():
        recipients = sorted(
            {u.email for u in partner.users.filter(is_active=True) if u.email},
        )
        if not recipients:
            logger.warning("cooperative %s has no staff to tell about %s", partner, order)
            continue
        services = [line for line in lines if not is_voucher(line)]
        context = {
            "order": order,
            "partner": partner,
            "lines": services,
            "vouchers": [line for line in lines if is_voucher(line)],
            "site": order.site,
            "band": band,
        }
        _send(recipients, _render(COOPERATIVE_NEW_ORDER, language, context))
        sent += 1
    return sent


def _band_notes(order, lines: list, language: str) -> dict[int, str]:
    """What an income band took off each of ``order``'s ``lines`` (all of them, in order)
    and who pays the cooperative what, by line id, in ``language``: the reduction from the
    programme's budget, the rest from the buyer (``portal.welfare.funding``)."""
    from oscar.templatetags.currency_filters import currency

    from portal.welfare.funding import line_reductions

    reductions = line_reductions(order)
    if not reductions:
        return {}
    notes = {}
    with translation.override(language):
        for position, line in enumerate(lines, start=1):  # the holds' positions
            found = reductions.get(position)
            if found is None:
                continue
            held, programme = found
            notes[line.pk] = _(
                "Income band reduction: −%(amount)s, paid by %(programme)s. You receive "
                "%(paid)s from the buyer and %(amount)s from %(programme)s."
            ) % {
                "amount": currency(held.amount, order.currency),
                "programme": programme.title,
                "paid": currency(line.line_price_incl_tax, order.currency),
            }
    return notes


def send_line_status_email(line, old_status: str, new_status: str) -> bool:
    """Tell the citizen that a cooperative moved ``line`` on (if there is anyone to tell)."""
    order = line.order
    if not order.email or new_status not in statuses.CITIZEN_MESSAGES:
        return False
    booking = _booking(line)
    language = (
        booking.language
        if booking and booking.language
        else (order.territory.default_language if order.territory_id else settings.LANGUAGE_CODE)
    )
    with translation.override(language):
        context = {
            "order": order,
            "line": line,
            "booking": booking,
            "status": statuses.label(new_status),
            "message": str(statuses.CITIZEN_MESSAGES[new_status]),
            "site": order.site,
            "order_url": order_url(order),
        }
        messages = _render(LINE_STATUS_CHANGED, language, context)
    messages["territory"] = order.territory
    _send([order.email], messages, record_for=_owner(order))
    return True


ORDER_REFUNDED = "ORDER_REFUNDED"


def send_refund_email(order, amount) -> bool:
    """Tell the citizen that ``amount`` of ``order`` went back to their card."""
    if not order.email:
        return False
    language = order.territory.default_language if order.territory_id else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"order": order, "amount": amount, "site": order.site}
        context["order_url"] = order_url(order)
    messages = _render(ORDER_REFUNDED, language, context)
    messages["territory"] = order.territory
    _send([order.email], messages, record_for=_owner(order))
    return True
