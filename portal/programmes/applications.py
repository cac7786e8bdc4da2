"""An application's life: a draft, sent with a protocol number, reviewed, approved once.

Every change of status goes through :func:`move`, which locks the application's row, checks
the step is allowed and records it as an :class:`ApplicationEvent`. Approval pays the amount
the programme's rules grant from the budget account into the applicant's wallet with one
ledger transfer keyed by the application, so a double click or two officers at once pay once,
and the budget account's row lock means concurrent approvals never spend more than it holds.
"""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger.transfers import InsufficientFunds, transfer
from portal.territories.models import Territory

from .budget import wallet_for
from .models import Application, ApplicationEvent, Programme, ProtocolCounter

S = Application.Status
CREDIT_KIND = "programme-credit"

# Who may move an application from a status to the next: the applicant or an officer.
CITIZEN_STEPS = {S.DRAFT: {S.SUBMITTED}, S.MORE_INFO: {S.IN_REVIEW}}
OFFICER_STEPS = {
    S.SUBMITTED: {S.IN_REVIEW, S.REJECTED},
    S.IN_REVIEW: {S.MORE_INFO, S.APPROVED, S.REJECTED},
    S.MORE_INFO: {S.IN_REVIEW, S.REJECTED},
}
# The Italian tax code (codice fiscale) of a person: the household's key. Omocodia may turn
# digits into letters, so the digit places accept both.
TAX_CODE_RE = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)


class ProgrammeError(Exception):
    """Something the person is told in plain words; nothing was written."""


class NotOpenYet(ProgrammeError):
    pass


class Closed(ProgrammeError):
    pass


class BudgetExhausted(ProgrammeError):
    pass


class AlreadyApplied(ProgrammeError):
    pass


class StepNotAllowed(ProgrammeError):
    pass


def check_open(programme: Programme) -> None:
    """Raise the reason ``programme`` takes no applications today, if there is one."""
    today = timezone.localdate()
    if today < programme.opens_on:
        raise NotOpenYet(
            _("Applications open on %(date)s.") % {"date": programme.opens_on.strftime("%d/%m/%Y")}
        )
    if today > programme.closes_on:
        raise Closed(
            _("Applications closed on %(date)s.")
            % {"date": programme.closes_on.strftime("%d/%m/%Y")}
        )
    if programme.budget_account.balance <= 0:
        raise BudgetExhausted(_("The programme's budget has been used up."))


def household_key(tax_code: str) -> str:
    """The normalised household key, or :class:`ProgrammeError` for a malformed tax code."""
    key = re.sub(r"\s+", "", tax_code or "").upper()
    if not TAX_CODE_RE.match(key):
        raise ProgrammeError(
            _("'%(code)s' is not an Italian tax code (16 letters and digits).") % {"code": tax_code}
        )
    return key


def start(programme: Programme, applicant, tax_code: str, *, language: str = "it") -> Application:
    """A draft application of ``applicant``'s household; one per household per programme.

    The database decides (a unique constraint): two people of one household applying at the
    same moment get one draft and one :class:`AlreadyApplied`.
    """
    programme.budget_account.refresh_from_db(fields=["balance"])
    check_open(programme)
    key = household_key(tax_code)
    mine = Application.objects.filter(programme=programme, applicant=applicant).first()
    if mine is not None:
        raise AlreadyApplied(_("You have already applied to this programme."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme, applicant=applicant, household_key=key, language=language
            )
            ApplicationEvent.objects.create(
                application=application, actor=applicant, to_status=S.DRAFT
            )
    except IntegrityError as exc:
        raise AlreadyApplied(
            _("An application for this household has already been made to this programme.")
        ) from exc
    return application


def next_protocol(territory: Territory, year: int) -> str:
    """The next protocol number of ``territory`` in ``year``, e.g. ``PADOVA-2026-000123``."""
    with transaction.atomic():
        ProtocolCounter.objects.get_or_create(territory=territory, year=year)
        counter = ProtocolCounter.objects.select_for_update().get(territory=territory, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{territory.slug.upper()}-{year}-{counter.last:06d}"


def _record(application: Application, actor, to: str, note: str = "") -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=to,
        note=note,
    )
    application.status = to
    return event


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("programme__territory", "programme__budget_account")
        .get(pk=application.pk)
    )


