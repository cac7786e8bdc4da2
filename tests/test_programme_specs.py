"""``[[programmes]]`` in a spec: checked key by key, built, rebuilt without touching what
officers changed; every portal gets its municipality officers' group."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from portal.programmes.budget import budget_left
from portal.programmes.models import Programme, TerritoryOffice
from portal.territories.models import Territory
from tests.test_spec_check import VALID, row_counts, write_spec

pytestmark = pytest.mark.django_db

WITH_PROGRAMME = (
    VALID.replace(
        'languages = ["it", "en"]',
        'languages = ["it", "en"]\nmunicipalities = ["Lecco", "Valmadrera"]',
    )
    + """
[[programmes]]
slug = "buoni-spesa"
title = "Buoni spesa Lecco"
kind = "vouchers"
budget = "10000.00"
opens_on = 2026-11-01
closes_on = 2027-01-31
credit_expires_on = 2027-06-30
amounts = { 1 = "150.00", 2 = "250.00", 4 = "400.00" }
cooperatives = ["lario"]
categories = ["educazione"]

[[programmes.questions]]
key = "employment"
label = "Situazione lavorativa"
type = "choice"
choices = ["occupato", "disoccupato"]
"""
)

BROKEN = [
    (
        "unknown key",
        'kind = "vouchers"',
        'kind = "vouchers"\ncolour = 1',
        "programmes[0].colour",
        "unknown key",
    ),
    ("missing title", 'title = "Buoni spesa Lecco"\n', "", "programmes[0].title", "is required"),
    ("bad kind", 'kind = "vouchers"', 'kind = "coupons"', "programmes[0].kind", "not a kind"),
    (
        "budget as a float",
        'budget = "10000.00"',
        "budget = 10000.0",
        "programmes[0].budget",
        "as a string",
    ),
    (
        "negative budget",
        'budget = "10000.00"',
        'budget = "-5.00"',
        "programmes[0].budget",
        "more than 0.00",
    ),
    (
        "date in quotes",
        "opens_on = 2026-11-01",
        'opens_on = "2026-11-01"',
        "programmes[0].opens_on",
        "no quotes",
    ),
    (
        "closes before opening",
        "closes_on = 2027-01-31",
        "closes_on = 2026-10-01",
        "programmes[0].closes_on",
        "before 'opens_on'",
    ),
    (
        "expiry before closing",
        "credit_expires_on = 2027-06-30",
        "credit_expires_on = 2026-12-01",
        "programmes[0].credit_expires_on",
        "before 'closes_on'",
    ),
    (
        "bad household size",
        '1 = "150.00"',
        'one = "150.00"',
        "programmes[0].amounts.one",
        "household size",
    ),
    ("zero amount", '2 = "250.00"', '2 = "0.00"', "programmes[0].amounts.2", "more than 0.00"),
    (
        "unknown cooperative",
        'cooperatives = ["lario"]',
        'cooperatives = ["nobody"]',
        "programmes[0].cooperatives[0]",
        "unknown cooperative",
    ),
    (
        "unknown category",
        'categories = ["educazione"]',
        'categories = ["gardening"]',
        "programmes[0].categories[0]",
        "unknown category",
    ),
    (
        "municipality not of the portal",
        'categories = ["educazione"]',
        'categories = ["educazione"]\nmunicipalities = ["Milano"]',
        "programmes[0].municipalities[0]",
        "not one of the portal's",
    ),
    (
        "choice with one choice",
        'choices = ["occupato", "disoccupato"]',
        'choices = ["occupato"]',
        "programmes[0].questions[0].choices",
        "at least two",
    ),
    (
        "bad question type",
        'type = "choice"',
        'type = "colour"',
        "programmes[0].questions[0].type",
        "not a type",
    ),
]


def test_the_valid_programme_spec_passes(tmp_path, capsys):
    call_command("portal", "check", str(write_spec(tmp_path, WITH_PROGRAMME)))
    assert "1 spec(s) valid" in capsys.readouterr().out


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_programme_names_file_and_key_and_writes_nothing(case, tmp_path, capsys):
    _what, old, new, key, fragment = case
    assert old in WITH_PROGRAMME
    path = write_spec(tmp_path, WITH_PROGRAMME.replace(old, new, 1))
    before = row_counts()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("portal", "build", str(path))
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(f"{path}: {key}: ")]
    assert lines and fragment in lines[0], err
    assert row_counts() == before


def test_build_creates_the_programme_funded_and_the_officers_group(tmp_path):
    call_command("portal", "build", str(write_spec(tmp_path, WITH_PROGRAMME)), verbosity=0)
    lecco = Territory.objects.get(slug="lecco")
    programme = Programme.objects.get(territory=lecco, slug="buoni-spesa")
    assert programme.title == "Buoni spesa Lecco"
    assert budget_left(programme) == Decimal("10000.00")
    assert programme.amount_for(3) == Decimal("250.00")
    assert programme.municipalities == ["Lecco", "Valmadrera"]  # the portal's, by default
    assert [p.code for p in programme.cooperatives.all()] == ["lario"]
    assert programme.questions[0]["choices"] == ["occupato", "disoccupato"]
    office = TerritoryOffice.objects.get(territory=lecco)
    assert office.group.name == "LeccoWelfare municipality officers" or "Lecco" in office.group.name


def test_rebuilding_twice_changes_nothing(tmp_path):
    path = write_spec(tmp_path, WITH_PROGRAMME)
    call_command("portal", "build", str(path), verbosity=0)
    before = row_counts()
    call_command("portal", "build", str(path), verbosity=0)
    assert row_counts() == before


def test_rebuild_keeps_what_officers_changed_and_follows_the_rest(tmp_path):
    path = write_spec(tmp_path, WITH_PROGRAMME)
    call_command("portal", "build", str(path), verbosity=0)
    programme = Programme.objects.get(slug="buoni-spesa", territory__slug="lecco")
    programme.title = "Buoni spesa (titolo dell'ufficio)"
    programme.save(update_fields=["title"])
    path.write_text(
        WITH_PROGRAMME.replace('title = "Buoni spesa Lecco"', 'title = "Nuovo titolo"').replace(
            'budget = "10000.00"', 'budget = "12000.00"'
        )
    )
    call_command("portal", "build", str(path), verbosity=0)
    programme.refresh_from_db()
    assert programme.title == "Buoni spesa (titolo dell'ufficio)"
    assert programme.budget == Decimal("12000.00")
    assert budget_left(programme) == Decimal("12000.00")


def test_a_programme_an_officer_deleted_stays_deleted(tmp_path):
    path = write_spec(tmp_path, WITH_PROGRAMME)
    call_command("portal", "build", str(path), verbosity=0)
    Programme.objects.filter(slug="buoni-spesa", territory__slug="lecco").delete()
    call_command("portal", "build", str(path), verbosity=0)
    assert not Programme.objects.filter(slug="buoni-spesa", territory__slug="lecco").exists()


def test_the_demo_portals_have_their_programmes(territories):
    kinds = {p.territory.slug: p.kind for p in Programme.objects.select_related("territory")}
    assert kinds == {
        "padova": "vouchers",
        "rho": "vouchers",
        "cremona": "grant",
        "sondrio": "grant",
    }
    padova = Programme.objects.get(territory__slug="padova")
    assert padova.municipalities == territories["padova"].municipalities
    assert TerritoryOffice.objects.count() == Territory.objects.count()
