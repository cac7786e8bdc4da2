"""`portal check` and `portal build` refuse broken specs: clear message, nothing written."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from portal.territories.spec import load_all, vat_number_is_valid

Partner = get_model("partner", "Partner")

VALID = """
slug = "lecco"
name = "LeccoWelfare"
hosts = ["www.leccowelfare.it"]
languages = ["it", "en"]

[theme]
name = "italia"
primary_color = "#0b4f80"

[contacts]
email = "info@leccowelfare.it"

[[cooperatives]]
slug = "lario"
legal_name = "Lario Cooperativa Sociale"
vat_number = "01234567897"
editors = ["redazione@lario.example"]
uni_pdr_58_expires = 2027-06-30

[[services]]
ref = "tutoring-online"
cooperative = "lario"
price = "20.00"
"""

# (what is wrong, the text replaced, its replacement, the key path, a fragment of the message)
BROKEN = [
    (
        "unknown top-level key",
        'slug = "lecco"',
        'slug = "lecco"\ncolour = "red"',
        "colour",
        "unknown key",
    ),
    (
        "slug not matching the file",
        'slug = "lecco"',
        'slug = "como"',
        "slug",
        "must match the file name",
    ),
    ("bad slug", 'slug = "lecco"', 'slug = "Lecco!"', "slug", "lower-case"),
    ("missing name", 'name = "LeccoWelfare"\n', "", "name", "is required"),
    (
        "invalid VAT number",
        '"01234567897"',
        '"01234567890"',
        "cooperatives[0].vat_number",
        "not a valid Italian VAT",
    ),
    (
        "unknown service",
        '"tutoring-online"',
        '"flying-lessons"',
        "services[0].ref",
        "unknown service",
    ),
    (
        "unknown cooperative",
        'cooperative = "lario"',
        'cooperative = "lago"',
        "services[0].cooperative",
        "unknown cooperative",
    ),
    ("unknown theme", 'name = "italia"', 'name = "disco"', "theme.name", "unknown theme"),
    ("unsupported language", '["it", "en"]', '["it", "xx"]', "languages[1]", "not supported"),
    (
        "default language not Italian",
        '["it", "en"]',
        '["en", "it"]',
        "languages[0]",
        "default language",
    ),
    ("price as a float", 'price = "20.00"', "price = 20.5", "services[0].price", "as strings"),
    ("negative price", 'price = "20.00"', 'price = "-1"', "services[0].price", "between"),
    ("bad colour", '"#0b4f80"', '"blue"', "theme.primary_color", "not a colour"),
    (
        "bad editor e-mail",
        '"redazione@lario.example"',
        '"redazione"',
        "cooperatives[0].editors[0]",
        "not an e-mail",
    ),
    (
        "host with a port",
        '"www.leccowelfare.it"',
        '"www.leccowelfare.it:8080"',
        "hosts[0]",
        "not a valid host",
    ),
    (
        "expiry not a date",
        "2027-06-30",
        '"next year"',
        "cooperatives[0].uni_pdr_58_expires",
        "must be a date",
    ),
    (
        "missing contacts",
        '[contacts]\nemail = "info@leccowelfare.it"\n',
        "",
        "contacts",
        "is required",
    ),
    (
        "duplicate offer",
        'price = "20.00"\n',
        'price = "20.00"\n\n[[services]]\nref = "tutoring-online"\n'
        'cooperative = "lario"\nprice = "21.00"\n',
        "services[1]",
        "offered twice",
    ),
    ("not TOML at all", 'name = "LeccoWelfare"', "name = LeccoWelfare", "", "not valid TOML"),
    (
        "unknown accessibility status",
        "[[cooperatives]]",
        '[accessibility]\nstatus = "conforme"\n\n[[cooperatives]]',
        "accessibility.status",
        "'conforme' is not a status (statuses: compliant, partially_compliant, non_compliant)",
    ),
    (
        "accessibility date as a string",
        "[[cooperatives]]",
        '[accessibility]\nassessed = "2026-01-10"\n\n[[cooperatives]]',
        "accessibility.assessed",
        "must be a date",
    ),
    (
        "accessibility date in the future",
        "[[cooperatives]]",
        "[accessibility]\nassessed = 2999-01-10\n\n[[cooperatives]]",
        "accessibility.assessed",
        "is in the future",
    ),
    (
        "unknown reason of non-accessible content",
        "[[cooperatives]]",
        '[[accessibility.non_accessible]]\ncontent = "Le mappe"\nreason = "too hard"\n\n'
        "[[cooperatives]]",
        "accessibility.non_accessible[0].reason",
        "is not a reason",
    ),
    (
        "non-accessible content without its description",
        "[[cooperatives]]",
        '[[accessibility.non_accessible]]\nreason = "out_of_scope"\n\n[[cooperatives]]',
        "accessibility.non_accessible[0].content",
        "is required",
    ),
    (
        "a compliant portal listing non-accessible content",
        "[[cooperatives]]",
        '[accessibility]\nstatus = "compliant"\n\n[[accessibility.non_accessible]]\n'
        'content = "Le mappe"\n\n[[cooperatives]]',
        "accessibility.non_accessible",
        "a compliant portal has no non-accessible content",
    ),
    (
        "a partially compliant portal listing nothing",
        "[[cooperatives]]",
        "[accessibility]\nnon_accessible = []\n\n[[cooperatives]]",
        "accessibility.non_accessible",
        "must list what is not accessible",
    ),
    (
        "feedback address not an address",
        "[[cooperatives]]",
        '[accessibility]\nfeedback_url = "scrivici"\n\n[[cooperatives]]',
        "accessibility.feedback_url",
        "is not an address",
    ),
    (
        "unknown privacy key",
        "[[cooperatives]]",
        '[privacy]\ntitolare = "Comune di Lecco"\n\n[[cooperatives]]',
        "privacy.titolare",
        "unknown key (allowed: controller, controller_vat",
    ),
    (
        "bad controller e-mail",
        "[[cooperatives]]",
        '[privacy]\ncontroller_email = "privacy"\n\n[[cooperatives]]',
        "privacy.controller_email",
        "'privacy' is not an e-mail address",
    ),
    (
        "bad controller VAT number",
        "[[cooperatives]]",
        '[privacy]\ncontroller_vat = "12345"\n\n[[cooperatives]]',
        "privacy.controller_vat",
        "not a valid Italian VAT",
    ),
]


def write_spec(folder: Path, text: str, slug: str = "lecco") -> Path:
    path = folder / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


def test_the_valid_spec_of_these_tests_passes(tmp_path):
    specs, errors = load_all([str(write_spec(tmp_path, VALID))])
    assert errors == []
    assert specs[0].all_hosts == ["lecco.localhost", "www.leccowelfare.it"]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_spec_names_file_and_key_and_writes_nothing(case, tmp_path, db, capsys):
    _what, old, new, key, fragment = case
    assert old in VALID
    path = write_spec(tmp_path, VALID.replace(old, new, 1))
    before = row_counts()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("portal", "build", str(path))

    err = capsys.readouterr().err
    expected_prefix = f"{path}: {key}: " if key else f"{path}: "
    lines = [line for line in err.splitlines() if line.startswith(expected_prefix)]
    assert lines and fragment in lines[0], err
    assert row_counts() == before

    with pytest.raises(CommandError):
        call_command("portal", "check", str(path))


def test_one_broken_spec_stops_the_whole_build(tmp_path, db, capsys):
    good = write_spec(tmp_path, VALID)
    bad = write_spec(
        tmp_path, VALID.replace('slug = "lecco"', 'slug = "como"').replace("lario", "como"), "como"
    )
    bad.write_text(bad.read_text().replace('"01234567897"', '"1"'))
    before = row_counts()
    with pytest.raises(CommandError):
        call_command("portal", "build", str(good), str(bad))
    assert "como.toml: cooperatives[0].vat_number" in capsys.readouterr().err
    assert row_counts() == before


def test_two_specs_cannot_share_a_host(tmp_path, db, capsys):
    write_spec(tmp_path, VALID)
    other = VALID.replace('slug = "lecco"', 'slug = "como"')
    write_spec(tmp_path, other, "como")
    with pytest.raises(CommandError):
        call_command("portal", "check", str(tmp_path / "lecco.toml"), str(tmp_path / "como.toml"))
    assert "hosts[0]: 'www.leccowelfare.it' is also used by" in capsys.readouterr().err


def test_a_host_taken_by_a_built_portal_is_refused_at_build(tmp_path, db, capsys):
    text = VALID.replace('"www.leccowelfare.it"', '"www.sondriowelfare.it"')
    before = row_counts()
    with pytest.raises(CommandError, match="was not built"):
        call_command("portal", "build", str(write_spec(tmp_path, text)))
    assert "already belongs to the territory 'sondrio'" in capsys.readouterr().err
    assert row_counts() == before


def test_check_passes_on_the_demo_specs(capsys):
    call_command("portal", "check")
    assert "5 spec(s) valid" in capsys.readouterr().out


@pytest.mark.parametrize(
    "number, valid",
    [
        ("01234567897", True),
        ("01234567890", False),
        ("00000000000", False),
        ("1234567890", False),
        ("0123456789a", False),
    ],
)
def test_italian_vat_numbers(number, valid):
    assert vat_number_is_valid(number) is valid


STRIPES = """
[[cooperatives]]
slug = "stripes"
legal_name = "Stripes Cooperativa Sociale Onlus"
vat_number = "07521460159"
city = "Rho"
uni_pdr_58_expires = 2028-01-31
editors = ["redazione@lecco.example"]
"""


def test_a_spec_cannot_take_over_another_portals_cooperative(tmp_path, db, capsys):
    """Rho's cooperative, declared by a new spec with its own VAT number: refused, naming
    both files, by check and by build, and nothing is written."""
    text = VALID + STRIPES.replace('"07521460159"', '"01234567897"')
    path = write_spec(tmp_path, text)
    before = row_counts()
    for action in ("check", "build"):
        with pytest.raises(CommandError, match="nothing was written"):
            call_command("portal", action, str(path))
        err = capsys.readouterr().err
        assert f"{path}: cooperatives[1].vat_number: '01234567897'" in err
        assert "sites/rho.toml" in err
    assert row_counts() == before
    assert Partner.objects.get(code="stripes").vat_number == "07521460159"


def test_a_cooperative_in_two_new_specs_is_declared_the_same_in_both(tmp_path, db, capsys):
    lecco = write_spec(tmp_path, VALID)
    como = write_spec(
        tmp_path,
        VALID.replace('slug = "lecco"', 'slug = "como"')
        .replace("www.leccowelfare.it", "www.comowelfare.it")
        .replace("Lario Cooperativa Sociale", "Lario Servizi Srl"),
        "como",
    )
    with pytest.raises(CommandError):
        call_command("portal", "check", str(lecco), str(como))
    err = capsys.readouterr().err
    assert f"{como}: cooperatives[0].legal_name: 'Lario Servizi Srl'" in err
    assert str(lecco) in err


def test_a_cooperative_serving_another_territory_too_is_accepted(tmp_path, db):
    path = write_spec(tmp_path, VALID + STRIPES)
    call_command("portal", "build", str(path), verbosity=0)
    stripes = Partner.objects.get(code="stripes")
    assert set(stripes.territories.values_list("slug", flat=True)) == {"rho", "lecco"}


def test_a_built_portals_cooperative_cannot_be_taken_over_at_build(tmp_path, db, capsys):
    """The database knows portals whose spec is not in sites/ any more: their cooperative
    keeps its VAT number, whatever a new spec says."""
    Partner.objects.filter(code="stripes").update(vat_number="01234567897")
    path = write_spec(tmp_path, VALID + STRIPES)
    before = row_counts()
    with pytest.raises(CommandError, match="was not built"):
        call_command("portal", "build", str(path))
    err = capsys.readouterr().err
    assert "cooperatives[1].vat_number: '07521460159', but cooperative 'stripes'" in err
    assert "portal(s) rho" in err
    assert row_counts() == before
