"""``[[income_bands]]``, ``[[reductions]]`` and ``[[social_points]]`` in a spec: checked key by
key, built, rebuilt without touching what an administrator changed; every portal gets its
welfare managers' group; the demo portals have their bands and Social Points."""

import pytest
from django.core.management import CommandError, call_command

from portal.territories.models import Territory
from portal.welfare.models import IncomeBand, Reduction, SocialPoint, WelfareOffice
from tests.test_programme_specs import WITH_PROGRAMME
from tests.test_spec_check import row_counts, write_spec

pytestmark = pytest.mark.django_db

WITH_BANDS = (
    WITH_PROGRAMME
    + """
[[income_bands]]
code = "A"
label = "ISEE fino a 8.000 €"

[[income_bands]]
code = "B"
label = "ISEE fino a 20.000 €"

[[reductions]]
band = "A"
categories = ["educazione"]
free = true
programme = "buoni-spesa"

[[reductions]]
band = "B"
services = ["tutoring-online"]
percent_off = 50
programme = "buoni-spesa"

[[social_points]]
slug = "lecco-centro"
name = "Social Point Lecco centro"
address = "Piazza Garibaldi 1, 23900 Lecco LC"
hours = "Lun–Ven 9–12"
phone = "+39 0341 000000"
"""
)

BROKEN = [
    (
        "unknown band key",
        'code = "A"',
        'code = "A"\ncolour = 1',
        "income_bands[0].colour",
        "unknown key",
    ),
    ("bad band code", 'code = "A"', 'code = "a!"', "income_bands[0].code", "capital letters"),
    ("duplicate band", 'code = "B"', 'code = "A"', "income_bands[1].code", "duplicate band"),
    (
        "missing label",
        'label = "ISEE fino a 8.000 €"\n',
        "",
        "income_bands[0].label",
        "is required",
    ),
    ("unknown band", 'band = "A"', 'band = "Z"', "reductions[0].band", "unknown band 'Z'"),
    (
        "unknown programme",
        'free = true\nprogramme = "buoni-spesa"',
        'free = true\nprogramme = "nessuno"',
        "reductions[0].programme",
        "unknown programme 'nessuno'",
    ),
    (
        "percent too big",
        "percent_off = 50",
        "percent_off = 150",
        "reductions[1].percent_off",
        "1 to 100",
    ),
    (
        "percent in quotes",
        "percent_off = 50",
        'percent_off = "50"',
        "reductions[1].percent_off",
        "1 to 100",
    ),
    (
        "both free and percent",
        "percent_off = 50",
        "percent_off = 50\nfree = true",
        "reductions[1].free",
        "not both",
    ),
    ("neither free nor percent", "free = true\n", "", "reductions[0]", "'free = true'"),
    (
        "unknown category",
        'categories = ["educazione"]\nfree',
        'categories = ["giardinaggio"]\nfree',
        "reductions[0].categories[0]",
        "unknown category",
    ),
    (
        "service not offered",
        'services = ["tutoring-online"]',
        'services = ["doposcuola"]',
        "reductions[1].services[0]",
        "not offered by this portal",
    ),
    (
        "nothing reduced",
        'categories = ["educazione"]\nfree',
        "free",
        "reductions[0]",
        "name the 'categories' or 'services'",
    ),
    (
        "the same category twice for a band",
        'band = "B"\nservices = ["tutoring-online"]',
        'band = "A"\ncategories = ["educazione"]',
        "reductions[1].categories[0]",
        "already reduces category 'educazione'",
    ),
    (
        "missing address",
        'address = "Piazza Garibaldi 1, 23900 Lecco LC"\n',
        "",
        "social_points[0].address",
        "is required",
    ),
    (
        "bad phone",
        'phone = "+39 0341 000000"',
        'phone = "call us"',
        "social_points[0].phone",
        "not a phone number",
    ),
    (
        "bad point slug",
        'slug = "lecco-centro"',
        'slug = "Lecco Centro"',
        "social_points[0].slug",
        "lower-case",
    ),
]


