"""Subscribing (double opt-in), preferences and unsubscribing: the domain functions.

The form never tells whether an address is known, as sign-up does (shop/customer/signup.py):
every request answers with the same "check your e-mail" page after the same work, one
e-mail. A new (or unsubscribed) address gets a confirmation link; an address already
subscribed on this portal gets, instead, a link to its preferences. Nothing is written until
the link is followed: the request (address, interests, language, the consent text's version,
the time) travels inside the signed link, which expires after
``PORTAL_NEWSLETTER_LINK_HOURS`` and works only on the portal it was asked on.

Preferences and unsubscribe links are signed too, and name the subscriber's ``key``: they
last as long as the subscription, and a new key voids them all.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.apps.customer.utils import normalise_email

from portal.defaults import setting
from portal.territories.models import Territory
from shop.catalogue.facets import encode

from .models import Consent, Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "portal.newsletters.confirm"
SUBSCRIBER_SALT = "portal.newsletters.subscriber"


class LinkError(Exception):
    """A link that changes nothing; ``reason`` says why, for the error page."""

    FORGED, EXPIRED, OTHER_PORTAL, SUPERSEDED = "forged", "expired", "other-portal", "superseded"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def request_subscription(
    request: HttpRequest, email: str, interests: list[str], language: str
) -> None:
    """Answer a subscription form: a confirmation link to a new address, a link to the
    preferences to one already subscribed here. The caller shows the same page either way."""
    territory: Territory = request.territory
    email = normalise_email(email)
    existing = Subscriber.objects.filter(
        email__iexact=email, territory=territory, status__in=ACTIVE_OR_PAUSED
    ).first()
    with translation.override(language):
        if existing is not None:
            _mail(
                request,
                email,
                _("Your subscription to the newsletter of %(portal)s"),
                "newsletters/email/already_subscribed",
                {"preferences_url": subscriber_url(existing, "newsletters:preferences")},
            )
            return
        token = signing.dumps(
            {
                "e": email,
                "t": territory.pk,
                "i": encode(interests),
                "l": language,
                "v": setting("PORTAL_NEWSLETTER_CONSENT_VERSION"),
                "at": timezone.now().isoformat(),
            },
            salt=CONFIRM_SALT,
            compress=True,
        )
        url = request.build_absolute_uri(reverse("newsletters:confirm", args=[token]))
        _mail(
            request,
            email,
            _("Confirm your subscription to the newsletter of %(portal)s"),
            "newsletters/email/confirm",
            {"confirm_url": url},
        )


ACTIVE_OR_PAUSED = (Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED)


def _mail(request: HttpRequest, to: str, subject: str, template: str, context: dict) -> None:
    territory = request.territory
    context = {
        "portal_name": territory.name,
        "language": translation.get_language(),
        "hours": setting("PORTAL_NEWSLETTER_LINK_HOURS"),
        **context,
    }
    message = EmailMultiAlternatives(
        subject=subject % {"portal": territory.name},
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def read_confirmation(request: HttpRequest, token: str) -> dict:
    """What a confirmation link asks for, if it can still be followed here (changes nothing)."""
    max_age = timedelta(hours=setting("PORTAL_NEWSLETTER_LINK_HOURS"))
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        email, territory_id = data["e"], int(data["t"])
        datetime.fromisoformat(data["at"])
    except signing.SignatureExpired:
        raise LinkError(LinkError.EXPIRED) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError(LinkError.FORGED) from None
    if territory_id != request.territory.pk or not email:
        raise LinkError(LinkError.OTHER_PORTAL)
    return data


def confirm_subscription(request: HttpRequest, token: str) -> Subscriber:
    """Make (or renew) the subscription a confirmation link stands for and record the consent;
    or raise :class:`LinkError`, having changed nothing. Following the link again changes
    nothing more; a link asked for before the address unsubscribed is void."""
    data = read_confirmation(request, token)
    requested_at = datetime.fromisoformat(data["at"])
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(email__iexact=data["e"], territory=request.territory)
            .first()
        )
        if subscriber is not None and subscriber.status in ACTIVE_OR_PAUSED:
            return subscriber  # the link followed twice, or after another one
        if subscriber is not None and subscriber.unsubscribed_at > requested_at:
            raise LinkError(LinkError.SUPERSEDED)
        subscriber = subscriber or Subscriber(email=data["e"], territory=request.territory)
        subscriber.language = data["l"]
        subscriber.interests = data["i"]
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.unsubscribe_reason = ""
        subscriber.save()
        Consent.objects.create(
            subscriber=subscriber,
            territory=request.territory,
            text_version=data["v"],
            given_at=now,
            requested_at=requested_at,
        )
    return subscriber


def subscriber_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=SUBSCRIBER_SALT)


def subscriber_url(subscriber: Subscriber, url_name: str) -> str:
    """An absolute link to a subscriber's own page, on their portal's host (no request: the
    sending worker has none)."""
    root = subscriber.territory.site.root_url
    return root + reverse(url_name, args=[subscriber_token(subscriber)])


def subscriber_for(request: HttpRequest, token: str) -> Subscriber:
    """The subscriber a preferences or unsubscribe link names, on this portal; or raise."""
    try:
        pk, key = signing.loads(token, salt=SUBSCRIBER_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise LinkError(LinkError.FORGED) from None
    subscriber = Subscriber.objects.filter(pk=pk, key=key).select_related("territory").first()
    if subscriber is None:
        raise LinkError(LinkError.FORGED)
    if subscriber.territory_id != request.territory.pk:
        raise LinkError(LinkError.OTHER_PORTAL)
    return subscriber


def update_preferences(
    subscriber: Subscriber, interests: list[str], language: str, paused: bool
) -> Subscriber:
    subscriber.interests = encode(interests)
    subscriber.language = language
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.PAUSED if paused else Subscriber.Status.ACTIVE
    subscriber.save(update_fields=["interests", "language", "status"])
    return subscriber


def unsubscribe(subscriber: Subscriber, reason: str = "link") -> bool:
    """Stop every e-mail to ``subscriber``: True if this changed anything (a second click,
    a replayed request, change nothing)."""
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_reason=reason,
        )
    )
    return bool(changed)


def unsubscribe_address(email: str, reason: str) -> int:
    """Unsubscribe an address on every portal (a bounce or a complaint): how many rows."""
    return (
        Subscriber.objects.filter(email__iexact=normalise_email(email))
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_reason=reason,
        )
    )
