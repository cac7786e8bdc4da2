"""`portal build`: creates a whole portal, re-runs change nothing, editors' work is kept."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site as DjangoSite
from django.core.management import call_command
from wagtail.models import Collection, Locale, Page, Site

from portal.content.models import HomePage, StandardPage
from portal.territories.models import PortalSettings, Territory
from tests.test_spec_check import VALID, row_counts, write_spec

pytestmark = pytest.mark.django_db


def test_building_all_specs_twice_changes_nothing(capsys):
    before = row_counts()
    call_command("portal", "build")
    assert row_counts() == before
    out = capsys.readouterr().out
    assert out.count("nothing to change") == 5


def test_a_new_spec_becomes_a_portal(tmp_path, capsys):
    call_command("portal", "build", str(write_spec(tmp_path, VALID)))
    out = capsys.readouterr().out
    assert "http://lecco.localhost:8000/" in out

    lecco = Territory.objects.get(slug="lecco")
    assert sorted(lecco.hosts.values_list("hostname", flat=True)) == [
        "lecco.localhost",
        "www.leccowelfare.it",
    ]
    assert set(
        DjangoSite.objects.filter(domain__in=lecco.hostnames).values_list("domain", flat=True)
    ) == {"lecco.localhost", "www.leccowelfare.it"}
    home = lecco.site.root_page.specific
    assert isinstance(home, HomePage) and home.live and home.locale.language_code == "it"
    assert [p.title for p in home.get_children()] == [
        "Servizi",
        "Notizie",
        "Webinar",
        "Consigli di lettura",
        "Chi siamo",
        "Contatti",
        "Informativa sulla privacy",
        "Dichiarazione di accessibilità",
    ]
    english_home = home.get_translation(Locale.objects.get(language_code="en"))
    assert english_home.live
    assert "Services" in [p.title for p in english_home.get_children()]
    assert Collection.objects.filter(name="LeccoWelfare").exists()
    assert lecco.editors.user_set.filter(email="redazione@lario.example").exists()
    assert PortalSettings.objects.get(site=lecco.site).email == "info@leccowelfare.it"
    assert lecco.stockrecords.get(product__voucher=None).price == 20  # the gift voucher aside


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, capsys):
    before = row_counts()
    call_command("portal", "build", "--dry-run", str(write_spec(tmp_path, VALID)))
    out = capsys.readouterr().out
    assert "+ site lecco.localhost" in out
    assert "+ offer tutoring-online by lario at 20.00" in out
    assert "Dry run" in out
    assert row_counts() == before


def test_rebuild_keeps_what_editors_changed(territories):
    sondrio = territories["sondrio"]
    about = StandardPage.objects.get(
        locale__language_code="it", slug="chi-siamo", path__startswith=sondrio.site.root_page.path
    )
    about.title = "La nostra storia"
    about.save_revision().publish()
    contacts = PortalSettings.objects.get(site=sondrio.site)
    contacts.phone = "+39 0342 111111"
    contacts.save()
    privacy = Page.objects.get(
        slug="informativa-sulla-privacy", path__startswith=sondrio.site.root_page.path
    )
    privacy.delete()

    call_command("portal", "build", "sondrio", verbosity=0)

    about.refresh_from_db()
    assert about.title == "La nostra storia"
    assert PortalSettings.objects.get(site=sondrio.site).phone == "+39 0342 111111"
    assert not Page.objects.filter(
        slug="informativa-sulla-privacy", path__startswith=sondrio.site.root_page.path
    ).exists()


def test_rebuild_follows_the_spec_where_nobody_edited(tmp_path):
    path = write_spec(tmp_path, VALID)
    call_command("portal", "build", str(path), verbosity=0)
    changed = (
        VALID.replace('name = "LeccoWelfare"', 'name = "Lecco Solidale"')
        .replace('email = "info@leccowelfare.it"', 'email = "ciao@leccowelfare.it"')
        .replace('price = "20.00"', 'price = "22.50"')
    )
    path.write_text(changed)

    call_command("portal", "build", str(path), verbosity=0)

    lecco = Territory.objects.get(slug="lecco")
    assert lecco.name == "Lecco Solidale"
    assert lecco.site.root_page.title == "Lecco Solidale"
    assert Site.objects.get(pk=lecco.site_id).site_name == "Lecco Solidale"
    assert PortalSettings.objects.get(site=lecco.site).email == "ciao@leccowelfare.it"
    assert str(lecco.stockrecords.get(product__voucher=None).price) == "22.50"


def test_a_portal_named_like_another_gets_groups_of_its_own(tmp_path, territories):
    spec = VALID.replace('name = "LeccoWelfare"', 'name = "SondrioWelfare"')
    assert spec != VALID
    call_command("portal", "build", str(write_spec(tmp_path, spec)))
    lecco, sondrio = Territory.objects.get(slug="lecco"), territories["sondrio"]
    assert lecco.editors_id != sondrio.editors_id
    assert lecco.moderators_id != sondrio.moderators_id
    assert "SondrioWelfare" in lecco.editors.name and lecco.editors.name.endswith("(lecco)")
    assert not sondrio.editors.user_set.filter(email="redazione@lario.example").exists()


def test_editor_groups_are_per_territory(territories):
    names = set(Group.objects.values_list("name", flat=True))
    for territory in territories.values():
        assert territory.editors.name in names and territory.moderators.name in names
        assert territory.editors_id != territory.moderators_id
    assert len({t.editors_id for t in territories.values()}) == len(territories)
