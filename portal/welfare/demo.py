"""Demo welfare managers for `make demo` (never used in production).

Every portal gets a welfare manager, ``welfare.<slug>@welfare.localhost``, in the portal's
welfare managers' group; on every portal with income bands the demo citizen has the last band
verified (made through the same function the managers' form uses, so it is logged), and a
second demo citizen, ``cittadina.a@example.it``, the first band (on Sondrio: B −50%, A free
on education and family services, paid by the fund's budget). On every portal with Social
Points the demo citizen's consent to assisted mode is recorded at the first one, so its
manager can act for them at once (portal/welfare/assisted.py).
"""

from collections.abc import Callable
from datetime import date

from django.contrib.auth import get_user_model

from portal.territories.models import Territory

from .bands import set_band
from .generator import ensure_welfare_office
from .models import CitizenBand, IncomeBand, SocialPoint

DEMO_CITIZEN = "cittadino@example.it"
DEMO_CITIZEN_FIRST_BAND = "cittadina.a@example.it"


def manager_email(territory: Territory) -> str:
    return f"welfare.{territory.slug}@welfare.localhost"


def welfare_managers(ensure_user: Callable) -> list[tuple[Territory, str]]:
    """One welfare manager per portal, in the portal's welfare managers' group."""
    made = []
    territories = list(Territory.objects.order_by("slug"))
    if IncomeBand.objects.exists():
        ensure_user(DEMO_CITIZEN_FIRST_BAND)
    for territory in territories:
        office, _created = ensure_welfare_office(territory)
        ensure_user(manager_email(territory), groups=[office.group])
        made.append((territory, manager_email(territory)))
        _demo_band(territory, DEMO_CITIZEN, ("-position", "-code"))
        _demo_band(territory, DEMO_CITIZEN_FIRST_BAND, ("position", "code"))
        _demo_consent(territory)
    return made


def _demo_consent(territory: Territory) -> None:
    from django.utils import timezone

    from .assisted import record_consent, valid_consent
    from .models import AssistConsent

    User = get_user_model()
    person = User.objects.filter(email__iexact=DEMO_CITIZEN).first()
    point = SocialPoint.objects.filter(territory=territory).first()
    if person is None or point is None or valid_consent(territory, person) is not None:
        return
    record_consent(
        territory,
        person,
        User.objects.get(email__iexact=manager_email(territory)),
        how=AssistConsent.How.IN_PERSON,
        given_at=timezone.now(),
        social_point=point,
    )


def _demo_band(territory: Territory, email: str, order: tuple[str, str]) -> None:
    User = get_user_model()
    person = User.objects.filter(email__iexact=email).first()
    band = IncomeBand.objects.filter(territory=territory).order_by(*order).first()
    if person is None or band is None:
        return
    if CitizenBand.objects.filter(territory=territory, citizen=person).exists():
        return
    set_band(
        person,
        territory,
        band,
        actor=User.objects.get(email__iexact=manager_email(territory)),
        expires_on=date(date.today().year + 1, 12, 31),
        reference=f"ISEE {date.today().year} protocollo INPS-ISEE-DEMO-000001-00",
        social_point=SocialPoint.objects.filter(territory=territory).first(),
    )
