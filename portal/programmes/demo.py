"""Demo officers and demo applications for `make demo` (never used in production).

Every portal gets an officer, ``ufficio.<slug>@welfare.localhost``; every open programme
gets applications in each status, made through the same functions the portal uses, so the
ledger holds real credits. A programme that has applications already is left alone.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model

from portal.territories.models import Territory

from .applications import ProgrammeError, approve, move, start, submit
from .generator import ensure_office
from .models import Application, Programme

S = Application.Status
# (status to reach, household size, municipality index, note of the last step)
STORIES = (
    (S.DRAFT, 2, 0, ""),
    (S.SUBMITTED, 3, 1, ""),
    (S.IN_REVIEW, 1, 2, ""),
    (S.MORE_INFO, 4, 3, "Allegate per favore la certificazione ISEE aggiornata."),
    (S.APPROVED, 2, 4, "Requisiti verificati."),
    (S.APPROVED, 5, 0, "Requisiti verificati."),
    (S.REJECTED, 1, 1, "La residenza non risulta in uno dei Comuni del programma."),
)
DEMO_CITIZEN = "cittadino@example.it"


def officer_email(territory: Territory) -> str:
    return f"ufficio.{territory.slug}@welfare.localhost"


def officers(ensure_user: Callable) -> list[tuple[Territory, str]]:
    """One officer per portal, in the portal's officers group."""
    made = []
    for territory in Territory.objects.order_by("slug"):
        office, _created = ensure_office(territory)
        ensure_user(officer_email(territory), groups=[office.group])
        made.append((territory, officer_email(territory)))
    return made


def _tax_code(n: int) -> str:
    """A well-formed, made-up tax code: the household key (unique per programme only)."""
    return f"DMORSS{80 + n:02d}A01H{500 + n:03d}Z"


def load_applications(ensure_user: Callable) -> int:
    """Applications in every status for every programme still without any; how many made."""
    User = get_user_model()
    made = 0
    for programme in Programme.objects.select_related("territory", "budget_account"):
        if programme.applications.exists():
            continue
        slug = programme.territory.slug
        officer = User.objects.get(email__iexact=officer_email(programme.territory))
        for n, (status, size, town, note) in enumerate(STORIES):
            # the demo citizen has the approved one, so "my wallet" shows a credit
            email = DEMO_CITIZEN if n == 4 else f"richiedente{n + 1}.{slug}@example.it"
            ensure_user(email)
            applicant = User.objects.get(email__iexact=email)
            try:
                application = start(programme, applicant, _tax_code(n))
            except ProgrammeError:
                break  # closed, not open yet or spent: the demo takes what the portal would
            application.household_size = size
            application.municipality = programme.municipalities[
                town % len(programme.municipalities)
            ]
            application.income_band = "isee-fino-15000"
            application.save(update_fields=["household_size", "municipality", "income_band"])
            made += 1
            if status == S.DRAFT:
                continue
            submit(application, applicant)
            if status == S.SUBMITTED:
                continue
            move(application, officer, S.IN_REVIEW, officer=True)
            if status == S.APPROVED:
                approve(application, officer, note)
            elif status in (S.MORE_INFO, S.REJECTED):
                move(application, officer, status, note, officer=True)
    return made
