"""Employees by CSV: a preview with per-row errors, all rows or none; repeats change nothing."""

import pytest
from django.contrib.auth import get_user_model

from portal.employers import imports
from portal.employers.models import Employee

from .employers_support import employer, plan, tax_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    """Messages as the portal's users read them (Italian, the default language)."""
    from django.utils import translation

    with translation.override("it"):
        yield


HEADER = "nome,codice_fiscale,email,qualifica,data_inizio\n"


def csv_of(*rows: str) -> str:
    return HEADER + "".join(f"{row}\n" for row in rows)


GOOD = csv_of(
    f"Mario Rossi,{tax_code(1)},mario.rossi@example.it,impiegato,01/03/2021",
    f"Anna Bianchi,{tax_code(2).lower()},Anna.Bianchi@example.it,quadro,2019-09-16",
    f"Luca Verdi,{tax_code(3)},luca.verdi@example.it,,15/01/2024",
)


@pytest.fixture
def company():
    company = employer()
    plan(company, by_grade={"impiegato": "500.00", "quadro": "900.00"})
    return company


def test_the_tax_code_check_letter_is_verified():
    assert imports.tax_code(" rssmra80a01h501u ") == "RSSMRA80A01H501U"
    with pytest.raises(imports.TaxCodeError, match="ultima lettera"):
        imports.tax_code("RSSMRA80A01H501A")
    with pytest.raises(imports.TaxCodeError):
        imports.tax_code("RSSMRA80A01")


def test_a_good_file_is_previewed_then_imported(company):
    shown = imports.preview(company, GOOD)
    assert shown.ok and shown.count("add") == 3
    assert not Employee.objects.filter(employer=company).exists()  # the preview writes nothing
    done = imports.apply(company, GOOD)
    assert (done.added, done.updated, done.unchanged) == (3, 0, 0)
    anna = Employee.objects.get(employer=company, tax_code=tax_code(2))
    assert (anna.grade, anna.user.email, anna.user.first_name) == (
        "quadro",
        "anna.bianchi@example.it",
        "Anna",
    )
    assert not anna.user.has_usable_password()  # set through the invitation


def test_the_same_file_again_changes_nothing(company):
    imports.apply(company, GOOD)
    users = get_user_model().objects.count()
    done = imports.apply(company, GOOD)
    assert (done.added, done.updated, done.unchanged) == (0, 0, 3)
    assert get_user_model().objects.count() == users
    assert Employee.objects.filter(employer=company).count() == 3


def test_a_changed_row_updates_that_employee_and_a_missing_row_is_not_a_leaver(company):
    imports.apply(company, GOOD)
    changed = csv_of(f"Mario Rossi,{tax_code(1)},mario.rossi@example.it,quadro,01/03/2021")
    shown = imports.preview(company, changed)
    assert [r.action for r in shown.rows] == ["update"]
    done = imports.apply(company, changed)
    assert (done.added, done.updated) == (0, 1)
    assert Employee.objects.get(tax_code=tax_code(1), employer=company).grade == "quadro"
    assert not Employee.objects.filter(employer=company, left_on__isnull=False).exists()


def test_bad_rows_are_each_named_and_nothing_is_imported(company):
    bad = csv_of(
        f"Mario Rossi,{tax_code(1)},mario.rossi@example.it,impiegato,01/03/2021",
        "Nadia Neri,RSSMRA80A01H501A,nadia@example.it,impiegato,01/03/2021",
        f"Mario Rossi bis,{tax_code(1)},mario.bis@example.it,impiegato,01/03/2021",
        f"Piero Gialli,{tax_code(4)},piero@example.it,dirigente,01/03/2021",
        f"Sara Blu,{tax_code(5)},sara@example.it,impiegato,31/02/2021",
        f"Ugo Viola,{tax_code(6)},non-una-mail,,01/03/2021",
    )
    shown = imports.preview(company, bad)
    errors = {r.line: " ".join(r.errors) for r in shown.bad_rows}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "ultima lettera non corrisponde" in errors[3]
    assert "è già alla riga 2" in errors[4]
    assert "Qualifica 'dirigente' sconosciuta" in errors[5]
    assert "non è una data" in errors[6]
    assert "non è un indirizzo e-mail" in errors[7]
    with pytest.raises(imports.ImportRefused):
        imports.apply(company, bad)
    assert not Employee.objects.filter(employer=company).exists()


def test_a_file_without_the_columns_is_refused_whole(company):
    shown = imports.preview(company, "name;surname\nMario;Rossi\n")
    assert not shown.ok and "codice_fiscale" in shown.errors[0]


def test_semicolons_as_spreadsheets_write_them(company):
    text = GOOD.replace(",", ";")
    assert imports.preview(company, text).count("add") == 3


def test_an_existing_citizen_becomes_the_employee_without_a_second_account(company):
    citizen = get_user_model().objects.create_user("luca", "LUCA.verdi@example.it", "pw")
    imports.apply(company, GOOD)
    assert Employee.objects.get(employer=company, tax_code=tax_code(3)).user == citizen
    citizen.refresh_from_db()
    assert citizen.has_usable_password()


def test_missing_columns_are_named_in_the_singular_or_the_plural():
    """It said "non ha la colonna email, data_inizio" for two columns."""
    two = imports.read_rows("nome,codice_fiscale,qualifica\nMario Rossi,X,impiegato\n")
    one = imports.read_rows("nome,codice_fiscale,email,qualifica\nMario Rossi,X,m@example.it,q\n")
    assert not two.ok and two.errors[0].startswith("Il file non ha le colonne email, data_inizio")
    assert one.errors[0].startswith("Il file non ha la colonna data_inizio (")
