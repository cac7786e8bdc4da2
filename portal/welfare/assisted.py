"""Assisted mode: a welfare manager acting on a citizen's behalf on the territory's portal.

Who: a welfare manager of territory A, for a citizen of A (:func:`.citizens.citizens_of`:
someone who used A's portal, applied to or ordered from A, had a band verified, was entered
at one of A's offices or Social Points, or gave consent to A's managers). Nobody else.

How:
1. The citizen's **consent** is recorded (:func:`record_consent`): the version of the
   consent text read to them (:data:`CONSENT_TEXTS`), in person or by phone, when, by whom,
   at which Social Point. No session starts without one given in the last
   :data:`CONSENT_VALID_DAYS` days, with the current text.
2. :func:`start_session` opens an :class:`~.models.AssistedSession` (an open one of the
   same manager and citizen is reused: a double submit changes nothing) and the admin hands
   over to the portal's host with a signed token valid :data:`HANDOVER_SECONDS` seconds,
   usable once (sessions are per host: admin on ``localhost``, portals on ``<slug>.localhost``).
3. On the portal, :class:`AssistedModeMiddleware` signs the manager in and, while the
   session lasts, puts the citizen in ``request.user`` (so the shop, basket, wallets,
   vouchers and prices are the citizen's) and the manager in ``request.assisted_manager``.
   Card payment, and the account's sensitive pages (password, e-mail, deleting the account,
   two-factor) are refused; the payment page offers "send the citizen a payment link".
   After :data:`SESSION_MINUTES` minutes the next request is the manager's again, with a
   notice.
4. Every request while acting is one :class:`~.models.AssistedAction` row (one insert).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.programmes.applications import ProgrammeError, household_key
from portal.programmes.paper import Resident, resident_user
from portal.territories.models import Territory

from .models import AssistConsent, AssistedAction, AssistedSession, SocialPoint

SESSION_MINUTES = 30
HANDOVER_SECONDS = 120
PAYMENT_LINK_DAYS = 7
CONSENT_VALID_DAYS = 365
SESSION_KEY = "welfare_assisted_session"

# The consent text read to (or by) the citizen. A changed text gets a new version: older
# consents stop counting, and the record says which one was agreed to.
CONSENT_VERSION = "2026-1"
CONSENT_TEXTS = {
    "2026-1": gettext_lazy(
        "I agree that a welfare manager of the portal uses the portal on my behalf, in my "
        "presence or on the phone with me: browsing services, filling my basket, booking, "
        "paying with my wallet or vouchers and filing applications for me. The manager never "
        "sees my card, password or e-mail settings. Everything done is recorded and listed in "
        "my account. I can withdraw this consent at any time."
    ),
}

HANDOVER_SALT = "welfare.assisted.handover"
PAYMENT_LINK_SALT = "welfare.assisted.payment-link"


def consent_text(version: str = CONSENT_VERSION) -> str:
    return str(CONSENT_TEXTS[version])


def valid_consent(territory: Territory, citizen) -> AssistConsent | None:
    """The citizen's consent to the current text, given here recently enough, or None."""
    since = timezone.now() - datetime.timedelta(days=CONSENT_VALID_DAYS)
    return (
        AssistConsent.objects.filter(
            territory=territory,
            citizen=citizen,
            text_version=CONSENT_VERSION,
            given_at__gte=since,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at", "-pk")
        .first()
    )


def record_consent(
    territory: Territory,
    citizen,
    manager,
    *,
    how: str,
    given_at: datetime.datetime,
    social_point: SocialPoint | None,
) -> AssistConsent:
    """Record the consent; the same consent sent twice (same minute, how, place) is kept once."""
    if how not in AssistConsent.How.values:
        raise ValidationError(_("Say how the consent was given."))
    if given_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("The consent cannot be given in the future."))
    if social_point is not None and social_point.territory_id != territory.pk:
        raise ValidationError(_("Choose one of this portal's Social Points."))
    given_at = given_at.replace(second=0, microsecond=0)
    consent, _created = AssistConsent.objects.get_or_create(
        territory=territory,
        citizen=citizen,
        text_version=CONSENT_VERSION,
        how=how,
        given_at=given_at,
        social_point=social_point,
        defaults={
            "manager": manager,
            "manager_name": manager.get_full_name() or manager.get_username(),
            "social_point_name": social_point.name if social_point else "",
        },
    )
    return consent


@dataclass(frozen=True)
class NewCitizen:
    first_name: str
    last_name: str
    tax_code: str
    phone: str
    email: str = ""


def create_citizen(territory: Territory, data: NewCitizen, manager):
    """A citizen made at the desk, as an office does for a paper application
    (portal/programmes/paper.py): a user with an unusable password, tied to ``territory``
    by a PaperResident row. With an e-mail, the citizen can set a password ("forgot
    password") and sign in. All or nothing: a bad tax code or a taken e-mail writes nothing.
    """
    try:
        key = household_key(data.tax_code)
    except ProgrammeError as exc:
        raise ValidationError({"tax_code": str(exc)}) from exc
    email = data.email.strip().lower()
    User = get_user_model()
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this e-mail exists already: search for it.")}
        )
    from portal.programmes.models import PaperResident

    if PaperResident.objects.filter(territory=territory, tax_code=key).exists():
        raise ValidationError(
            {"tax_code": _("A citizen with this tax code exists already: search for it.")}
        )
    with transaction.atomic():
        user = resident_user(
            territory,
            Resident(
                first_name=data.first_name,
                last_name=data.last_name,
                tax_code=key,
                address="",
                phone=data.phone,
            ),
            manager,
        )
        if email:
            user.email = email
            user.username = f"assistito-{territory.slug}-{secrets.token_hex(6)}"
            user.save(update_fields=["email", "username"])
    return user


