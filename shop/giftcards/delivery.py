"""E-mailing vouchers to their recipients, on the day the buyer chose, once.

:func:`send_card` locks the card's row, sends, then records ``sent_at`` and erases the
plain code in the same transaction: two workers (or the task and the cron command) cannot
both send it, and a failed send leaves the card due for the next run.
"""

import logging
from datetime import date

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.defaults import setting
from portal.territories.themes import use_theme

from .models import GiftCard

log = logging.getLogger(__name__)


def send_card(card_id: int) -> bool:
    """Send the voucher e-mail if it was not sent yet; True if this call sent it."""
    with transaction.atomic():
        card = (
            GiftCard.objects.select_for_update(of=("self",))
            .filter(pk=card_id, sent_at=None)
            .select_related("territory__site", "cooperative")
            .first()
        )
        if card is None or not card.code:
            return False
        _message(card).send()
        card.sent_at = timezone.now()
        card.code = ""
        card.save(update_fields=["sent_at", "code"])
    return True


def send_due(today: date | None = None) -> int:
    """Send every voucher whose day has come; returns how many were sent."""
    today = today or timezone.localdate()
    due = GiftCard.objects.filter(sent_at=None, send_on__lte=today).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        try:
            sent += send_card(pk)
        except Exception:  # one bad address must not stop the others; retried next run
            log.exception("Could not send gift voucher %s", pk)
    return sent


def _message(card: GiftCard) -> EmailMultiAlternatives:
    territory = card.territory
    context = {
        "card": card,
        "territory": territory,
        "code": card.code,
        "balance_url": territory.site.root_url + reverse("giftcards:balance"),
        "portal_url": f"{territory.site.root_url}/",
        "validity_days": setting("PORTAL_GIFTCARD_VALIDITY_DAYS"),
    }
    with translation.override(territory.default_language), use_theme(territory.theme):
        subject = render_to_string("giftcards/email/giftcard_subject.txt", context)
        text = render_to_string("giftcards/email/giftcard_body.txt", context)
        html = render_to_string("giftcards/email/giftcard_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[card.recipient_email]
    )
    message.attach_alternative(html, "text/html")
    return message
