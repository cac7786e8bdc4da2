"""The citizen's side: /programmi/, a programme's page, the form with its draft and summary,
the receipt, my applications and wallet; private documents; every refusal a clear message;
another person's application, document and wallet a 404; query counts that do not grow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from portal.programmes.applications import approve, move, submit
from portal.programmes.models import Application, Attachment, Programme
from tests.conftest import portal_client
from tests.programmes_support import citizen, draft, open_programme, tax_code

pytestmark = pytest.mark.django_db
S = Application.Status
PDF = b"%PDF-1.4\n% a tiny test document\n"


def signed_in(slug: str, user=None):
    user = user or citizen()
    client = portal_client(slug)
    client.force_login(user)
    return client, user


def padova_programme(**fields):
    from portal.territories.models import Territory

    return open_programme(Territory.objects.get(slug="padova"), **fields)


def form_data(programme, **extra):
    data = {
        "tax_code": tax_code(11),
        "household_size": "3",
        "municipality": programme.municipalities[1],
        "income_band": "isee-fino-6000",
        **extra,
    }
    return data


class TestList:
    def test_lists_open_and_closed_programmes_of_this_portal_only(self, territories):
        today = timezone.localdate()
        padova_programme(title="Buoni aperti")
        padova_programme(
            title="Buoni chiusi",
            opens_on=today - timedelta(days=60),
            closes_on=today - timedelta(days=30),
        )
        response = portal_client("padova").get("/programmi/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Buoni aperti" in html and "Buoni chiusi" in html
        assert html.index("Buoni aperti") < html.index("Buoni chiusi")
        assert "Contributo per l&#x27;assistenza domiciliare" not in html  # Cremona's

    @pytest.mark.parametrize("slug", ["padova", "rho"])  # italia and borgo
    def test_renders_in_both_themes_and_in_english(self, slug):
        client = portal_client(slug)
        assert "Programmi di welfare" in client.get("/programmi/").content.decode()
        assert "Welfare programmes" in client.get("/en/programmi/").content.decode()

    def test_query_count_does_not_grow_with_applications(self, territories):
        programme = padova_programme()
        client = portal_client("padova")

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/programmi/").status_code == 200
            return len(queries)

        draft(programme)
        count()  # the header and footer are cached after the first
        few = count()
        for _ in range(15):
            draft(programme)
        assert count() == few
        assert few <= 15


class TestProgrammePage:
    def test_shows_rules_budget_dates_and_apply(self):
        programme = padova_programme(budget="5000.00")
        html = portal_client("padova").get(f"/programmi/{programme.slug}/").content.decode()
        assert "5.000,00\xa0€" in html
        assert "4+" in html and "400,00\xa0€" in html
        assert f"/programmi/{programme.slug}/domanda/" in html
        assert "Accederai o ti registrerai prima" in html

    def test_another_portals_programme_is_a_404(self):
        cremona = Programme.objects.get(territory__slug="cremona")
        assert portal_client("padova").get(f"/programmi/{cremona.slug}/").status_code == 404

    def test_apply_asks_to_sign_in_first(self):
        programme = padova_programme()
        response = portal_client("padova").get(f"/programmi/{programme.slug}/domanda/")
        assert response.status_code == 302
        assert "/login/" in response["Location"]

    @pytest.mark.parametrize(
        ("opens", "closes", "message"),
        [(5, 20, "Le domande si aprono il"), (-20, -5, "Le domande si sono chiuse il")],
    )
    def test_not_open_or_closed_is_a_message(self, opens, closes, message):
        today = timezone.localdate()
        programme = padova_programme(
            opens_on=today + timedelta(days=opens), closes_on=today + timedelta(days=closes)
        )
        client, _user = signed_in("padova")
        for url in (f"/programmi/{programme.slug}/", f"/programmi/{programme.slug}/domanda/"):
            response = client.get(url)
            assert response.status_code == 200
            assert message in response.content.decode()
        response = client.post(f"/programmi/{programme.slug}/domanda/", form_data(programme))
        assert message in response.content.decode()
        assert not programme.applications.exists()

    def test_an_exhausted_budget_is_a_message(self):
        programme = padova_programme(budget="250.00")
        application = draft(programme, size=2)
        submit(application, application.applicant)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        approve(application, officer)
        client, _user = signed_in("padova")
        response = client.get(f"/programmi/{programme.slug}/domanda/")
        assert response.status_code == 200
        assert "Il budget del programma è esaurito" in response.content.decode()


class TestApplying:
    def test_draft_summary_send_receipt_and_history(self):
        programme = padova_programme(
            questions=[{"key": "employment", "label": "Lavoro", "type": "text", "required": True}]
        )
        client, user = signed_in("padova")
        url = f"/programmi/{programme.slug}/domanda/"
        response = client.post(url, form_data(programme, save="1"))
        assert response.status_code == 302
        application = Application.objects.get(programme=programme, applicant=user)
        assert (application.status, application.household_size) == (S.DRAFT, 3)

        # continue without the required question: the draft is kept, the gap named
        response = client.post(url, form_data(programme, **{"continue": "1"}))
        assert "Lavoro" in response.content.decode()
        assert "Prima di inviarla" in response.content.decode()

        response = client.post(
            url,
            form_data(
                programme,
                q_employment="disoccupato",
                id_document=SimpleUploadedFile("carta.pdf", PDF, "application/pdf"),
                **{"continue": "1"},
            ),
        )
        assert response["Location"].endswith("/domanda/riepilogo/")
        summary = client.get(response["Location"]).content.decode()
        assert "disoccupato" in summary and "carta.pdf" in summary
        assert "350,00\xa0€" in summary

        response = client.post(f"/programmi/{programme.slug}/domanda/riepilogo/")
        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        assert application.protocol.startswith("PADOVA-")
        assert response["Location"] == f"/programmi/le-mie-domande/{application.pk}/"
        assert len(mail.outbox) == 1
        assert application.protocol in mail.outbox[0].subject
        assert application.protocol in mail.outbox[0].body
        page = client.get(response["Location"]).content.decode()
        assert application.protocol in page and "Inviata" in page

        # a second go at the form says it is sent, and changes nothing
        response = client.get(url, follow=True)
        assert "Hai già inviato la tua domanda" in response.content.decode()

    def test_a_second_application_of_the_household_is_a_clear_error(self):
        programme = padova_programme()
        draft(programme, n=11)  # someone else of the same household
        client, user = signed_in("padova")
        response = client.post(
            f"/programmi/{programme.slug}/domanda/", form_data(programme, save="1")
        )
        assert response.status_code == 200
        assert "Per questo nucleo familiare è già stata presentata" in response.content.decode()
        assert not Application.objects.filter(applicant=user).exists()

    def test_a_malformed_tax_code_is_a_field_error(self):
        programme = padova_programme()
        client, user = signed_in("padova")
        response = client.post(
            f"/programmi/{programme.slug}/domanda/", form_data(programme, tax_code="123")
        )
        assert "non è un codice fiscale" in response.content.decode()
        assert not Application.objects.filter(applicant=user).exists()

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/pdf"), "non è accettato"),
            (SimpleUploadedFile("finto.pdf", b"GIF89a....", "application/pdf"), "non è accettato"),
            (SimpleUploadedFile("grande.pdf", PDF + b"x" * 2048, "application/pdf"), "al massimo"),
        ],
        ids=["wrong type", "content not a pdf", "too large"],
    )
    @override_settings(PORTAL_ATTACHMENT_MAX_BYTES=1024)
    def test_a_bad_attachment_is_refused_and_nothing_is_written(self, upload, message):
        programme = padova_programme()
        client, user = signed_in("padova")
        response = client.post(
            f"/programmi/{programme.slug}/domanda/",
            form_data(programme, save="1", isee_certificate=upload),
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Application.objects.filter(applicant=user).exists()
        assert not Attachment.objects.filter(application__applicant=user).exists()

    def test_answering_a_request_for_information(self):
        programme = padova_programme()
        application = draft(programme)
        submit(application, application.applicant)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        move(application, officer, S.MORE_INFO, "Manca l'ISEE", officer=True)
        client, _user = signed_in("padova", application.applicant)
        url = f"/programmi/le-mie-domande/{application.pk}/"
        assert "Manca l&#x27;ISEE" in client.get(url).content.decode()
        client.post(
            url,
            {"note": "Eccolo", "document": SimpleUploadedFile("isee.pdf", PDF, "application/pdf")},
        )
        application.refresh_from_db()
        assert application.status == S.IN_REVIEW
        assert application.attachments.get().original_name == "isee.pdf"


class TestPrivacy:
    def _with_document(self):
        programme = padova_programme()
        application = draft(programme)
        client, _user = signed_in("padova", application.applicant)
        client.post(
            f"/programmi/{programme.slug}/domanda/",
            {
                "household_size": "2",
                "municipality": programme.municipalities[0],
                "id_document": SimpleUploadedFile("id.pdf", PDF, "application/pdf"),
                "save": "1",
            },
        )
        return application, application.attachments.get(), client

    def test_the_document_is_private_and_served_to_its_applicant(self, settings):
        application, attachment, client = self._with_document()
        assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018 — no public address exists
        url = f"/programmi/le-mie-domande/{application.pk}/documenti/{attachment.pk}/"
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"

    def test_another_citizen_gets_404_on_application_document_and_sees_no_wallet(self):
        application, attachment, _client = self._with_document()
        submit(application, application.applicant)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        approve(application, officer)
        other, _user = signed_in("padova")
        base = f"/programmi/le-mie-domande/{application.pk}/"
        assert other.get(base).status_code == 404
        assert other.get(f"{base}documenti/{attachment.pk}/").status_code == 404
        assert other.post(base, {"note": "x"}).status_code == 404
        wallet = other.get("/programmi/il-mio-portafoglio/").content.decode()
        assert "250,00" not in wallet and "Il tuo portafoglio è vuoto" in wallet

    def test_the_territorys_officer_may_read_it_another_territorys_may_not(self, territories):
        from portal.programmes.generator import ensure_office

        application, attachment, _client = self._with_document()
        url = f"/programmi/le-mie-domande/{application.pk}/documenti/{attachment.pk}/"
        padova_officer, rho_officer = citizen(), citizen()
        padova_officer.groups.add(ensure_office(territories["padova"])[0].group)
        rho_officer.groups.add(ensure_office(territories["rho"])[0].group)
        assert signed_in("padova", padova_officer)[0].get(url).status_code == 200
        assert signed_in("padova", rho_officer)[0].get(url).status_code == 404
        assert signed_in("rho", application.applicant)[0].get(url).status_code == 404


class TestAccount:
    def test_my_applications_and_wallet(self):
        programme = padova_programme()
        application = draft(programme, size=4)
        submit(application, application.applicant)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        approve(application, officer)
        client, _user = signed_in("padova", application.applicant)
        listing = client.get("/programmi/le-mie-domande/").content.decode()
        assert programme.title in listing and "Approvata" in listing
        wallet = client.get("/programmi/il-mio-portafoglio/").content.decode()
        assert "400,00\xa0€" in wallet
        assert application.protocol in wallet  # the movement names the application
        assert "Jonathan" in wallet or "Veneto" in wallet or "ogni cooperativa" in wallet
        # the wallet of this portal only
        rho = portal_client("rho")
        rho.force_login(application.applicant)
        assert "400,00" not in rho.get("/programmi/il-mio-portafoglio/").content.decode()

    def test_application_page_query_count_does_not_grow(self):
        programme = padova_programme()
        application = draft(programme)
        submit(application, application.applicant)
        client, _user = signed_in("padova", application.applicant)
        url = f"/programmi/le-mie-domande/{application.pk}/"

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        count()
        few = count()
        for _ in range(15):
            draft(programme)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        move(application, officer, S.MORE_INFO, "altro", officer=True)
        move(application, application.applicant, S.IN_REVIEW, "ok", officer=False)
        assert count() == few

    def test_a_wallet_balance_is_the_ledgers(self):
        programme = padova_programme()
        application = draft(programme, size=1)
        submit(application, application.applicant)
        officer = citizen()
        move(application, officer, S.IN_REVIEW, officer=True)
        approve(application, officer)
        assert application.transfer.destination.balance == Decimal("150.00")