def _refresh(target: Application, source: Application) -> Application:
    for field in ("status", "protocol", "amount", "transfer_id", "submitted_at", "decided_at"):
        setattr(target, field, getattr(source, field))
    return target


def submit(application: Application, actor) -> Application:
    """Send a draft: it gets its protocol number. The programme must still take applications."""
    with transaction.atomic():
        current = _locked(application)
        if current.status != S.DRAFT:
            raise StepNotAllowed(_("This application has already been sent."))
        check_open(current.programme)
        if not current.household_size or not current.municipality:
            raise ProgrammeError(_("Fill in the household size and the municipality first."))
        now = timezone.now()
        current.protocol = next_protocol(current.programme.territory, timezone.localdate().year)
        current.submitted_at = now
        _record(current, actor, S.SUBMITTED)
        current.save(update_fields=["protocol", "submitted_at", "status"])
    return _refresh(application, current)


def move(application: Application, actor, to: str, note: str = "", *, officer: bool) -> Application:
    """Move ``application`` to ``to`` (not to approved: see :func:`approve`) and record it."""
    if to == S.APPROVED:
        return approve(application, actor, note)
    if to == S.REJECTED and not note.strip():
        raise ProgrammeError(_("Say why the application is rejected."))
    with transaction.atomic():
        current = _locked(application)
        steps = OFFICER_STEPS if officer else CITIZEN_STEPS
        if to not in steps.get(current.status, ()):
            raise StepNotAllowed(
                _("An application that is %(status)s cannot be moved to %(to)s.")
                % {"status": current.get_status_display(), "to": S(to).label}
            )
        if to == S.REJECTED:
            current.decided_at = timezone.now()
        _record(current, actor, to, note.strip())
        current.save(update_fields=["status", "decided_at"])
    return _refresh(application, current)


def granted_amount(application: Application) -> Decimal:
    """What the programme's rules grant this application's household."""
    amount = application.programme.amount_for(application.household_size or 0)
    if amount is None or amount <= 0:
        raise ProgrammeError(_("The programme's rules grant no amount to this household."))
    return amount


def approve(application: Application, actor, note: str = "") -> Application:
    """Approve and pay: budget account → the applicant's wallet, once.

    Approving an approved application again changes nothing. When the budget left does not
    cover the amount, :class:`BudgetExhausted` is raised and nothing is written.
    """
    with transaction.atomic():
        current = _locked(application)
        if current.status == S.APPROVED:
            return _refresh(application, current)
        if S.APPROVED not in OFFICER_STEPS.get(current.status, ()):
            raise StepNotAllowed(
                _("An application that is %(status)s cannot be approved.")
                % {"status": current.get_status_display()}
            )
        programme = current.programme
        amount = granted_amount(current)
        wallet = wallet_for(programme, current.applicant)
        try:
            with transaction.atomic():
                made = transfer(
                    programme.budget_account,
                    wallet.account,
                    amount,
                    kind=CREDIT_KIND,
                    reference=current.protocol or "",
                    key=current.idempotency_key,
                )
        except InsufficientFunds as exc:
            raise BudgetExhausted(
                _("The budget left (%(left)s €) does not cover %(amount)s €.")
                % {"left": exc.available, "amount": amount}
            ) from exc
        current.amount = amount
        current.transfer = made
        current.decided_at = timezone.now()
        _record(current, actor, S.APPROVED, note.strip())
        current.save(update_fields=["status", "amount", "transfer", "decided_at"])
    return _refresh(application, current)
