"""Officers create and edit their own territory's programmes in the admin: rows of amounts
and questions, clear errors that write nothing, the budget moved on the ledger, another
territory's programme, portal or cooperatives refused, and ``portal build`` leaving the
officer's changes alone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from portal.ledger.models import Account, Transfer
from portal.programmes.applications import approve, move, submit
from portal.programmes.budget import budget_left
from portal.programmes.generator import ensure_office
from portal.programmes.models import Programme
from portal.territories.models import Territory
from tests.programmes_support import citizen, draft, open_programme
from tests.test_programme_specs import WITH_PROGRAMME
from tests.test_spec_check import write_spec

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")


def officer_of(territory) -> Client:
    user = citizen()
    user.groups.add(ensure_office(territory)[0].group)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def form_data(
    territory, amounts=((1, "150.00"), (3, "300.00")), questions=(), initial=False, **fields
):
    """The POST of the editor; ``initial``: the rows are the programme's own (not new rows)."""
    today = timezone.localdate()
    data = {
        "title": "Contributo centri estivi",
        "summary": "Per le famiglie con figli",
        "kind": "grant",
        "budget": "5000.00",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "credit_expires_on": (today + timedelta(days=90)).isoformat(),
        "municipalities": territory.municipalities[:1] or [territory.name],
        "categories": ["educazione"],
        "cooperatives": [],
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    rows = [{"household_size": s, "amount": a} for s, a in amounts]
    data.update(_rows("amounts", rows, initial))
    data.update(_rows("questions", list(questions), initial))
    return data


def _rows(prefix: str, rows: list[dict], initial: bool) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows) if initial else 0),
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def ledger_rows() -> tuple[int, int]:
    return Account.objects.count(), Transfer.objects.count()


def test_an_officer_creates_a_programme_funded_on_the_ledger(territories):
    padova = territories["padova"]
    client = officer_of(padova)
    index = client.get("/admin/programmi/").content.decode()
    assert f'href="/admin/programmi/nuovo/{padova.pk}/"' in index
    page = client.get(f"/admin/programmi/nuovo/{padova.pk}/").content.decode()
    own = list(Partner.objects.filter(territories=padova))
    others = Partner.objects.exclude(territories=padova)
    assert own and all(c.name in page for c in own)
    assert not any(f'value="{c.pk}"' in page and c.name in page for c in others)
    question = {
        "label": "Situazione lavorativa",
        "type": "choice",
        "choices": "occupato\ndisoccupato",
        "required": "on",
        "ORDER": "1",
    }
    response = client.post(
        f"/admin/programmi/nuovo/{padova.pk}/",
        form_data(padova, cooperatives=[own[0].pk], questions=[question]),
    )
    programme = Programme.objects.get(territory=padova, title="Contributo centri estivi")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/programmi/{programme.pk}/"
    assert programme.slug == "contributo-centri-estivi"
    assert programme.amounts == {"1": "150.00", "3": "300.00"}
    assert programme.amount_for(5) == Decimal("300.00")
    assert list(programme.cooperatives.all()) == [own[0]]
    assert programme.questions == [
        {
            "key": "situazione_lavorativa",
            "label": "Situazione lavorativa",
            "type": "choice",
            "choices": ["occupato", "disoccupato"],
            "required": True,
        }
    ]
    assert budget_left(programme) == Decimal("5000.00")
    [funding] = Transfer.objects.filter(destination=programme.budget_account)
    assert (funding.kind, funding.amount) == ("programme-budget", Decimal("5000.00"))
    queue = client.get(response["Location"]).content.decode()
    assert "Contributo centri estivi" in queue and "5.000,00" in queue


