"""Signing up for a webinar and cancelling: seats, waiting list, promotion.

Every change to a webinar's seats happens with the webinar's row locked
(``select_for_update``), so two people clicking at the same moment can never both take the
last seat: the second waits for the first and then sees the seat gone.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.territories.models import Territory

from .models import Registration, WebinarPage

CANCEL_SALT = "portal.events.cancel"


class RegistrationRefused(Exception):
    """A registration that cannot be made; the message is meant for the person."""


class AlreadyRegistered(RegistrationRefused):
    pass


@dataclass
class Cancellation:
    registration: Registration
    promoted: Registration | None  # the first of the waiting list, who now has the seat


def event_of(page: WebinarPage, territory: Territory | None) -> WebinarPage:
    """The page registrations belong to: the webinar in the portal's default language.

    The translations of a webinar are one event: they share the seats and the waiting list.
    """
    # The root page is the default language's home (already loaded by Wagtail's routing).
    if territory is None or page.locale_id == territory.site.root_page.locale_id:
        return page
    original = (
        WebinarPage.objects.filter(
            translation_key=page.translation_key,
            locale__language_code=territory.default_language,
        )
        .only("pk")
        .first()
    )
    return original or page


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_registered(webinar: WebinarPage, email: str) -> bool:
    return (
        Registration.objects.filter(webinar=webinar, email=normalise_email(email))
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )


def registration_of(webinar: WebinarPage, email: str) -> Registration | None:
    """The seat or place in line ``email`` holds for ``webinar``, if any."""
    return (
        Registration.objects.filter(webinar=webinar, email=normalise_email(email))
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("webinar")
        .first()
    )


def has_free_seat(webinar: WebinarPage) -> bool:
    """Whether a new registration would get a seat now (rather than the waiting list)."""
    taken = Registration.objects.filter(
        webinar=webinar, status=Registration.Status.CONFIRMED
    ).count()
    return taken < webinar.capacity


def register(
    webinar: WebinarPage,
    name: str,
    email: str,
    *,
    user: AbstractBaseUser | AnonymousUser | None = None,
    language: str = "it",
) -> Registration:
    """Sign ``email`` up: a seat while there is one, otherwise a place on the waiting list.

    Raises :class:`AlreadyRegistered` if the e-mail already holds a seat or a place in line
    (checked first, enforced by a unique constraint for races; the page answers as for a new
    registration and the view e-mails the holder theirs again), and
    :class:`RegistrationRefused` once the webinar is over.
    """
    email = normalise_email(email)
    try:
        with transaction.atomic():
            locked = WebinarPage.objects.select_for_update().get(pk=webinar.pk)
            if locked.is_past:
                raise RegistrationRefused("past")
            if is_registered(locked, email):
                raise AlreadyRegistered(email)
            taken = Registration.objects.filter(
                webinar=locked, status=Registration.Status.CONFIRMED
            ).count()
            status = (
                Registration.Status.CONFIRMED
                if taken < locked.capacity
                else Registration.Status.WAITLISTED
            )
            return Registration.objects.create(
                webinar=locked,
                name=name.strip(),
                email=email,
                user=user if user is not None and user.is_authenticated else None,
                status=status,
                language=language,
                consent_at=timezone.now(),
            )
    except IntegrityError as error:  # the same e-mail from a parallel request won the race
        raise AlreadyRegistered(email) from error


def cancel(registration: Registration) -> Cancellation:
    """Cancel ``registration``; a freed seat goes to the first person on the waiting list.

    Cancelling twice is harmless: the second call changes nothing and promotes nobody.
    """
    with transaction.atomic():
        WebinarPage.objects.select_for_update().get(pk=registration.webinar_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return Cancellation(current, None)
        freed_seat = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        promoted = None
        if freed_seat:
            promoted = (
                Registration.objects.select_for_update()
                .filter(webinar_id=current.webinar_id, status=Registration.Status.WAITLISTED)
                .order_by("created_at", "pk")
                .first()
            )
            if promoted is not None:
                promoted.status = Registration.Status.CONFIRMED
                promoted.save(update_fields=["status"])
        return Cancellation(current, promoted)


def cancel_token(registration: Registration) -> str:
    """A signed, unguessable token naming ``registration``: the cancellation link's key."""
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=CANCEL_SALT)


def registration_for_token(token: str) -> Registration | None:
    """The registration a cancellation token names, or None if the token is forged."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.filter(pk=data.get("r"), email=data.get("e"))
        .select_related("webinar")
        .first()
    )
