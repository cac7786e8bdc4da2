"""Employer welfare: funding, crediting once, leavers, plan-year end, spending on the ledger."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.employers import funding, spending
from portal.employers.models import EmployeeWallet
from portal.ledger.models import Account, Transfer
from portal.ledger.transfers import InsufficientFunds, LedgerError

from .employers_support import employee, employer, fund, plan

pytestmark = pytest.mark.django_db


def balance(account) -> Decimal:
    return Account.objects.values_list("balance", flat=True).get(pk=account.pk)


class TestFunding:
    def test_a_bank_transfer_is_recorded_once_by_its_reference(self):
        company = employer()
        first = funding.record_funding(
            company, Decimal("5000.00"), reference="CRO 123", day=date(2026, 1, 10)
        )
        again = funding.record_funding(
            company, Decimal("5000.00"), reference="CRO 123", day=date(2026, 1, 10)
        )
        assert again.pk == first.pk
        assert balance(company.funding_account) == Decimal("5000.00")
        with pytest.raises(LedgerError, match="already recorded"):
            funding.record_funding(company, Decimal("50.00"), reference="CRO 123", day=date.today())
        assert balance(company.funding_account) == Decimal("5000.00")

    def test_credit_every_employee_once_by_grade(self):
        company = employer()
        the_plan = plan(company, credit="300.00", by_grade={"quadro": "800.00"})
        staff = [employee(company), employee(company, grade="quadro"), employee(company)]
        fund(company, "2000.00")
        result = funding.credit_all(the_plan)
        assert (result.credited, result.amount) == (3, Decimal("1400.00"))
        wallets = {w.employee_id: w for w in EmployeeWallet.objects.filter(plan=the_plan)}
        assert balance(wallets[staff[1].pk].account) == Decimal("800.00")
        assert balance(wallets[staff[0].pk].account) == Decimal("300.00")
        assert balance(company.funding_account) == Decimal("600.00")
        again = funding.credit_all(the_plan)
        assert (again.credited, again.already) == (0, 3)
        assert balance(company.funding_account) == Decimal("600.00")
        assert Transfer.objects.filter(kind=funding.CREDIT_KIND).count() == 3

    def test_insufficient_funding_is_refused_and_nothing_is_written(self):
        company = employer()
        the_plan = plan(company, credit="500.00")
        employee(company), employee(company)
        fund(company, "999.99")
        with pytest.raises(InsufficientFunds):
            funding.credit_all(the_plan)
        assert not EmployeeWallet.objects.filter(plan=the_plan).exists()
        assert balance(company.funding_account) == Decimal("999.99")

    def test_a_leaver_s_unspent_credit_goes_back_and_a_repeat_returns_nothing(self):
        company = employer()
        the_plan = plan(company, credit="400.00")
        leaver = employee(company)
        fund(company, "400.00")
        funding.credit_all(the_plan)
        assert funding.mark_left(leaver, timezone.localdate()) == Decimal("400.00")
        assert funding.mark_left(leaver, timezone.localdate()) == Decimal("0.00")
        assert balance(company.funding_account) == Decimal("400.00")
        wallet = EmployeeWallet.objects.get(employee=leaver)
        with pytest.raises(spending.WalletRefused, match="left"):
            spending.check_usable(wallet)

    def test_plan_year_end_returns_unspent_credit_once(self):
        company = employer()
        the_plan = plan(company, credit="250.00")
        employee(company), employee(company)
        fund(company, "500.00")
        funding.credit_all(the_plan)
        later = the_plan.ends_on + timedelta(days=1)
        assert funding.close_year(later)[the_plan] == Decimal("500.00")
        assert funding.close_year(later)[the_plan] == Decimal("0.00")
        assert balance(company.funding_account) == Decimal("500.00")
        the_plan.refresh_from_db()
        assert the_plan.status == "closed"
