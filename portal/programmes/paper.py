"""Applications on paper, for residents with no computer or e-mail, and their letters' codes.

An officer enters the application at the office (:func:`enter_paper_application`): the
resident gets a portal user who cannot sign in (no e-mail, an unusable password) and a
:class:`~.models.PaperResident` row with what the letter needs; the application is sent at
once, with its protocol number, and follows the usual review. Once approved, the officer
prints the letter (:func:`issue_letter_code`): a new random code, printed and kept only as a
digest, which cooperative staff type or scan at the counter (:func:`find_letter`).

The codes are the gift vouchers' (``shop.giftcards.codes``): 18 characters without
look-alikes, grouped in fours, about 88 random bits; a wrong code counts against the
client's tries (``shop.giftcards.throttle``).
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.territories.models import Territory
from shop.giftcards import codes

from .applications import ProgrammeError, household_key, start, submit
from .models import Application, ApplicationEvent, LetterCode, PaperResident, Programme, Wallet
from .spending import is_expired

S = Application.Status


class LetterNotFound(ProgrammeError):
    """No usable letter has this code here. Says no more, so a guesser learns nothing:
    a wrong code, another portal's code and a replaced letter's code all raise it."""

    message = gettext_lazy("This code does not match a valid letter of this portal.")

    def __init__(self):
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Resident:
    """What the officer writes down about a resident applying on paper."""

    first_name: str
    last_name: str
    tax_code: str
    address: str
    phone: str = ""
    language: str = "it"


@dataclass
class PaperAnswers:
    """The application's own answers, as on the online form."""

    household_size: int
    municipality: str
    income_band: str = ""
    answers: dict = field(default_factory=dict)


def resident_user(territory: Territory, resident: Resident, officer):
    """The portal user of ``resident`` (by tax code, in ``territory``), made on first use.

    It has no e-mail and an unusable password: nobody signs in with it; it owns the
    resident's applications and wallets.
    """
    key = household_key(resident.tax_code)
    found = PaperResident.objects.filter(territory=territory, tax_code=key).select_related("user")
    if (paper := found.first()) is not None:
        return paper.user
    User = get_user_model()
    user = User(
        username=f"carta-{territory.slug}-{secrets.token_hex(6)}",
        email="",
        first_name=resident.first_name.strip(),
        last_name=resident.last_name.strip(),
    )
    user.set_unusable_password()
    user.save()
    PaperResident.objects.create(
        user=user,
        territory=territory,
        tax_code=key,
        phone=resident.phone.strip(),
        address=resident.address.strip(),
        language=resident.language,
        created_by=officer,
    )
    return user


def enter_paper_application(
    programme: Programme, officer, resident: Resident, answers: PaperAnswers
) -> Application:
    """Enter and send ``resident``'s application to ``programme``, as ``officer``.

    All or nothing: a malformed tax code, a household that already applied, a closed
    programme raise :class:`ProgrammeError` and nothing is written.
    """
    if answers.municipality not in programme.municipalities:
        raise ProgrammeError(_("Choose one of the programme's municipalities."))
    with transaction.atomic():
        user = resident_user(programme.territory, resident, officer)
        application = start(programme, user, resident.tax_code, language=resident.language)
        application.channel = Application.Channel.PAPER
        application.household_size = answers.household_size
        application.municipality = answers.municipality
        application.income_band = answers.income_band
        application.answers = answers.answers
        application.save(
            update_fields=["channel", "household_size", "municipality", "income_band", "answers"]
        )
        application.events.filter(actor=user).update(actor=officer)
        submit(application, officer)
    return application


def issue_letter_code(application: Application, officer) -> str:
    """A new code for ``application``'s letter (the previous one stops working); the code.

    Only an approved paper application has a letter. The code is returned once, to be
    printed; the database keeps its digest and last four characters.
    """
    if application.channel != Application.Channel.PAPER or application.status != S.APPROVED:
        raise ProgrammeError(_("Only an approved application made on paper has a letter."))
    code = codes.generate_code()
    normalised = codes.normalise(code)
    with transaction.atomic():
        LetterCode.objects.update_or_create(
            application=application,
            defaults={
                "code_digest": codes.digest(normalised),
                "code_last4": normalised[-4:],
                "issued_at": timezone.now(),
                "issued_by": officer,
            },
        )
        ApplicationEvent.objects.create(
            application=application,
            actor=officer,
            from_status=application.status,
            to_status=application.status,
            note=_("Letter printed with the code ending in %(last4)s.")
            % {"last4": normalised[-4:]},
        )
    return code


def find_letter(territory: Territory | None, code: str) -> LetterCode:
    """The letter of ``territory`` with ``code`` (typed or scanned, any case, with or without
    dashes), its application, programme and resident read with it; or :class:`LetterNotFound`.
    """
    normalised = codes.normalise(code)
    if normalised is None or territory is None:
        raise LetterNotFound()
    letter = (
        LetterCode.objects.select_related(
            "application__applicant", "application__programme__territory"
        )
        .filter(code_digest=codes.digest(normalised), application__programme__territory=territory)
        .first()
    )
    if letter is None or letter.application.status != S.APPROVED:
        raise LetterNotFound()
    return letter


def letter_wallet(letter: LetterCode) -> Wallet:
    """The wallet the letter spends: the resident's for the programme."""
    application = letter.application
    return Wallet.objects.select_related("account", "programme__territory").get(
        programme=application.programme, owner=application.applicant
    )


def available(wallet: Wallet) -> Decimal:
    """What the wallet can pay now: its balance, nothing once the credit has expired."""
    return Decimal("0.00") if is_expired(wallet.programme) else wallet.account.balance
