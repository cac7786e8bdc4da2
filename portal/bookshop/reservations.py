"""Reserving a book: a row the bookshop's editors see in the admin, an e-mail to them, and
the reader's own e-mails: on booking (what was reserved, where) and when the book is ready."""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from portal.territories.models import Territory

from .models import Bookshop, ReadingTipPage, Reservation

Partner = get_model("partner", "Partner")


class NoBookshop(Exception):
    """The territory has no bookshop among its cooperatives: nobody could take the order."""


def bookshop_of(territory: Territory | None) -> Partner | None:
    if territory is None:
        return None
    shop = Bookshop.objects.filter(territory=territory).select_related("partner").first()
    return shop.partner if shop else None


def bookshop_emails(partner: Partner) -> list[str]:
    """Where a reservation is sent: the bookshop's staff accounts (its editors in the spec)."""
    return sorted(
        {u.email for u in partner.users.filter(is_active=True).exclude(email="") if u.email}
    )


def reserve(
    tip: ReadingTipPage,
    territory: Territory,
    *,
    key: uuid.UUID,
    name: str,
    email: str,
    phone: str = "",
    notes: str = "",
    portal_url: str = "",
) -> tuple[Reservation, bool]:
    """Record a reservation of ``tip``'s book for the territory's bookshop and e-mail it.

    Returns ``(reservation, created)``. The same ``key`` twice (a double click, a reload
    that re-posts) returns the first reservation and sends nothing again.
    """
    existing = Reservation.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    partner = bookshop_of(territory)
    if partner is None:
        raise NoBookshop(territory.slug)
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(
                territory=territory,
                bookshop=partner,
                tip=tip,
                book_title=tip.book_title,
                isbn=tip.isbn,
                name=name.strip(),
                email=email.strip().lower(),
                phone=phone.strip(),
                notes=notes.strip(),
                submission_key=key,
            )
    except IntegrityError:  # the same form posted twice at the same moment
        return Reservation.objects.get(submission_key=key), False
    recipients = bookshop_emails(partner)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            EmailMessage(
                subject=_("Book reservation: %(title)s") % {"title": tip.book_title},
                body=render_to_string(
                    "bookshop/email/reservation.txt",
                    {"reservation": reservation, "tip": tip, "portal_url": portal_url},
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=recipients,
                reply_to=[reservation.email],
            ).send()
    tell_reader(reservation, "booked", language=translation.get_language(), portal_url=portal_url)
    return reservation, True


READER_EMAILS = {
    # what happened → (subject, body template)
    "booked": (
        lambda: _("Your reservation of “%(title)s”"),
        "bookshop/email/reader_booked.txt",
    ),
    "ready": (
        lambda: _("“%(title)s” is ready to collect"),
        "bookshop/email/reader_ready.txt",
    ),
}


def tell_reader(
    reservation: Reservation, event: str, *, language: str | None = None, portal_url: str = ""
) -> None:
    """E-mail the reader what became of their reservation (``event`` of READER_EMAILS)."""
    territory = reservation.territory
    language = language or territory.default_language
    portal_url = portal_url or f"{territory.site.root_url}/"
    subject, template = READER_EMAILS[event]
    with translation.override(language):
        EmailMessage(
            subject=subject() % {"title": reservation.book_title},
            body=render_to_string(
                template,
                {
                    "reservation": reservation,
                    "bookshop": reservation.bookshop,
                    "territory": territory,
                    "portal_url": portal_url,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reservation.email],
            reply_to=bookshop_emails(reservation.bookshop)[:1] or None,
        ).send()


def set_status(reservation: Reservation, previous: str) -> None:
    """After the bookshop saved ``reservation``: the reader hears when it became ready."""
    if reservation.status == Reservation.Status.READY and previous != Reservation.Status.READY:
        tell_reader(reservation, "ready")
