"""The accessibility statement (AgID's model) and the privacy notice (GDPR art. 13), written
from each portal's spec in each of its languages, then owned by editors."""

import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from portal.content.models import StandardPage
from portal.territories.generator.legal_pages import AGID_DIFENSORE_CIVICO_URL, GARANTE_URL
from portal.territories.generator.pages import stream_json
from portal.territories.models import SeedRecord, Territory
from tests.conftest import portal_client
from tests.e2e.audit import Audit, tools_missing
from tests.test_spec_check import VALID, write_spec

pytestmark = pytest.mark.django_db


def legal_page(slug: str, section: str, language: str = "it") -> StandardPage:
    record = SeedRecord.objects.get(key=f"{slug}:page:{section}:{language}:id")
    return StandardPage.objects.get(pk=record.value)


def served(slug: str, section: str, language: str = "it") -> str:
    page = legal_page(slug, section, language)
    response = portal_client(slug).get(page.get_url_parts()[2])
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_accessibility_statement_says_status_date_contacts_and_where_to_complain(
    territories,
):
    html = served("sondrio", "accessibility")
    text = text_of(html)
    assert '<h2 class="portal-heading">Stato di conformità</h2>' in html
    assert "Questo sito web è parzialmente conforme" in text
    assert "SondrioWelfare" in text and "https://www.sondriowelfare.it/" in text
    assert "redatta il 25 novembre 2026" in text  # sites/sondrio.toml: assessed
    assert 'href="mailto:info@sondriowelfare.it"' in html and "+39 0342 000000" in text
    contacts = legal_page("sondrio", "contacts")
    assert f'{contacts.get_url_parts()[2]}">la pagina dei contatti</a>' in html
    assert f'href="{AGID_DIFENSORE_CIVICO_URL}"' in html
    assert "Difensore civico per il digitale" in text
    # the spec's own non-accessible content, under the heading of its reason
    assert "Inosservanza della legge 4/2004" in text
    assert "Alcuni documenti PDF delle notizie pubblicate prima del 2026" in text
    assert "Contenuti non soggetti alla legislazione applicabile" in text
    assert 'lang="it"' not in html[html.index("<main") : html.index("</main>")]


def test_each_portal_states_its_own_name_contacts_and_entity(territories):
    text = text_of(served("rho", "accessibility"))
    assert "info@rhowelfare.it" in text and "Stripes Cooperativa Sociale Onlus" in text
    assert "sondrio" not in text.lower()
    assert "redatta il 10 novembre 2026" in text


def test_the_privacy_notice_names_the_specs_controller_and_the_garante(territories):
    html = served("sondrio", "privacy")
    text = text_of(html)
    assert "Titolare del trattamento" in text
    assert "Forme Società Cooperativa Sociale, partita IVA 01847310149" in text
    assert 'href="mailto:privacy@sondriowelfare.it"' in html
    assert 'href="mailto:dpo@forme.example"' in html
    assert "Tiralistori Libreria Società Cooperativa" in text  # a recipient: its cooperative
    assert "Stripe Payments Europe" in text
    assert f'href="{GARANTE_URL}"' in html
    assert "csrftoken" in text and "oscar_open_basket" in text
    rho = text_of(served("rho", "privacy"))
    assert "Stripes Cooperativa Sociale Onlus" in rho and "Forme" not in rho


@pytest.mark.parametrize(
    "language, status_heading, controller_heading",
    [
        ("en", "Conformance status", "Data controller"),
        ("de", "Stand der Vereinbarkeit", "Verantwortlicher"),
    ],
)
def test_the_translations_are_written_in_the_portals_languages(
    territories, language, status_heading, controller_heading
):
    statement = text_of(served("sondrio", "accessibility", language))
    assert status_heading in statement and "info@sondriowelfare.it" in statement
    assert "Stato di conformità" not in statement
    notice = text_of(served("sondrio", "privacy", language))
    assert controller_heading in notice and "Forme Società Cooperativa Sociale" in notice
    assert "Titolare del trattamento" not in notice
    # what the spec wrote in Italian is marked as Italian (WCAG 3.1.2)
    assert '<span lang="it">Alcuni documenti PDF' in served("sondrio", "accessibility", language)


def test_a_portal_without_german_gets_no_german_statement(territories):
    assert not SeedRecord.objects.filter(key="rho:page:accessibility:de:id").exists()
    assert SeedRecord.objects.filter(key="rho:page:accessibility:en:id").exists()


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])  # italia, borgo
def test_both_themes_link_the_statement_and_the_notice_in_every_language(territories, slug):
    for language in Territory.objects.get(slug=slug).languages:
        prefix = "" if language == "it" else f"/{language}"
        home = portal_client(slug).get(f"{prefix}/").content.decode()
        for section in ("privacy", "accessibility"):
            page = legal_page(slug, section, language)
            assert f'href="{page.get_url_parts()[2]}"' in home, (language, section)