def is_open(session: AssistedSession, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.ended_at is None and now < session.started_at + datetime.timedelta(
        minutes=SESSION_MINUTES
    )


def start_session(
    territory: Territory, citizen, manager, social_point: SocialPoint | None
) -> AssistedSession:
    """Open a session (or reuse the manager's open one for this citizen). Needs consent."""
    consent = valid_consent(territory, citizen)
    if consent is None:
        raise ValidationError(_("Record the citizen's consent before acting on their behalf."))
    if social_point is not None and social_point.territory_id != territory.pk:
        raise ValidationError(_("Choose one of this portal's Social Points."))
    with transaction.atomic():
        for session in AssistedSession.objects.select_for_update().filter(
            territory=territory, manager=manager, ended_at__isnull=True
        ):
            if session.citizen_id == citizen.pk and is_open(session):
                return session
            end_session(session)  # one citizen at a time
        session = AssistedSession.objects.create(
            territory=territory,
            citizen=citizen,
            manager=manager,
            consent=consent,
            social_point=social_point or consent.social_point,
            started_at=timezone.now(),
        )
        log(session, AssistedAction.Kind.START)
    return session


def end_session(session: AssistedSession) -> bool:
    """End ``session`` (once: an ended one stays as it was). Whether it was open."""
    ended = AssistedSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if ended:
        session.ended_at = timezone.now()
        log(session, AssistedAction.Kind.STOP)
    return bool(ended)


def log(session: AssistedSession, kind: str, path: str = "", detail: str = "") -> None:
    manager = session.manager
    AssistedAction.objects.create(
        session=session,
        territory_id=session.territory_id,
        citizen_id=session.citizen_id,
        manager=manager,
        manager_name=manager.get_full_name() or manager.get_username(),
        social_point_name=session.social_point.name if session.social_point_id else "",
        kind=kind,
        path=path[:300],
        detail=detail[:300],
    )


def handover_token(session: AssistedSession, back_url: str) -> str:
    """What the admin hands to the portal's host: the session and where "stop" goes back."""
    return signing.dumps({"s": session.pk, "back": back_url}, salt=HANDOVER_SALT)


def read_handover(token: str, territory: Territory) -> tuple[AssistedSession, str] | None:
    """The open session a recent handover token names on its own portal; None otherwise."""
    try:
        data = signing.loads(token, salt=HANDOVER_SALT, max_age=HANDOVER_SECONDS)
    except signing.BadSignature:
        return None
    session = (
        AssistedSession.objects.select_related("manager", "citizen", "social_point")
        .filter(pk=data.get("s"), territory=territory)
        .first()
    )
    if session is None or not is_open(session):
        return None
    return session, data.get("back", "")


def payment_link_token(citizen, basket_id: int, territory: Territory) -> str:
    return signing.dumps(
        {"u": citizen.pk, "b": basket_id, "t": territory.pk}, salt=PAYMENT_LINK_SALT
    )


def read_payment_link(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=PAYMENT_LINK_SALT, max_age=PAYMENT_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None


ENDED_KEY = "welfare_assisted_ended"


def refused_title() -> str:
    return _("Not while acting on a citizen's behalf")


def order_number(order_id) -> str:
    from oscar.core.loading import get_model

    order = get_model("order", "Order").objects.filter(pk=order_id).only("number").first()
    return order.number if order else ""


def mark_applications(session: AssistedSession) -> str:
    """The citizen's applications started during ``session`` were filed by the manager: their
    channel says so. Their protocols (or nothing, if none was started)."""
    from portal.programmes.models import Application

    mine = Application.objects.filter(
        applicant_id=session.citizen_id,
        programme__territory_id=session.territory_id,
        created_at__gte=session.started_at,
    )
    mine.filter(channel=Application.Channel.ONLINE).update(channel=Application.Channel.ASSISTED)
    return ", ".join(p for p in mine.values_list("protocol", flat=True) if p)


def withdraw_consent(territory: Territory, citizen) -> int:
    """The citizen withdraws every consent given here; open sessions for them end now.
    How many consents were still in force (0 the second time)."""
    now = timezone.now()
    with transaction.atomic():
        withdrawn = AssistConsent.objects.filter(
            territory=territory, citizen=citizen, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        for session in AssistedSession.objects.filter(
            territory=territory, citizen=citizen, ended_at__isnull=True
        ).select_related("manager", "social_point"):
            end_session(session)
    return withdrawn


def first_use_of_handover(token: str) -> bool:
    """Whether this is the first time ``token`` is used (a link opens one session once)."""
    import hashlib

    from django.core.cache import cache

    key = "welfare-assisted-handover-" + hashlib.sha256(token.encode()).hexdigest()
    return cache.add(key, 1, HANDOVER_SECONDS + 5)
