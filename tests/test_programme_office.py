"""The officers' queue in the admin: their own territory only, counts per status, every step
recorded and e-mailed in the applicant's language, approval shown then paid once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.programmes.applications import move, submit
from portal.programmes.budget import budget_left
from portal.programmes.generator import ensure_office
from portal.programmes.models import Application, Programme, Wallet
from tests.programmes_support import citizen, draft, open_programme

pytestmark = pytest.mark.django_db
S = Application.Status


def officer_of(territory, client_host="localhost"):
    from django.test import Client

    user = citizen()
    user.groups.add(ensure_office(territory)[0].group)
    client = Client(HTTP_HOST=client_host)
    client.force_login(user)
    return client, user


def sent(programme, size=2, language="it"):
    application = draft(programme, size=size)
    application.language = language
    application.save(update_fields=["language"])
    submit(application, application.applicant)
    return application


def test_the_officer_sees_only_their_territorys_programmes(territories):
    client, _user = officer_of(territories["padova"])
    html = client.get("/admin/programmi/").content.decode()
    assert "Buoni spesa Welfare Bene Comune 2026" in html
    assert "Buoni spesa di solidarietà" not in html  # Rho's
    rho = Programme.objects.get(territory__slug="rho")
    rho_application = sent(rho)
    assert client.get(f"/admin/programmi/{rho.pk}/").status_code == 404
    assert client.get(f"/admin/programmi/domande/{rho_application.pk}/").status_code == 404
    response = client.post(f"/admin/programmi/domande/{rho_application.pk}/", {"action": "take"})
    assert response.status_code == 404
    assert client.post(f"/admin/programmi/domande/{rho_application.pk}/approva/").status_code == 404
    rho_application.refresh_from_db()
    assert rho_application.status == S.SUBMITTED


def test_the_queue_counts_and_filters(territories):
    programme = open_programme(territories["padova"])
    one, two = sent(programme), sent(programme)
    draft(programme)
    officer = citizen()
    move(two, officer, S.IN_REVIEW, officer=True)
    client, _user = officer_of(territories["padova"])
    html = client.get(f"/admin/programmi/{programme.pk}/").content.decode()
    assert "Inviata: 1" in html and "In istruttoria: 1" in html and "Bozza: 1" in html
    assert one.protocol in html and two.protocol in html
    only = client.get(f"/admin/programmi/{programme.pk}/?status=in_review").content.decode()
    assert two.protocol in only and one.protocol not in only


def test_the_queue_query_count_does_not_grow(territories):
    programme = open_programme(territories["padova"], budget="100000.00")
    client, _user = officer_of(territories["padova"])
    url = f"/admin/programmi/{programme.pk}/"
    sent(programme)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()
    few = count()
    for _ in range(20):
        sent(programme)
    assert count() == few


def test_take_ask_answer_approve_each_recorded_and_emailed(territories):
    programme = open_programme(territories["padova"], budget="1000.00")
    application = sent(programme, size=3, language="en")
    client, officer = officer_of(territories["padova"])
    url = f"/admin/programmi/domande/{application.pk}/"
    mail.outbox.clear()

    client.post(url, {"action": "take"})
    client.post(url, {"action": "ask", "note": "Please add the ISEE certificate"})
    application.refresh_from_db()
    assert application.status == S.MORE_INFO
    assert "more information requested" in mail.outbox[-1].subject
    assert "Please add the ISEE certificate" in mail.outbox[-1].body

    move(application, application.applicant, S.IN_REVIEW, "Added", officer=False)
    confirm = client.get(f"{url}approva/").content.decode()
    assert "350,00" in confirm and "1.000,00" in confirm
    assert budget_left(programme) == Decimal("1000.00")  # nothing moves before confirming
    client.post(f"{url}approva/", {"note": "ok"})
    client.post(f"{url}approva/", {"note": "again"})  # a double click
    application.refresh_from_db()
    assert (application.status, application.amount) == (S.APPROVED, Decimal("350.00"))
    assert budget_left(programme) == Decimal("650.00")
    wallet = Wallet.objects.get(programme=programme, owner=application.applicant)
    assert wallet.account.balance == Decimal("350.00")
    assert "approved" in mail.outbox[-1].subject
    steps = list(application.events.values_list("actor", "from_status", "to_status"))
    assert steps[-3:] == [
        (officer.pk, S.IN_REVIEW, S.MORE_INFO),
        (application.applicant_id, S.MORE_INFO, S.IN_REVIEW),
        (officer.pk, S.IN_REVIEW, S.APPROVED),
    ]


def test_a_rejection_without_reason_is_refused(territories):
    programme = open_programme(territories["padova"])
    application = sent(programme)
    client, _officer = officer_of(territories["padova"])
    url = f"/admin/programmi/domande/{application.pk}/"
    response = client.post(url, {"action": "reject", "note": " "}, follow=True)
    assert "Indica perché la domanda è respinta" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    client.post(url, {"action": "reject", "note": "Fuori comune"})
    application.refresh_from_db()
    assert application.status == S.REJECTED


def test_approval_beyond_the_budget_is_a_clear_message_and_moves_nothing(territories):
    programme = open_programme(territories["padova"], budget="200.00")
    application = sent(programme, size=4)
    client, officer = officer_of(territories["padova"])
    move(application, officer, S.IN_REVIEW, officer=True)
    response = client.post(f"/admin/programmi/domande/{application.pk}/approva/", follow=True)
    assert "non copre" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert budget_left(programme) == Decimal("200.00")


def test_a_citizen_without_the_role_gets_nothing(territories):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(citizen())
    response = client.get("/admin/programmi/")
    assert response.status_code in (302, 403, 404)