@pytest.mark.parametrize("section", ["privacy", "accessibility"])
def test_the_pages_have_headings_in_order_and_none_empty(territories, section):
    for language in ("it", "de"):
        html = served("sondrio", section, language)
        main = html[html.index("<main") : html.index("</main>")]
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", main)]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        assert not re.search(r"<h[1-6][^>]*>\s*</h[1-6]>", main)


@pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing()))
def test_the_pages_are_valid_html(territories):
    audit = Audit()
    for slug in ("sondrio", "cremona"):
        for section in ("privacy", "accessibility"):
            audit.keep_html(f"{slug}/{section}", served(slug, section))
    errors = audit.nu_errors()
    assert not any(errors.values()), errors


def test_defaults_without_the_keys_first_cooperative_and_the_first_build_day(tmp_path):
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import override

    with override("it"):
        today = timezone.localdate()
        today = f"{today.day} {date_format(today, 'F').lower()} {today.year}"  # 2 dicembre 2026
    call_command("portal", "build", str(write_spec(tmp_path, VALID)), verbosity=0)

    notice = text_of(served("lecco", "privacy"))
    assert "Lario Cooperativa Sociale, partita IVA 01234567897" in notice
    assert "info@leccowelfare.it" in notice
    statement = text_of(served("lecco", "accessibility"))
    assert f"redatta il {today}" in statement
    assert "I webinar trasmessi in diretta su piattaforme esterne" in statement  # built-in
    assert "I campi per il pagamento con carta sono forniti da Stripe" in statement


def test_a_rebuild_keeps_the_editors_text_and_follows_the_spec_where_nobody_edited(tmp_path):
    path = write_spec(tmp_path, VALID)
    call_command("portal", "build", str(path), verbosity=0)
    statement = legal_page("lecco", "accessibility")
    statement.body = [
        *stream_json(statement.body),
        {"type": "paragraph", "value": "<p>Verificato anche con NVDA.</p>"},
    ]
    statement.save_revision().publish()

    path.write_text(
        VALID.replace(
            "[[cooperatives]]",
            '[privacy]\ncontroller = "Comune di Lecco"\n'
            'controller_email = "privacy@lecco.example"\n'
            '\n[accessibility]\nstatus = "non_compliant"\n\n[[cooperatives]]',
        )
    )
    call_command("portal", "build", str(path), verbosity=0)

    statement = text_of(served("lecco", "accessibility"))
    assert "Verificato anche con NVDA." in statement  # the editor's text survives
    assert "non è conforme" not in statement
    notice = text_of(served("lecco", "privacy"))  # nobody edited it: it follows the spec
    assert "Comune di Lecco" in notice and "privacy@lecco.example" in notice
    assert "Lario Cooperativa Sociale, partita IVA" not in notice
    english = text_of(served("lecco", "privacy", "en"))
    assert "Comune di Lecco" in english


def test_a_body_written_before_the_generator_wrote_one_is_kept(territories):
    """Portals built before these texts existed: their page may already have an editor's body."""
    page = legal_page("rho", "privacy")
    page.body = [("paragraph", "<p>La nostra informativa, scritta a mano.</p>")]
    page.save_revision().publish()
    record = SeedRecord.objects.get(key="rho:page:privacy:it")
    record.value = {k: v for k, v in record.value.items() if k != "body"}
    record.save()

    call_command("portal", "build", "rho", verbosity=0)

    text = text_of(served("rho", "privacy"))
    assert "La nostra informativa, scritta a mano." in text
    assert "Titolare del trattamento" not in text


def test_a_deleted_statement_stays_deleted(territories):
    legal_page("rho", "accessibility").delete()
    call_command("portal", "build", "rho", verbosity=0)
    root = Territory.objects.get(slug="rho").site.root_page
    assert not Page.objects.filter(
        slug="dichiarazione-di-accessibilita", path__startswith=root.path
    ).exists()


def test_feedback_goes_to_the_contact_form_once_the_portal_has_one(territories):
    from portal.content.demo import load_editorial
    from portal.content.models import FormPage

    rho = territories["rho"]
    assert "la pagina dei contatti</a>" in served("rho", "accessibility")
    load_editorial(rho, {"primary": "#0b4f80", "secondary": "#5c2d91"})  # adds a contact form
    form = FormPage.objects.descendant_of(rho.site.root_page).get()

    call_command("portal", "build", "rho", verbosity=0)

    html = served("rho", "accessibility")
    assert f'{form.get_url_parts()[2]}">il modulo di contatto</a>' in html
