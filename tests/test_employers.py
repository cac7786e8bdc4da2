"""Employer welfare: funding, crediting once, leavers, plan-year end, spending on the ledger."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.employers import funding, spending
from portal.employers.models import EmployeeWallet, Spend
from portal.ledger.models import Account, Transfer
from portal.ledger.transfers import InsufficientFunds, LedgerError

from .employers_support import employee, employer, fund, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    """Messages as the portal's users read them (Italian, the default language)."""
    from django.utils import translation

    with translation.override("it"):
        yield


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
        with pytest.raises(LedgerError, match="già stato registrato"):
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
        with pytest.raises(spending.WalletRefused, match="hai lasciato"):
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


# --- spending on the ledger ------------------------------------------------------------------

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from portal.employers import invitations  # noqa: E402
from portal.ledger.transfers import release_hold  # noqa: E402
from portal.programmes.checkout import category_slugs  # noqa: E402

StockRecord = get_model("partner", "StockRecord")


def offer(territory_slug: str, category: str):
    """A service of ``category`` offered on portal ``territory_slug``, with its cooperative."""
    record = (
        StockRecord.objects.filter(territory__slug=territory_slug)
        .filter(product__parent__categories__slug=category)
        .select_related("product__parent", "partner")
        .first()
    ) or (
        StockRecord.objects.filter(
            territory__slug=territory_slug, product__categories__slug=category
        )
        .select_related("product", "partner")
        .first()
    )
    product = record.product
    slugs = category_slugs([product.parent_id or product.pk])[product.parent_id or product.pk]
    return product, record.partner, slugs


def credited(territory=None, n=1, credit="300.00", categories=("f", "f-bis", "f-ter")):
    company = employer(territory)
    the_plan = plan(company, credit=credit, categories=categories)
    staff = [employee(company) for _ in range(n)]
    fund(company, str(Decimal(credit) * n))
    funding.credit_all(the_plan)
    wallets = {w.employee_id: w for w in EmployeeWallet.objects.filter(plan=the_plan)}
    return company, the_plan, [wallets[e.pk] for e in staff]


class TestSpending:
    def test_eligible_by_tuir_letter_and_never_a_house_repair(self, territories):
        company = employer()
        only_childcare = plan(company, categories=["f-bis"])
        school, _partner, school_slugs = offer("cremona", "educazione")
        elderly, _p, elderly_slugs = offer("cremona", "anziani-e-domiciliarita")
        repair, _p, repair_slugs = offer("cremona", "casa-e-servizi-pratici")
        ok = spending.eligible(only_childcare, school, school_slugs)
        assert ok and ok.code == "f-bis"
        refused = spending.eligible(only_childcare, elderly, elderly_slugs)
        assert not refused and "non copre" in refused.reason
        assert not spending.eligible(plan(employer()), repair, repair_slugs)

    def test_a_capture_pays_the_line_s_cooperative_once_and_records_the_spend(self, territories):
        company, the_plan, [wallet] = credited(territories["cremona"])
        product, partner, slugs = offer("padova", "anziani-e-domiciliarita")  # another portal
        code = spending.eligible(the_plan, product, slugs).code
        held = spending.hold_spend(
            wallet, Decimal("120.00"), reference="order:1:wallet:1", key="k1"
        )
        first = spending.capture_spend(held, wallet, partner, tuir_code=code)
        again = spending.capture_spend(held, wallet, partner, tuir_code=code)
        assert first.pk == again.pk
        assert balance(wallet.account) == Decimal("180.00")
        assert balance(spending.spent_account(the_plan, partner)) == Decimal("120.00")
        spend = Spend.objects.get(plan=the_plan)
        assert (spend.amount, spend.tuir_code) == (Decimal("120.00"), "f-ter")
        spending.refund_spend(
            wallet, Decimal("20.00"), partner, tuir_code=code, reference="r", key="refund-1"
        )
        spending.refund_spend(
            wallet, Decimal("20.00"), partner, tuir_code=code, reference="r", key="refund-1"
        )
        assert balance(wallet.account) == Decimal("200.00")
        assert sum(s.amount for s in Spend.objects.filter(plan=the_plan)) == Decimal("100.00")

    def test_more_than_the_balance_is_refused_and_a_release_gives_it_back(self, territories):
        _company, _plan, [wallet] = credited()
        with pytest.raises(InsufficientFunds):
            spending.hold_spend(wallet, Decimal("300.01"), reference="order:2:wallet:1", key="k2")
        held = spending.hold_spend(
            wallet, Decimal("300.00"), reference="order:2:wallet:1", key="k3"
        )
        release_hold(held)
        assert balance(wallet.account) == Decimal("300.00")

    def test_an_ended_plan_is_refused_with_its_date(self):
        _company, the_plan, [wallet] = credited()
        with pytest.raises(spending.WalletRefused, match="si poteva usare fino al"):
            spending.check_usable(wallet, today=the_plan.ends_on + timedelta(days=1))
        assert spending.usable_wallets(wallet.employee.user) == [wallet]


