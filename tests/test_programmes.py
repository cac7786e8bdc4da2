"""Programmes: budget on the ledger, one application per household, protocol numbers,
approval paying the wallet once, budget never exceeded (also concurrently, on PostgreSQL).
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.ledger.models import Account, Transfer
from portal.programmes.applications import (
    AlreadyApplied,
    BudgetExhausted,
    Closed,
    NotOpenYet,
    ProgrammeError,
    StepNotAllowed,
    approve,
    move,
    start,
    submit,
)
from portal.programmes.budget import budget_left, fund, funds_account, wallet_for
from portal.programmes.models import Application, ApplicationEvent, Programme, Wallet
from tests.programmes_support import citizen, draft, in_own_connection, open_programme, tax_code

S = Application.Status
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def reviewed(programme, size=2, n=None):
    application = draft(programme, size=size, n=n)
    submit(application, application.applicant)
    officer = citizen()
    move(application, officer, S.IN_REVIEW, officer=True)
    return application, officer


@pytest.mark.django_db
class TestBudget:
    def test_a_new_programme_is_funded_on_the_ledger(self, territories):
        programme = open_programme(territories["padova"], budget="2500.00")
        assert budget_left(programme) == Decimal("2500.00")
        assert funds_account(programme).balance == Decimal("-2500.00")
        assert programme.budget_account.allow_negative is False

    def test_changing_the_budget_tops_up_or_gives_back(self, territories):
        programme = open_programme(territories["padova"], budget="1000.00")
        programme.budget = Decimal("1500.00")
        assert fund(programme) == Decimal("500.00")
        programme.budget = Decimal("1200.00")
        assert fund(programme) == Decimal("-300.00")
        assert budget_left(programme) == Decimal("1200.00")
        assert fund(programme) == 0  # in line already: nothing moves

    def test_amount_rules_by_household_size(self, territories):
        programme = open_programme(territories["padova"])
        assert [programme.amount_for(n) for n in (1, 2, 3, 4, 7)] == [
            Decimal(x) for x in ("150.00", "250.00", "350.00", "400.00", "400.00")
        ]
        assert programme.amount_for(0) is None


@pytest.mark.django_db
class TestApplying:
    def test_one_application_per_household_decided_by_the_database(self, territories):
        programme = open_programme(territories["padova"])
        start(programme, citizen(), tax_code(7))
        other_member = citizen()
        with pytest.raises(AlreadyApplied, match="nucleo familiare"):
            start(programme, other_member, tax_code(7).lower())
        assert programme.applications.count() == 1

    def test_the_same_person_cannot_apply_twice(self, territories):
        programme = open_programme(territories["padova"])
        user = citizen()
        start(programme, user, tax_code(1))
        with pytest.raises(AlreadyApplied):
            start(programme, user, tax_code(2))
        assert programme.applications.count() == 1

    def test_the_same_household_may_apply_to_another_programme(self, territories):
        one, two = open_programme(territories["padova"]), open_programme(territories["padova"])
        user = citizen()
        start(one, user, tax_code(3))
        start(two, user, tax_code(3))
        assert Application.objects.filter(applicant=user).count() == 2

    def test_a_malformed_tax_code_is_refused(self, territories):
        programme = open_programme(territories["padova"])
        with pytest.raises(ProgrammeError, match="codice fiscale"):
            start(programme, citizen(), "ABC123")
        assert not programme.applications.exists()

    @pytest.mark.parametrize(
        ("opens", "closes", "error", "message"),
        [(3, 10, NotOpenYet, "si aprono il"), (-10, -1, Closed, "si sono chiuse il")],
    )
    def test_closed_or_not_yet_open(self, territories, opens, closes, error, message):
        today = timezone.localdate()
        programme = open_programme(
            territories["padova"],
            opens_on=today + timedelta(days=opens),
            closes_on=today + timedelta(days=closes),
        )
        with pytest.raises(error, match=message):
            start(programme, citizen(), tax_code(4))
        assert not programme.applications.exists()

    def test_an_exhausted_budget_takes_no_applications(self, territories):
        programme = open_programme(territories["padova"], budget="250.00")
        application, officer = reviewed(programme, size=2)
        approve(application, officer)
        with pytest.raises(BudgetExhausted):
            start(programme, citizen(), tax_code(5))

    def test_submitting_gives_protocol_numbers_in_sequence_per_territory(self, territories):
        year = timezone.localdate().year
        padova = open_programme(territories["padova"])
        first, second = draft(padova), draft(padova)
        submit(first, first.applicant)
        submit(second, second.applicant)
        other = draft(open_programme(territories["rho"]))
        submit(other, other.applicant)
        numbers = [int(a.protocol.rsplit("-", 1)[1]) for a in (first, second)]
        assert first.protocol.startswith(f"PADOVA-{year}-")
        assert len(first.protocol) == len(f"PADOVA-{year}-000123")
        assert numbers[1] == numbers[0] + 1
        assert other.protocol.startswith(f"RHO-{year}-")
        assert first.status == S.SUBMITTED

    def test_a_draft_without_household_size_cannot_be_sent(self, territories):
        programme = open_programme(territories["padova"])
        application = start(programme, citizen(), tax_code(9))
        with pytest.raises(ProgrammeError, match="componenti del nucleo"):
            submit(application, application.applicant)
        application.refresh_from_db()
        assert (application.status, application.protocol) == (S.DRAFT, None)


@pytest.mark.django_db
class TestReviewAndApproval:
    def test_every_transition_is_recorded(self, territories):
        programme = open_programme(territories["padova"])
        application, officer = reviewed(programme)
        move(application, officer, S.MORE_INFO, "Manca l'ISEE", officer=True)
        move(application, application.applicant, S.IN_REVIEW, "Allegato", officer=False)
        approve(application, officer, "ok")
        steps = [
            (e.from_status, e.to_status, e.note)
            for e in ApplicationEvent.objects.filter(application=application)
        ]
        assert steps == [
            ("", S.DRAFT, ""),
            (S.DRAFT, S.SUBMITTED, ""),
            (S.SUBMITTED, S.IN_REVIEW, ""),
            (S.IN_REVIEW, S.MORE_INFO, "Manca l'ISEE"),
            (S.MORE_INFO, S.IN_REVIEW, "Allegato"),
            (S.IN_REVIEW, S.APPROVED, "ok"),
        ]

    def test_approval_credits_the_wallet_once(self, territories):
        programme = open_programme(territories["padova"], budget="1000.00")
        application, officer = reviewed(programme, size=3)
        approve(application, officer)
        approve(application, officer)  # a double click
        wallet = Wallet.objects.get(programme=programme, owner=application.applicant)
        assert wallet.account.balance == Decimal("350.00")
        assert budget_left(programme) == Decimal("650.00")
        assert Transfer.objects.filter(destination=wallet.account).count() == 1
        application.refresh_from_db()
        assert (application.status, application.amount) == (S.APPROVED, Decimal("350.00"))
        assert application.transfer.key == application.idempotency_key

    def test_approval_above_the_budget_left_is_refused_and_writes_nothing(self, territories):
        programme = open_programme(territories["padova"], budget="300.00")
        application, officer = reviewed(programme, size=4)
        transfers = Transfer.objects.count()
        with pytest.raises(BudgetExhausted, match="300.00"):
            approve(application, officer)
        application.refresh_from_db()
        assert application.status == S.IN_REVIEW
        assert Transfer.objects.count() == transfers
        assert budget_left(programme) == Decimal("300.00")

    def test_a_rejection_needs_a_reason(self, territories):
        programme = open_programme(territories["padova"])
        application, officer = reviewed(programme)
        with pytest.raises(ProgrammeError, match="perché"):
            move(application, officer, S.REJECTED, "  ", officer=True)
        move(application, officer, S.REJECTED, "Fuori comune", officer=True)
        assert Application.objects.get(pk=application.pk).status == S.REJECTED
        with pytest.raises(StepNotAllowed):
            approve(application, officer)

    def test_a_citizen_cannot_review_their_own_application(self, territories):
        programme = open_programme(territories["padova"])
        application = draft(programme)
        submit(application, application.applicant)
        with pytest.raises(StepNotAllowed):
            move(application, application.applicant, S.IN_REVIEW, officer=False)
        with pytest.raises(StepNotAllowed):
            approve(application, citizen())  # not taken in charge yet


@pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL row locks (DATABASE_URL=postgres://…)"
)
@pytest.mark.django_db
def test_fifty_concurrent_approvals_against_a_budget_for_ten(territories):
    """50 applications of 250 € each, a budget of 2,500 €: exactly 10 are approved."""

    territory = territories["padova"]

    def prepare():
        programme = open_programme(territory, budget="2500.00")
        officer = citizen()
        apps = []
        for n in range(50):
            application = draft(programme, size=2, n=n)
            submit(application, application.applicant)
            move(application, officer, S.IN_REVIEW, officer=True)
            apps.append(application)
        return programme, officer, apps

    programme, officer, apps = in_own_connection(prepare)
    barrier = threading.Barrier(50)
    results: list = [None] * 50

    def approve_one(i):
        try:
            barrier.wait()
            results[i] = approve(apps[i], officer)
        except Exception as exc:  # noqa: BLE001 — counted below
            results[i] = exc
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=approve_one, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        approved = [r for r in results if isinstance(r, Application)]
        refused = [r for r in results if isinstance(r, BudgetExhausted)]
        assert (len(approved), len(refused)) == (10, 40), results
        left = Account.objects.get(pk=programme.budget_account_id).balance
        wallets = sum(w.account.balance for w in Wallet.objects.filter(programme=programme))
        assert left >= 0
        assert left + wallets == Decimal("2500.00")
        assert Application.objects.filter(programme=programme, status=S.APPROVED).count() == 10
    finally:

        def clean_up():
            accounts = list(
                Account.objects.filter(code__startswith=f"padova:programme:{programme.slug}:")
            )
            Programme.objects.filter(pk=programme.pk).update()
            for application in Application.objects.filter(programme=programme):
                application.events.all().delete()
            Application.objects.filter(programme=programme).delete()
            Wallet.objects.filter(programme=programme).delete()
            Transfer.objects.filter(source__in=accounts).delete()
            Transfer.objects.filter(destination__in=accounts).delete()
            Programme.objects.filter(pk=programme.pk).delete()
            Account.objects.filter(pk__in=[a.pk for a in accounts]).delete()
            from django.contrib.auth import get_user_model

            get_user_model().objects.filter(
                pk__in=[officer.pk, *[a.applicant_id for a in apps]]
            ).delete()

        in_own_connection(clean_up)


def test_wallet_for_is_one_per_programme_and_owner(db, territories):
    programme = open_programme(territories["padova"])
    user = citizen()
    assert wallet_for(programme, user) == wallet_for(programme, user)
    assert Wallet.objects.filter(programme=programme, owner=user).count() == 1