def test_the_valid_welfare_spec_passes(tmp_path, capsys):
    call_command("portal", "check", str(write_spec(tmp_path, WITH_BANDS)))
    assert "1 spec(s) valid" in capsys.readouterr().out


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_welfare_key_names_file_and_key_and_writes_nothing(case, tmp_path, capsys):
    _what, old, new, key, fragment = case
    assert old in WITH_BANDS.split("[[income_bands]]", 1)[1]
    head, tail = WITH_BANDS.split("[[income_bands]]", 1)
    path = write_spec(tmp_path, head + "[[income_bands]]" + tail.replace(old, new, 1))
    before = row_counts()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("portal", "build", str(path))
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(f"{path}: {key}: ")]
    assert lines and fragment in lines[0], err
    assert row_counts() == before


def test_build_creates_bands_reductions_points_and_the_managers_group(tmp_path):
    call_command("portal", "build", str(write_spec(tmp_path, WITH_BANDS)), verbosity=0)
    lecco = Territory.objects.get(slug="lecco")
    assert [(b.code, b.label) for b in IncomeBand.objects.filter(territory=lecco)] == [
        ("A", "ISEE fino a 8.000 €"),
        ("B", "ISEE fino a 20.000 €"),
    ]
    free, half = Reduction.objects.filter(territory=lecco).select_related("band", "programme")
    assert (free.band.code, free.categories, free.percent_off, free.is_free) == (
        "A",
        ["educazione"],
        100,
        True,
    )
    assert (half.band.code, half.services, half.percent_off) == ("B", ["tutoring-online"], 50)
    assert half.programme.slug == "buoni-spesa"
    point = SocialPoint.objects.get(territory=lecco)
    assert (point.name, point.opening_hours, point.phone) == (
        "Social Point Lecco centro",
        "Lun–Ven 9–12",
        "+39 0341 000000",
    )
    office = WelfareOffice.objects.get(territory=lecco)
    assert office.group.name == "LeccoWelfare welfare manager"  # in Italian, as the build speaks
    assert office.group.permissions.filter(codename="access_admin").exists()


def test_rebuilding_twice_changes_nothing(tmp_path):
    path = write_spec(tmp_path, WITH_BANDS)
    call_command("portal", "build", str(path), verbosity=0)
    before = row_counts()
    call_command("portal", "build", str(path), verbosity=0)
    assert row_counts() == before


def test_rebuild_keeps_an_admins_change_and_a_deletion(tmp_path):
    path = write_spec(tmp_path, WITH_BANDS)
    call_command("portal", "build", str(path), verbosity=0)
    point = SocialPoint.objects.get(territory__slug="lecco")
    point.opening_hours = "Lun 9–12 (orario dell'amministratore)"
    point.save()
    IncomeBand.objects.filter(territory__slug="lecco", code="B").delete()  # its reduction too
    path.write_text(
        WITH_BANDS.replace('hours = "Lun–Ven 9–12"', 'hours = "Lun–Sab 9–12"').replace(
            'phone = "+39 0341 000000"', 'phone = "+39 0341 111111"'
        )
    )
    call_command("portal", "build", str(path), verbosity=0)
    point.refresh_from_db()
    assert point.opening_hours == "Lun 9–12 (orario dell'amministratore)"
    assert point.phone == "+39 0341 111111"  # nobody changed it: follows the spec
    assert list(
        IncomeBand.objects.filter(territory__slug="lecco").values_list("code", flat=True)
    ) == ["A"]
    assert Reduction.objects.filter(territory__slug="lecco").count() == 1


def test_the_demo_portals_have_bands_and_social_points(territories):
    sondrio, cremona = territories["sondrio"], territories["cremona"]
    assert list(IncomeBand.objects.filter(territory=sondrio).values_list("code", flat=True)) == [
        "A",
        "B",
    ]
    assert sorted(
        Reduction.objects.filter(territory=sondrio).values_list("band__code", "percent_off")
    ) == [("A", 100), ("B", 50), ("B", 50)]
    assert SocialPoint.objects.filter(territory=cremona).count() == 2
    assert all(WelfareOffice.objects.filter(territory=t).exists() for t in territories.values())