# --- what the employer sees ------------------------------------------------------------------


def admin_of(company, name="hr"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=f"{name}@{company.slug}.example",
        email=f"{name}@{company.slug}.example",
        password="x",
    )
    user.groups.add(company.admins)
    client = Client()
    client.force_login(user)
    return client


def employer_urls(company, the_plan, staff):
    base = {"employer_id": company.pk}
    return [
        reverse("employers_admin_index"),
        reverse("employers_admin_dashboard", kwargs=base),
        reverse("employers_admin_dashboard", kwargs=base) + f"?plan={the_plan.pk}",
        reverse("employers_admin_export", kwargs=base),
        reverse("employers_admin_employees", kwargs=base),
        reverse("employers_admin_import", kwargs=base),
        reverse("employers_admin_leaver", kwargs={**base, "employee_id": staff.pk}),
        reverse("employers_admin_plan_new", kwargs=base),
        reverse("employers_admin_plan", kwargs={**base, "plan_id": the_plan.pk}),
    ]


def spend_in(the_plan, wallets, product, partner, amount="10.00", order="900001"):
    code = spending.eligible(
        the_plan,
        product,
        category_slugs([product.parent_id or product.pk])[product.parent_id or product.pk],
    ).code
    for n, wallet in enumerate(wallets):
        held = spending.hold_spend(
            wallet, Decimal(amount), reference=f"order:{order}{n}:wallet:1", key=f"{order}-{n}"
        )
        spending.capture_spend(held, wallet, partner, tuir_code=code)