@pytest.mark.parametrize(
    "case, fields, amounts, questions, error",
    [
        (
            "closes before opening",
            {"closes_on": "2026-01-01", "opens_on": "2026-02-01", "credit_expires_on": None},
            ((1, "100.00"),),
            (),
            "Le domande non possono chiudersi prima di aprirsi (01/02/2026).",
        ),
        (
            "expires before closing",
            {
                "closes_on": "2026-03-01",
                "opens_on": "2026-02-01",
                "credit_expires_on": "2026-02-15",
            },
            ((1, "100.00"),),
            (),
            "Il credito non può scadere prima della chiusura delle domande (01/03/2026).",
        ),
        ("amount zero", {}, ((1, "0.00"),), (), "Un importo deve essere maggiore di 0,00 €."),
        ("negative budget", {"budget": "-5.00"}, ((1, "10.00"),), (), "Il budget deve essere"),
        ("no amount", {}, (), (), "Indica almeno un importo"),
        (
            "one size twice",
            {},
            ((2, "10.00"), (2, "20.00")),
            (),
            "Ogni numero di componenti può avere un solo importo.",
        ),
        (
            "a choice without choices",
            {},
            ((1, "10.00"),),
            ({"label": "Lavoro", "type": "choice", "choices": "uno"},),
            "Una domanda a scelta elenca almeno due scelte.",
        ),
        (
            "two questions one key",
            {},
            ((1, "10.00"),),
            ({"label": "Lavoro", "type": "text"}, {"label": "lavoro", "type": "number"}),
            "Due domande hanno la chiave «lavoro»",
        ),
        ("no municipality", {"municipalities": None}, ((1, "10.00"),), (), "Questo campo"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    territories, case, fields, amounts, questions, error
):
    padova = territories["padova"]
    client = officer_of(padova)
    before = (Programme.objects.count(), ledger_rows())
    response = client.post(
        f"/admin/programmi/nuovo/{padova.pk}/",
        form_data(padova, amounts=amounts, questions=questions, **fields),
    )
    assert response.status_code == 200, case
    html = response.content.decode()
    assert "Il programma non è stato salvato" in html, case
    assert error in html, case
    assert (Programme.objects.count(), ledger_rows()) == before, case


def edit_data(programme, **fields):
    territory = programme.territory
    rows = sorted(programme.amounts.items(), key=lambda i: int(i[0]))
    values = {
        "title": programme.title,
        "summary": programme.summary,
        "kind": programme.kind,
        "budget": str(programme.budget),
        "opens_on": programme.opens_on.isoformat(),
        "closes_on": programme.closes_on.isoformat(),
        "credit_expires_on": programme.credit_expires_on.isoformat()
        if programme.credit_expires_on
        else "",
        "municipalities": programme.municipalities,
        "categories": programme.categories,
        "cooperatives": list(programme.cooperatives.values_list("pk", flat=True)),
        **fields,
    }
    questions = [
        {**q, "choices": "\n".join(q["choices"]), "required": "on" if q["required"] else ""}
        for q in programme.questions
    ]
    return form_data(territory, amounts=rows, questions=questions, initial=True, **values)


def granted_programme(territory, budget="1000.00", size=4):
    programme = open_programme(territory, budget=budget)
    application = draft(programme, size=size)
    submit(application, application.applicant)
    officer = citizen()
    move(application, officer, "in_review", officer=True)
    approve(application, officer)
    return programme


def test_raising_and_lowering_the_budget_moves_money_on_the_ledger(territories):
    programme = granted_programme(territories["padova"])  # 400.00 credited
    client = officer_of(programme.territory)
    url = f"/admin/programmi/{programme.pk}/modifica/"
    page = client.get(url).content.decode()
    assert "400,00" in page and "600,00" in page  # credited so far, left
    assert client.post(url, edit_data(programme, budget="1500.00")).status_code == 302
    assert budget_left(programme) == Decimal("1100.00")
    assert client.post(url, edit_data(programme, budget="450.00")).status_code == 302
    programme.refresh_from_db()
    assert programme.budget == Decimal("450.00")
    assert budget_left(programme) == Decimal("50.00")
    kinds = list(
        Transfer.objects.filter(reference=programme.slug)
        .order_by("pk")
        .values_list("kind", "amount")
    )
    assert kinds == [
        ("programme-budget", Decimal("1000.00")),
        ("programme-budget", Decimal("500.00")),
        ("programme-budget-return", Decimal("1050.00")),
    ]


def test_a_budget_below_what_was_credited_is_refused_and_nothing_changes(territories):
    programme = granted_programme(territories["padova"])  # 400.00 credited
    client = officer_of(programme.territory)
    before = ledger_rows()
    response = client.post(
        f"/admin/programmi/{programme.pk}/modifica/",
        edit_data(programme, budget="399.99", title="Titolo nuovo"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "400.00 € di questo budget sono già stati accreditati" in html
    programme.refresh_from_db()
    assert (programme.title, programme.budget) == ("Buoni spesa", Decimal("1000.00"))
    assert budget_left(programme) == Decimal("600.00")
    assert ledger_rows() == before


def test_another_territorys_programme_portal_and_cooperatives_are_refused(territories):
    padova, rho = territories["padova"], territories["rho"]
    client = officer_of(padova)
    theirs = Programme.objects.filter(territory=rho).first()
    url = f"/admin/programmi/{theirs.pk}/modifica/"
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(theirs, title="Preso")).status_code == 404
    assert client.get(f"/admin/programmi/nuovo/{rho.pk}/").status_code == 404
    before = (Programme.objects.count(), ledger_rows())
    assert client.post(f"/admin/programmi/nuovo/{rho.pk}/", form_data(rho)).status_code == 404
    rho_only = Partner.objects.filter(territories=rho).exclude(territories=padova).first()
    response = client.post(
        f"/admin/programmi/nuovo/{padova.pk}/", form_data(padova, cooperatives=[rho_only.pk])
    )
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode() or (
        "Scegli un'opzione valida" in response.content.decode()
    )
    assert (Programme.objects.count(), ledger_rows()) == before
    theirs.refresh_from_db()
    assert theirs.title != "Preso"


def test_an_officers_edit_survives_portal_build(tmp_path):
    path = write_spec(tmp_path, WITH_PROGRAMME)
    call_command("portal", "build", str(path), verbosity=0)
    lecco = Territory.objects.get(slug="lecco")
    programme = Programme.objects.get(territory=lecco, slug="buoni-spesa")
    client = officer_of(lecco)
    response = client.post(
        f"/admin/programmi/{programme.pk}/modifica/",
        edit_data(programme, title="Buoni spesa dell'ufficio", budget="15000.00"),
    )
    assert response.status_code == 302
    # the spec changes the title, the budget and the summary; the officer touched two
    path.write_text(
        WITH_PROGRAMME.replace('title = "Buoni spesa Lecco"', 'title = "Titolo del file"')
        .replace('budget = "10000.00"', 'budget = "12000.00"')
        .replace('kind = "vouchers"', 'kind = "vouchers"\nsummary = "Dal file"')
    )
    call_command("portal", "build", str(path), verbosity=0)
    call_command("portal", "build", str(path), verbosity=0)
    programme.refresh_from_db()
    assert programme.title == "Buoni spesa dell'ufficio"
    assert programme.budget == Decimal("15000.00")
    assert budget_left(programme) == Decimal("15000.00")
    assert programme.summary == "Dal file"  # not the officer's: follows the file
    # saved back to the file's own value, the field stays the officer's
    client.post(
        f"/admin/programmi/{programme.pk}/modifica/",
        edit_data(programme, title="Titolo del file"),
    )
    path.write_text(
        WITH_PROGRAMME.replace('title = "Buoni spesa Lecco"', 'title = "Un altro titolo"')
    )
    call_command("portal", "build", str(path), verbosity=0)
    programme.refresh_from_db()
    assert programme.title == "Titolo del file"


def test_the_edit_form_shows_the_rows_and_its_queries_do_not_grow(territories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = open_programme(territories["padova"])
    client = officer_of(programme.territory)
    url = f"/admin/programmi/{programme.pk}/modifica/"
    html = client.get(url).content.decode()
    assert 'name="amounts-0-household_size"' in html and 'value="150.00"' in html
    assert f'href="{url}"' in client.get(f"/admin/programmi/{programme.pk}/").content.decode()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    programme.questions = [
        {"key": f"q{i}", "label": f"Domanda {i}", "type": "text", "choices": [], "required": True}
        for i in range(8)
    ]
    programme.save(update_fields=["questions"])
    programme.cooperatives.set(Partner.objects.filter(territories=programme.territory))
    assert count() == few
    assert "Domanda 7" in client.get(url).content.decode()
