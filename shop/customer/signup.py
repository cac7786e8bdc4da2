"""Sign-up confirmed by e-mail: the form never tells whether an address has an account.

Oscar created the account at once and said "a user with that email address already exists"
to anyone who typed a known address. Here every registration answers with the same "check
your e-mail" page (:func:`request_signup`), after the same work: one password hash, one
e-mail.

- A new address gets a link (:func:`confirmation_url`); the account is created only when
  it is followed (:func:`confirm_signup`), which signs the person in, sends Oscar's
  ``user_registered`` signal and welcome e-mail once, and gives them the basket they had.
- An address that has an account gets, instead, a note to its owner: someone tried to
  register with it; sign in, or choose a new password.

The link is signed (``django.core.signing``, salted), names a :class:`PendingSignup` row
(the hashed password stays in the database, never in the link), expires after
``PORTAL_SIGNUP_LINK_HOURS``, works once, and only on the portal it was asked on. Accounts
themselves are shared by all portals (one e-mail, one account), as they always were.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class, get_model

from portal.defaults import setting

from .models import PendingSignup

logger = logging.getLogger(__name__)
Basket = get_model("basket", "Basket")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Dispatcher = get_class("communication.utils", "Dispatcher")
CustomerDispatcher = get_class("customer.utils", "CustomerDispatcher")

SALT = "shop.customer.signup"
CONFIRM = "SIGNUP_CONFIRM"  # to a new address: the link that creates the account
ALREADY_REGISTERED = "SIGNUP_EXISTING"  # to an account's owner: someone tried their address
BACKEND = "portal.security.backends.EmailBackend"


class SignupLinkError(Exception):
    """A confirmation link that creates nothing; ``reason`` says why, for the error page."""

    FORGED, EXPIRED, USED, OTHER_PORTAL, REGISTERED = (
        "forged",
        "expired",
        "used",
        "other-portal",
        "registered",
    )

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _open_basket_id(request: HttpRequest) -> int | None:
    basket = getattr(request, "basket", None)
    if basket is None or basket.pk is None or basket.owner_id is not None:
        return None
    return basket.pk if basket.num_lines else None


def request_signup(request: HttpRequest, email: str, password: str, redirect_url: str) -> None:
    """Answer a registration: a confirmation link to a new address, a note to an existing
    account's owner. The caller shows the same page either way."""
    email = normalise_email(email)
    hashed = make_password(password)  # on both paths, so both take the hasher's time
    territory = getattr(request, "territory", None)
    forget_expired_signups()
    owner = get_user_model()._default_manager.filter(email__iexact=email).order_by("pk").first()
    if owner is not None:
        send(
            ALREADY_REGISTERED,
            owner.email,
            request,
            {
                "login_url": request.build_absolute_uri(reverse("customer:login")),
                "reset_url": request.build_absolute_uri(reverse("password-reset")),
            },
        )
        return
    pending = PendingSignup.objects.create(
        email=email,
        password=hashed,
        territory=territory,
        redirect_url=redirect_url or "",
        basket_id=_open_basket_id(request),
    )
    send(CONFIRM, email, request, {"confirm_url": confirmation_url(request, pending)})


def forget_expired_signups() -> int:
    """Delete the sign-ups whose link has expired unused (with their password hashes): how
    many. Run by every registration, so the table holds only live requests."""
    since = timezone.now() - timedelta(hours=setting("PORTAL_SIGNUP_LINK_HOURS"))
    deleted, __ = PendingSignup.objects.filter(confirmed=None, created__lt=since).delete()
    return deleted


def confirmation_url(request: HttpRequest, pending: PendingSignup) -> str:
    """The link, on the host (and port) the form was sent to, in the page's language."""
    token = signing.dumps({"signup": pending.pk}, salt=SALT, compress=True)
    return request.build_absolute_uri(reverse("customer:signup-confirm", args=[token]))


def email_context(request: HttpRequest) -> dict:
    """What every sign-up (and e-mail change, ``email_change.py``) e-mail says of where it
    comes from, in the page's language."""
    territory = getattr(request, "territory", None)
    return {
        "portal_name": territory.name if territory else settings.OSCAR_SHOP_NAME,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "hours": setting("PORTAL_SIGNUP_LINK_HOURS"),
    }


def send(code: str, address: str, request: HttpRequest, context: dict) -> None:
    """Render the ``code`` e-mail in the page's language and send it to ``address`` (an
    address that may have no account, so not through Oscar's per-user dispatch)."""
    context = {**email_context(request), **context}
    messages = CommunicationEventType.objects.get_and_render(code, context)
    Dispatcher(logger=logger).dispatch_direct_messages(address, messages)


def _pending_for(token: str) -> int:
    max_age = timedelta(hours=setting("PORTAL_SIGNUP_LINK_HOURS"))
    try:
        return int(signing.loads(token, salt=SALT, max_age=max_age)["signup"])
    except signing.SignatureExpired:
        raise SignupLinkError(SignupLinkError.EXPIRED) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise SignupLinkError(SignupLinkError.FORGED) from None


def _check(pending: PendingSignup | None, request: HttpRequest) -> PendingSignup:
    territory = getattr(request, "territory", None)
    if pending is None:
        raise SignupLinkError(SignupLinkError.FORGED)
    if pending.territory_id != (territory.pk if territory else None):
        raise SignupLinkError(SignupLinkError.OTHER_PORTAL)
    if pending.confirmed is not None:
        raise SignupLinkError(SignupLinkError.USED)
    if get_user_model()._default_manager.filter(email__iexact=pending.email).exists():
        raise SignupLinkError(SignupLinkError.REGISTERED)
    return pending


def pending_signup(request: HttpRequest, token: str) -> PendingSignup:
    """The sign-up a link stands for, if it can still be confirmed here (changes nothing)."""
    return _check(PendingSignup.objects.filter(pk=_pending_for(token)).first(), request)


def confirm_signup(request: HttpRequest, token: str) -> tuple[AbstractBaseUser, str]:
    """Create the account a link stands for and sign its owner in: the user, and where they
    were going ("" for nowhere in particular). Or raise :class:`SignupLinkError`, having
    changed nothing."""
    pk = _pending_for(token)
    territory = getattr(request, "territory", None)
    User = get_user_model()
    with transaction.atomic():
        pending = PendingSignup.objects.select_for_update().filter(pk=pk).first()
        if pending is not None:
            # every pending sign-up of the address, locked: two of its links followed at once
            # make one account (PostgreSQL; SQLite writes one at a time anyway)
            list(PendingSignup.objects.select_for_update().filter(email__iexact=pending.email))
        pending = _check(pending, request)
        user = User(email=pending.email, password=pending.password)
        if "username" in [f.name for f in User._meta.fields]:
            from oscar.apps.customer.forms import generate_username

            user.username = generate_username()
        user.save()
        pending.confirmed = timezone.now()
        pending.user = user
        pending.password = ""  # the account has it now
        pending.save(update_fields=["confirmed", "user", "password"])
        if pending.basket_id:
            # the basket the sign-up started from, even when the link opens in another browser
            Basket.objects.filter(
                pk=pending.basket_id, owner=None, status=Basket.OPEN, territory=territory
            ).update(owner=user)
    user_registered.send_robust(sender=confirm_signup, request=request, user=user)
    if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
        account_url = request.build_absolute_uri(reverse("customer:summary"))
        CustomerDispatcher().send_registration_email_for_user(
            user,
            {"user": user, "request": request, "account_url": account_url} | email_context(request),
        )
    login(request, user, backend=BACKEND)
    return user, pending.redirect_url