class TestEmployerViews:
    def test_aggregates_only_and_figures_of_fewer_than_5_employees_withheld(self, territories):
        company, the_plan, wallets = credited(territories["cremona"], n=6)
        school, partner, _slugs = offer("cremona", "educazione")
        elderly, partner2, _slugs = offer("padova", "anziani-e-domiciliarita")
        spend_in(the_plan, wallets[:5], school, partner, "30.00", order="7001")
        spend_in(the_plan, wallets[5:], elderly, partner2, "50.00", order="7002")
        client = admin_of(company)
        page = client.get(reverse("employers_admin_dashboard", args=[company.pk])).content.decode()
        assert "1.800,00\xa0€" in page  # granted to 6, grouped as the shop's prices are
        assert "200,00\xa0€" in page  # spent by 6 (150 + 50)
        assert "150,00\xa0€" in page  # f-bis: 5 employees
        assert "meno di 5" in page  # f-ter: 1 employee
        assert ">50,00\xa0€" not in page  # the one employee's spend is not shown
        csv_text = client.get(reverse("employers_admin_export", args=[company.pk])).content.decode()
        assert "150,00\xa0€" in csv_text and ",50,00\xa0€" not in csv_text

    def test_no_page_an_employer_admin_reaches_shows_who_bought_what(self, territories):
        company, the_plan, wallets = credited(territories["cremona"], n=5)
        product, partner, _slugs = offer("cremona", "educazione")
        spend_in(the_plan, wallets, product, partner, "25.00", order="880077")
        client = admin_of(company)
        for url in employer_urls(company, the_plan, wallets[0].employee):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert product.title not in body, url
            assert (product.parent.title if product.parent_id else product.title) not in body
            assert "880077" not in body, url
            assert partner.name not in body, url
            if "employees" not in url and "leaver" not in url:
                for wallet in wallets:
                    assert wallet.employee.tax_code not in body, url

    def test_an_admin_of_another_employer_gets_404_everywhere(self, territories):
        company, the_plan, wallets = credited(territories["cremona"])
        other = admin_of(employer(territories["padova"]), name="intruder")
        for url in employer_urls(company, the_plan, wallets[0].employee)[1:]:
            assert other.get(url).status_code == 404, url
        leaver = reverse("employers_admin_leaver", args=[company.pk, wallets[0].employee_id])
        assert other.post(leaver, {"left_on": "2026-01-01"}).status_code == 404
        wallets[0].employee.refresh_from_db()
        assert wallets[0].employee.left_on is None

    def test_funding_and_crediting_are_for_platform_admins(self, territories):
        company, the_plan, _w = credited()
        before = balance(company.funding_account)
        hr = admin_of(company)
        url = reverse("employers_admin_funding", args=[company.pk])
        assert hr.get(url).status_code == 404
        assert (
            hr.post(url, {"amount": "5", "reference": "X", "day": "2026-01-01"}).status_code == 404
        )
        assert (
            hr.post(reverse("employers_admin_credit", args=[company.pk, the_plan.pk])).status_code
            == 404
        )
        assert balance(company.funding_account) == before

    def test_a_platform_admin_records_funding_once_and_credits_once(self, territories):
        from django.contrib.auth import get_user_model

        company = employer()
        the_plan = plan(company, credit="100.00")
        employee(company), employee(company)
        admin = get_user_model().objects.create_superuser("root-e", "root-e@example.it", "x")
        client = Client()
        client.force_login(admin)
        url = reverse("employers_admin_funding", args=[company.pk])
        data = {"amount": "150.00", "reference": "CRO-77", "day": "2026-03-01"}
        client.post(url, data), client.post(url, data)
        assert balance(company.funding_account) == Decimal("150.00")
        credit = reverse("employers_admin_credit", args=[company.pk, the_plan.pk])
        refused = client.post(credit, follow=True).content.decode()
        assert "Non è stato accreditato nulla" in refused
        assert not EmployeeWallet.objects.filter(plan=the_plan).exists()
        client.post(url, {**data, "reference": "CRO-78", "amount": "50.00"})
        client.post(credit), client.post(credit)
        assert balance(company.funding_account) == Decimal("0.00")
        assert (
            Transfer.objects.filter(
                kind=funding.CREDIT_KIND, reference__startswith=company.slug
            ).count()
            == 2
        )

    def test_the_dashboard_s_queries_do_not_grow_with_the_employees(
        self, territories, django_assert_max_num_queries
    ):
        company, the_plan, wallets = credited(n=12)
        product, partner, _slugs = offer("cremona", "educazione")
        spend_in(the_plan, wallets, product, partner)
        client = admin_of(company)
        url = reverse("employers_admin_dashboard", args=[company.pk])
        client.get(url)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200
        employees_url = reverse("employers_admin_employees", args=[company.pk])
        client.get(employees_url)
        with django_assert_max_num_queries(25):  # one query for the page of employees
            assert client.get(employees_url).status_code == 200


class TestImportViews:
    def test_upload_previews_then_confirm_imports(self, territories):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from .employers_support import tax_code

        company = employer(territories["cremona"])
        plan(company)
        client = admin_of(company)
        url = reverse("employers_admin_import", args=[company.pk])
        text = "nome,codice_fiscale,email,qualifica,data_inizio\n"
        text += f"Maria Neri,{tax_code(9)},maria.neri@example.it,,01/02/2020\n"
        shown = client.post(url, {"file": SimpleUploadedFile("e.csv", text.encode())})
        assert company.employees.count() == 0
        signed = shown.context["signed"]
        client.post(url, {"signed": signed})
        client.post(url, {"signed": signed})  # a double submit
        assert company.employees.count() == 1
        bad = text.replace(tax_code(9), "RSSMRA80A01H501A")
        shown = client.post(url, {"file": SimpleUploadedFile("e.csv", bad.encode())})
        assert (
            "ultima lettera non corrisponde" in shown.content.decode()
            and "signed" not in shown.context
        )


