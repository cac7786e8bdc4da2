"""The demo's paper application: a resident of Padova with an approved letter to try the counter.

Entered, approved and printed through the functions the office uses; each run of the demo
prints the letter again (a new code, the previous one stops working) and returns the code, so
the demo's output always shows one that works at the counter.
"""

from django.contrib.auth import get_user_model

from .applications import ProgrammeError, approve, move
from .demo import officer_email
from .models import Application, Programme
from .paper import PaperAnswers, Resident, enter_paper_application, issue_letter_code

S = Application.Status
PORTAL = "padova"
RESIDENT = Resident(
    first_name="Giuseppina",
    last_name="Carta",
    tax_code="CRTGPP45C41G224K",
    address="Via del Santo 12",
    phone="049 0000000",
)


def load_paper_letter() -> tuple[Programme, str] | None:
    """Padova's first open programme gets the paper application (once); (programme, code)."""
    programme = (
        Programme.objects.filter(territory__slug=PORTAL, kind=Programme.Kind.VOUCHERS)
        .select_related("territory", "budget_account")
        .order_by("opens_on")
        .first()
    )
    if programme is None:
        return None
    officer = get_user_model().objects.filter(email__iexact=officer_email(programme.territory))
    officer = officer.first()
    application = programme.applications.filter(channel=Application.Channel.PAPER).first()
    try:
        if application is None:
            application = enter_paper_application(
                programme,
                officer,
                RESIDENT,
                PaperAnswers(household_size=3, municipality=programme.municipalities[0]),
            )
        if application.status == S.SUBMITTED:
            move(application, officer, S.IN_REVIEW, officer=True)
        if application.status == S.IN_REVIEW:
            approve(application, officer, "Domanda cartacea verificata allo sportello.")
        return programme, issue_letter_code(application, officer)
    except ProgrammeError:
        return None  # closed, not open yet or spent: the demo takes what the portal would
