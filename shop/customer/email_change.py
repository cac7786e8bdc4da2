"""Changing the e-mail in the profile, confirmed from the new address: the profile page never
tells whether an address has an account.

Oscar's profile form said "A user with this email address already exists" to anyone who
typed a known address. Here the address is never set by the form: :func:`request_email_change`
sends, to the NEW address, either

- a link (:func:`change_url`) that makes the change when it is followed
  (:func:`confirm_email_change`), after which the OLD address gets Oscar's
  ``EMAIL_CHANGED`` notice (with a password-reset link, in case it was not its owner); or
- when the new address already has an account, a note to that account's owner: someone
  tried to use their address; nothing changes.

The profile page says "we sent a link to …" either way. The link is signed
(``django.core.signing``, its own salt), carries the account, the old and the new address
and the portal, expires after ``PORTAL_EMAIL_CHANGE_LINK_HOURS`` and works once: once the
account's address is no longer the old one, the link is spent. No row is stored.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from oscar.apps.customer.utils import get_password_reset_url, normalise_email
from oscar.core.loading import get_class

from portal.defaults import setting

from .signup import send

CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")

SALT = "shop.customer.email_change"
CONFIRM = "EMAIL_CHANGE_CONFIRM"  # to the new address: the link that makes the change
ADDRESS_TAKEN = "EMAIL_CHANGE_TAKEN"  # to the new address's owner: someone tried it


class EmailChangeLinkError(Exception):
    """A link that changes nothing; ``reason`` says why, for the error page."""

    FORGED, EXPIRED, USED, OTHER_PORTAL, TAKEN = (
        "forged",
        "expired",
        "used",
        "other-portal",
        "taken",
    )

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hours() -> int:
    return setting("PORTAL_EMAIL_CHANGE_LINK_HOURS")


def _territory_pk(request: HttpRequest) -> int | None:
    territory = getattr(request, "territory", None)
    return territory.pk if territory else None


def _taken(email: str, user: AbstractBaseUser | None = None):
    others = get_user_model()._default_manager.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    return others.order_by("pk").first()


def request_email_change(request: HttpRequest, user: AbstractBaseUser, new_email: str) -> None:
    """Answer a new address typed in the profile: a confirmation link to it, or, when it
    already has an account, a note to that account's owner. Changes nothing; the caller
    says the same thing either way."""
    new_email = normalise_email(new_email)
    owner = _taken(new_email, user)
    if owner is not None:
        send(
            ADDRESS_TAKEN,
            owner.email,
            request,
            {"reset_url": request.build_absolute_uri(reverse("password-reset"))},
        )
        return
    send(
        CONFIRM,
        new_email,
        request,
        {"confirm_url": change_url(request, user, new_email), "hours": _hours()},
    )


def change_url(request: HttpRequest, user: AbstractBaseUser, new_email: str) -> str:
    """The link, on the host (and port) the profile was sent to, in the page's language."""
    token = signing.dumps(
        {"user": user.pk, "old": user.email, "new": new_email, "portal": _territory_pk(request)},
        salt=SALT,
        compress=True,
    )
    return request.build_absolute_uri(reverse("customer:email-change-confirm", args=[token]))


def _payload(token: str) -> dict:
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(hours=_hours()))
        return {
            "user": int(data["user"]),
            "old": str(data["old"]),
            "new": str(data["new"]),
            "portal": data["portal"],
        }
    except signing.SignatureExpired:
        raise EmailChangeLinkError(EmailChangeLinkError.EXPIRED) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise EmailChangeLinkError(EmailChangeLinkError.FORGED) from None


def _check(request: HttpRequest, data: dict, user: AbstractBaseUser | None) -> AbstractBaseUser:
    if user is None:
        raise EmailChangeLinkError(EmailChangeLinkError.FORGED)
    if data["portal"] != _territory_pk(request):
        raise EmailChangeLinkError(EmailChangeLinkError.OTHER_PORTAL)
    if user.email.lower() != data["old"].lower():
        # changed since (by this link or another): a link is spent with the old address
        raise EmailChangeLinkError(EmailChangeLinkError.USED)
    if _taken(data["new"], user) is not None:
        raise EmailChangeLinkError(EmailChangeLinkError.TAKEN)
    return user


def pending_email_change(request: HttpRequest, token: str) -> str:
    """The new address a link would set, if it still can here (changes nothing)."""
    data = _payload(token)
    user = get_user_model()._default_manager.filter(pk=data["user"]).first()
    _check(request, data, user)
    return data["new"]


def confirm_email_change(request: HttpRequest, token: str) -> AbstractBaseUser:
    """Set the new address a link stands for and tell the old one: the user. Or raise
    :class:`EmailChangeLinkError`, having changed nothing."""
    data = _payload(token)
    User = get_user_model()
    with transaction.atomic():
        user = User._default_manager.select_for_update().filter(pk=data["user"]).first()
        user = _check(request, data, user)
        old_email = user.email
        user.email = data["new"]
        user.save(update_fields=["email"])
    old_user = User(pk=user.pk, email=old_email)  # Oscar's notice goes to the user's address
    old_user.first_name, old_user.last_name = user.first_name, user.last_name
    CustomerDispatcher().send_email_changed_email_for_user(
        old_user,
        {
            "user": user,
            "new_email": user.email,
            "reset_url": request.build_absolute_uri(get_password_reset_url(user)),
            "request": request,
        },
    )
    return user