def portal_client():
    from portal.territories.models import Territory

    return Client(HTTP_HOST=Territory.objects.get(slug="cremona").site.hostname)


class TestInvitations:
    def test_the_link_sets_a_password_signs_in_and_works_once(self, territories, mailoutbox):
        from .employers_support import employee as make_employee

        company = employer(territories["cremona"])
        person = make_employee(company)
        person.user.set_unusable_password()
        person.user.save()
        base = territories["cremona"].site.root_url
        assert invitations.send_invitations([person], base) == 1
        assert (
            invitations.send_invitations(
                [type(person).objects.select_related("user", "employer").get(pk=person.pk)], base
            )
            == 1
        )  # no password yet: a new link
        url = mailoutbox[0].body.split("http", 1)[1].split()[0]
        path = "/" + ("http" + url).split("/", 3)[3]
        client = portal_client()
        assert client.get(path).status_code == 200
        response = client.post(
            path, {"new_password1": "Ghiaccio-2026!", "new_password2": "Ghiaccio-2026!"}
        )
        assert response["Location"] == "/shop/accounts/welfare/"  # the credit the e-mail names
        assert client.session.get("_auth_user_id") == str(person.user.pk)
        assert portal_client().get(path).status_code == 410  # used: the password changed

    def test_an_employee_with_a_password_is_sent_to_their_credit_through_sign_in(self, territories):
        """The e-mail says "sign in to see your credit": the link went to the sign-in page
        with no way back, and then to the home page."""
        from .employers_support import employee as make_employee

        person = make_employee(employer(territories["cremona"]))
        person.user.set_password("Ghiaccio-2026!")
        person.user.save()
        path = f"/welfare-aziendale/invito/{invitations.make_token(person)}/"
        assert portal_client().get(path)["Location"] == (
            "/shop/accounts/login/?next=/shop/accounts/welfare/"
        )
        signed_in = portal_client()
        signed_in.force_login(person.user)
        assert signed_in.get(path)["Location"] == "/shop/accounts/welfare/"

    def test_an_expired_link_says_so_in_italian_and_english(self, territories):
        from .employers_support import employee as make_employee

        company = employer(territories["cremona"])
        person = make_employee(company)
        person.user.set_unusable_password()
        person.user.save()
        token = invitations.make_token(person)
        assert invitations.read_token(token) == person
        assert invitations.read_token(token, max_age=-1) is None
        from unittest import mock

        with mock.patch.object(invitations, "MAX_AGE", -1):  # time travel: no clock stands in
            for prefix, words in (("", "non funziona più"), ("/en", "does not work any more")):
                response = portal_client().get(f"{prefix}/welfare-aziendale/invito/{token}/")
                assert response.status_code == 410
                assert words in response.content.decode()


# --- specs and commands ----------------------------------------------------------------------


