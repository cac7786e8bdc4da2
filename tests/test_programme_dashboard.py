"""A programme's dashboard for its officers: the ledger's figures, charts with their tables,
the live JSON, CSV exports with a date range, another territory's programme a 404, and a
query count that does not grow with the applications."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.programmes.applications import approve, move
from portal.programmes.budget import wallet_for
from portal.programmes.models import Application, Programme
from portal.programmes.spending import refund_spend, spend
from shop.partner.models import Partner
from tests.programmes_support import draft, open_programme
from tests.test_programme_office import officer_of, sent

pytestmark = pytest.mark.django_db
S = Application.Status


def approved(programme, size=2, officer=None):
    application = sent(programme, size=size)
    officer = officer or application.applicant
    move(application, officer, S.IN_REVIEW, officer=True)
    return approve(application, officer)


def cooperative(name="Cooperativa Prova"):
    return Partner.objects.create(name=name)


@pytest.fixture
def padova_programme(territories):
    programme = open_programme(territories["padova"], budget="10000.00")
    coop_a, coop_b = cooperative("Coop Alfa"), cooperative("Coop Beta")
    first, second = approved(programme, size=2), approved(programme, size=4)
    wallet_one = wallet_for(programme, first.applicant)
    wallet_two = wallet_for(programme, second.applicant)
    spend(wallet_one, Decimal("100.00"), coop_a, reference="R1", key="t-1")
    spend(wallet_two, Decimal("60.00"), coop_b, reference="=HYPERLINK(1)", key="t-2")
    refund_spend(wallet_two, Decimal("10.00"), coop_b, reference="R2", key="t-3")
    sent(programme)
    draft(programme)
    return programme


def dashboard_url(programme, tail=""):
    return f"/admin/programmi/{programme.pk}/cruscotto/{tail}"


def test_the_dashboard_shows_the_ledgers_figures_and_the_charts_tables(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    response = client.get(dashboard_url(padova_programme))
    html = response.content.decode()
    assert response.status_code == 200
    # granted 250 + 400; spent 100 + 60 - 10; wallets 650 - 150; budget left 10,000 - 650
    for figure in ("650,00", "150,00", "500,00", "9.350,00", "10.000,00"):
        assert figure in html, figure
    assert "Domande per stato" in html and "Speso per cooperativa" in html
    assert '<th scope="row">Coop Alfa</th>' in html and "Coop Beta" in html
    assert html.index("Coop Alfa") < html.index("Coop Beta")  # the larger spend first
    assert "bundle/charts.js" in html and 'data-chart-refresh="' in html
    assert "Approvata" in html


def test_the_dashboard_has_its_title_as_the_pages_heading(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    html = client.get(dashboard_url(padova_programme)).content.decode()
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert f"Cruscotto: {padova_programme.title}" in heading


def test_the_live_figures_are_the_same_as_json(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    data = client.get(dashboard_url(padova_programme, "dati.json")).json()
    assert (
        data["figures"]["spent"]
        == client.get(dashboard_url(padova_programme)).context["money"][2][2]
    )
    by_coop = data["charts"]["chart-cooperatives"]
    assert by_coop["labels"] == ["Coop Alfa", "Coop Beta"]
    assert by_coop["series"][0]["values"] == ["100.00", "50.00"]
    statuses = data["charts"]["chart-status"]["series"][0]["values"]
    assert sum(statuses) == 4 and statuses[S.values.index(S.APPROVED)] == 2
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert data["charts"]["chart-days"]["labels"] == [today]
    assert data["charts"]["chart-days"]["series"][0]["values"] == ["150.00"]


def test_another_territorys_officer_gets_404_everywhere(padova_programme, territories):
    client, _user = officer_of(territories["rho"])
    for tail in ("", "dati.json"):
        assert client.get(dashboard_url(padova_programme, tail)).status_code == 404
    base = f"/admin/programmi/{padova_programme.pk}/esporta/"
    assert client.get(base + "domande.csv").status_code == 404
    assert client.get(base + "movimenti.csv").status_code == 404


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_applications_csv_has_no_personal_data(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    response = client.get(f"/admin/programmi/{padova_programme.pk}/esporta/domande.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:4] == ["Numero di protocollo", "Stato", "Comune", "Componenti del nucleo"]
    assert len(rows) == 1 + 3  # the draft is left out
    body = "\n".join(",".join(r) for r in rows)
    for application in padova_programme.applications.select_related("applicant"):
        assert application.household_key not in body
        assert application.applicant.email not in body
    assert ["250.00", "400.00"] == sorted(r[4] for r in rows[1:] if r[4])


def test_the_movements_csv_names_accounts_by_role_and_makes_formulas_inert(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    url = f"/admin/programmi/{padova_programme.pk}/esporta/movimenti.csv"
    rows = read_csv(client.get(url))
    kinds = [r[2] for r in rows[1:]]
    assert kinds.count("programme-credit") == 2 and "programme-spend-refund" in kinds
    assert "'=HYPERLINK(1)" in [r[6] for r in rows]
    assert any(r[3] == "budget del programma" and r[4].startswith("portafoglio ") for r in rows)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = read_csv(client.get(url, {"m-since": tomorrow}))
    assert len(later) == 1  # the header only


@pytest.mark.parametrize(
    "query, message",
    [
        ({"m-since": "2026-05-02", "m-until": "2026-05-01"}, "viene dopo la data di fine"),
        ({"m-since": "2026-13-40"}, "Inserisci una data valida"),
    ],
)
def test_a_bad_range_is_a_clear_error_on_the_page(padova_programme, query, message):
    client, _user = officer_of(padova_programme.territory)
    url = f"/admin/programmi/{padova_programme.pk}/esporta/movimenti.csv"
    response = client.get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_the_dashboard_query_count_does_not_grow(territories):
    programme = open_programme(territories["padova"], budget="100000.00")
    coop = cooperative()
    client, officer = officer_of(territories["padova"])
    url = dashboard_url(programme)

    def add(n):
        for _ in range(n):
            wallet = wallet_for(programme, approved(programme, officer=officer).applicant)
            spend(wallet, Decimal("5.00"), coop, reference="x", key=f"k-{wallet.pk}")

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    add(1)
    count(url)
    few, few_json = count(url), count(dashboard_url(programme, "dati.json"))
    add(12)
    assert count(url) == few
    assert count(dashboard_url(programme, "dati.json")) == few_json
    assert Programme.objects.get(pk=programme.pk).applications.count() == 13


def test_the_index_and_queue_link_to_the_dashboard(padova_programme):
    client, _user = officer_of(padova_programme.territory)
    assert dashboard_url(padova_programme) in client.get("/admin/programmi/").content.decode()
    queue = client.get(f"/admin/programmi/{padova_programme.pk}/").content.decode()
    assert dashboard_url(padova_programme) in queue


def test_a_finished_programme_is_not_refreshed(territories):
    today = timezone.localdate()
    programme = open_programme(
        territories["padova"],
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=30),
        credit_expires_on=today - timedelta(days=1),
    )
    client, _user = officer_of(territories["padova"])
    html = client.get(dashboard_url(programme)).content.decode()
    assert "data-chart-refresh" not in html and "senza ricaricare la pagina" not in html
    assert "Ancora niente da mostrare." in html  # no spend yet: the tables say so