class TestSpecsAndCommands:
    def test_the_demo_specs_are_valid_and_loading_twice_changes_nothing(self, territories):
        from portal.employers import specs
        from portal.employers.models import Employer, WelfarePlan

        found, errors = specs.load_all()
        assert errors == [] and {s.slug for s in found} >= {"latteria-cremonese"}
        for spec in found:
            specs.apply(spec)
        counts = (Employer.objects.count(), WelfarePlan.objects.count())
        for spec in found:
            assert specs.apply(spec)[1] == 0
        assert (Employer.objects.count(), WelfarePlan.objects.count()) == counts
        assert Employer.objects.get(slug="latteria-cremonese").territory.slug == "cremona"

    def test_a_broken_spec_names_file_and_key_and_nothing_is_written(self, tmp_path, territories):
        from django.core.management import CommandError, call_command

        from portal.employers.models import Employer

        bad = tmp_path / "rotta.toml"
        bad.write_text(
            'slug = "rotta"\nname = "Rotta"\nterritory = "atlantide"\n'
            '[[plans]]\nyear = 2026\ncredit = "12.345"\nends_on = 2026-12-31\n'
            'categories = ["g"]\n',
            encoding="utf-8",
        )
        with pytest.raises(CommandError, match="3 error"):
            call_command("employers", "load", str(bad))
        from portal.employers.specs import load_all

        messages = [str(e) for e in load_all([str(bad)])[1]]
        assert any("territory: no portal 'atlantide'" in m for m in messages)
        assert any("plans[0].credit:" in m for m in messages)
        assert any("plans[0].categories:" in m for m in messages)
        assert not Employer.objects.filter(slug="rotta").exists()

    def test_credit_command_shows_progress_and_refuses_without_funds(self, capsys):
        from django.core.management import CommandError, call_command

        company = employer()
        the_plan = plan(company, credit="100.00")
        employee(company), employee(company)
        with pytest.raises(CommandError, match="Nothing was credited"):
            call_command("employers", "credit", company.slug, str(the_plan.year))
        fund(company, "200.00")
        call_command("employers", "credit", company.slug, str(the_plan.year))
        call_command("employers", "credit", company.slug, str(the_plan.year))
        out = capsys.readouterr().out
        assert "[##############################] 2/2" in out
        assert "0 employee(s) credited (0.00 €), 2 already" in out
        assert balance(company.funding_account) == Decimal("0.00")

    def test_close_year_command_returns_credit_once(self, capsys):
        from django.core.management import call_command

        company, the_plan, _wallets = credited(n=2, credit="75.00")
        day = (the_plan.ends_on + timedelta(days=1)).isoformat()
        call_command("employers", "close-year", "--today", day)
        call_command("employers", "close-year", "--today", day)
        out = capsys.readouterr().out
        assert "150.00 € returned" in out and "0.00 € returned" in out
        assert balance(company.funding_account) == Decimal("150.00")


class TestTransferMany:
    def test_a_batch_moves_each_key_once_and_all_or_nothing(self):
        from django.db.models import Sum

        from portal.ledger.transfers import transfer_many

        source = Account.objects.create(name="src", kind="funding")
        bank = Account.objects.create(name="bank", kind="funding", allow_negative=True)
        from portal.ledger.transfers import transfer

        transfer(bank, source, Decimal("100.00"), kind="t")
        a, b = (Account.objects.create(name=n, kind="wallet") for n in "ab")
        with pytest.raises(InsufficientFunds):
            transfer_many(source, [(a, "60.00", "k-a"), (b, "40.01", "k-b")], kind="t")
        assert (balance(source), balance(a), Transfer.objects.filter(key="k-a").count()) == (
            Decimal("100.00"),
            Decimal("0.00"),
            0,
        )
        transfer_many(source, [(a, "60.00", "k-a")], kind="t")
        made = transfer_many(source, [(a, "60.00", "k-a"), (b, "40.00", "k-b")], kind="t")
        assert [t.key for t in made] == ["k-b"]
        assert (balance(source), balance(a), balance(b)) == (
            Decimal("0.00"),
            Decimal("60.00"),
            Decimal("40.00"),
        )
        ids = [source.pk, bank.pk, a.pk, b.pk]
        assert Account.objects.filter(pk__in=ids).aggregate(s=Sum("balance"))["s"] == 0
        with pytest.raises(LedgerError):
            transfer_many(source, [(a, "1.00", "same"), (b, "1.00", "same")], kind="t")


def test_the_invitation_page_labels_its_password_fields_and_has_one_heading(territories):
    """WCAG 1.3.1 / 3.3.2: each password input has its label; one h1 says what the page is."""
    from .employers_support import employee as make_employee

    person = make_employee(employer(territories["cremona"]))
    person.user.set_unusable_password()
    person.user.save()
    with translation_it():
        body = (
            portal_client()
            .get(f"/welfare-aziendale/invito/{invitations.make_token(person)}/")
            .content.decode()
        )
    for field in ("id_new_password1", "id_new_password2"):
        assert f'<label for="{field}"' in body and f'id="{field}"' in body
    assert body.count("<h1") == 1 and "Il tuo credito welfare" in body


def translation_it():
    from django.utils import translation

    return translation.override("it")


def test_a_leaver_marked_ahead_keeps_the_credit_until_the_day_then_it_goes_back():
    company, the_plan, [wallet] = credited(credit="80.00")
    day = timezone.localdate() + timedelta(days=3)
    assert funding.mark_left(wallet.employee, day) == Decimal("0.00")
    spending.check_usable(wallet)  # still usable today
    assert funding.close_year(timezone.localdate()) == {}
    assert funding.close_year(day)[the_plan] == Decimal("80.00")
    assert balance(company.funding_account) == Decimal("80.00")


def test_an_employer_admin_makes_a_plan_and_a_second_for_the_same_year_is_refused(territories):
    from portal.employers.models import WelfarePlan

    company = employer(territories["cremona"])
    client = admin_of(company)
    url = reverse("employers_admin_plan_new", args=[company.pk])
    data = {
        "year": "2027",
        "title": "Piano 2027",
        "credit": "450.00",
        "credit_by_grade": '{"quadro": "700.00"}',
        "categories": ["f-bis", "f-ter"],
        "ends_on": "2027-12-31",
        "status": "active",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "title": "Doppio"})
    assert "ha già un piano per il 2027" in again.content.decode()
    made = WelfarePlan.objects.get(employer=company)
    assert (made.credit_for("quadro"), made.credit_for("operaio")) == (
        Decimal("700.00"),
        Decimal("450.00"),
    )
    bad = client.post(url, {**data, "year": "2028", "credit_by_grade": '{"quadro": "tanti"}'})
    assert "non è un importo" in bad.content.decode()
    assert WelfarePlan.objects.filter(employer=company).count() == 1


@pytest.mark.postgres
def test_two_credit_runs_at_once_credit_each_employee_once():
    """PostgreSQL: "credit every employee" clicked twice at once (two workers): the funding
    account's row lock makes the second run wait and find every credit made."""
    from tests.test_ledger import ON_POSTGRES, in_own_connection, run_at_once

    if not ON_POSTGRES:
        pytest.skip("needs PostgreSQL row locks: run with DATABASE_URL=postgres://…")
    from django.contrib.auth import get_user_model

    def set_up():
        company = employer(slug="corsa-credito")
        the_plan = plan(company, credit="50.00")
        for _ in range(10):
            employee(company)
        fund(company, "500.00")
        return company, the_plan

    company, the_plan = in_own_connection(set_up)
    try:
        results = run_at_once(2, lambda _i: funding.credit_all(the_plan))
        assert all(isinstance(r, funding.CreditResult) for r in results), results
        assert sorted(r.credited for r in results) == [0, 10]
        assert balance(company.funding_account) == Decimal("0.00")
        assert (
            Transfer.objects.filter(
                kind=funding.CREDIT_KIND, reference="corsa-credito:" + str(the_plan.year)
            ).count()
            == 10
        )
    finally:

        def clean_up():
            from portal.employers.models import Employee, Employer, WelfarePlan

            accounts = list(
                Account.objects.filter(code__startswith="employer:corsa-credito:").values_list(
                    "pk", flat=True
                )
            )
            users = list(Employee.objects.filter(employer=company).values_list("user", flat=True))
            Transfer.objects.filter(source__in=accounts).delete()
            Transfer.objects.filter(destination__in=accounts).delete()
            EmployeeWallet.objects.filter(plan=the_plan).delete()
            Employee.objects.filter(employer=company).delete()
            WelfarePlan.objects.filter(pk=the_plan.pk).delete()
            group = company.admins
            Employer.objects.filter(pk=company.pk).delete()
            group.delete()
            Account.objects.filter(pk__in=accounts).delete()
            get_user_model().objects.filter(pk__in=users).delete()

        in_own_connection(clean_up)


def test_the_demo_employees_have_tax_codes_an_import_would_accept(territories):
    """The eleventh demo employee had a 17-character code ("MATGRE810A11D150P"): longer than
    the column, so the demo could not load on PostgreSQL; loading twice changes nothing."""
    from portal.employers.demo import load_employers
    from portal.employers.imports import tax_code
    from portal.employers.models import Employee
    from portal.territories.demo import ensure_user

    load_employers(ensure_user)
    codes = list(Employee.objects.values_list("tax_code", flat=True))
    assert len(codes) >= 11
    assert all(tax_code(code) == code for code in codes)
    load_employers(ensure_user)
    assert Employee.objects.count() == len(codes)
