"""Campaigns in the admin: communications staff create them, edit their landing pages on
every targeted portal, generate and export codes and read results; they get 404 on any
other page, setting or order, and a portal's editors reach no campaign view."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.campaigns.models import Campaign
from tests.campaign_support import campaign, template
from tests.newsletter_support import communications_user
from tests.test_campaigns import shared_service

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


def staff_client(slug="sondrio") -> Client:
    client = Client(HTTP_HOST=f"{slug}.localhost")
    client.force_login(communications_user())
    return client


def form_data(territories, page, **overrides) -> dict:
    starts = timezone.localtime() + timedelta(days=1)
    data = {
        "name": "Centri estivi",
        "slug": "centri-estivi",
        "goal": "Iscrizioni ai centri estivi",
        "territories": [t.pk for t in territories],
        "starts_at": starts.strftime(FORMAT),
        "ends_at": (starts + timedelta(days=60)).strftime(FORMAT),
        "template_page": page.pk,
        "discount": "",
    }
    data.update(overrides)
    return data


def test_communications_staff_create_a_campaign_with_its_landing_pages(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    client = staff_client()
    assert client.get("/admin/campagne/").status_code == 200
    assert client.get("/admin/campagne/nuova/").status_code == 200
    page = template()
    response = client.post("/admin/campagne/nuova/", form_data([sondrio, napoli], page))
    assert response.status_code == 302
    made = Campaign.objects.get(slug="centri-estivi")
    landings = {landing.territory: landing.page for landing in made.landings.all()}
    assert set(landings) == {sondrio, napoli}
    for territory, landing in landings.items():
        assert landing.get_parent().pk == territory.site.root_page.pk
        assert not landing.live and landing.go_live_at == made.starts_at
        # communications staff edit every landing page of the campaign…
        assert client.get(f"/admin/pages/{landing.pk}/edit/").status_code == 200
        # …and each portal's editors edit their own portal's only
        editor = Client(HTTP_HOST=f"{territory.slug}.localhost")
        editor.force_login(territory.editors.user_set.first())
        assert editor.get(f"/admin/pages/{landing.pk}/edit/").status_code == 200
        other = napoli if territory == sondrio else sondrio
        assert editor.get(f"/admin/pages/{landings[other].pk}/edit/").status_code == 404
        assert editor.get("/admin/campagne/").status_code == 404
        assert editor.get(f"/admin/campagne/{made.pk}/").status_code == 404
    edit = client.get(f"/admin/campagne/{made.pk}/")
    assert "Pagine della campagna" in edit.text


def test_communications_staff_reach_no_other_page_setting_or_order(territories):
    sondrio = territories["sondrio"]
    made = campaign([sondrio])
    client = staff_client()
    home = sondrio.site.root_page
    other_page = home.get_children().exclude(pk=made.landings.get().page_id).first()
    assert client.get(f"/admin/pages/{made.landings.get().page_id}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 404
    assert client.get(f"/admin/pages/{other_page.pk}/edit/").status_code == 404
    assert client.get(f"/admin/pages/{home.pk}/").status_code == 404  # the portal's explorer
    assert client.get(f"/admin/pages/add/content/standardpage/{home.pk}/").status_code == 404
    assert (
        client.get(f"/admin/settings/territories/portalsettings/{sondrio.site_id}/").status_code
        == 404
    )
    assert client.get("/shop/dashboard/orders/").status_code in (302, 403, 404)
    assert client.post(f"/admin/pages/{home.pk}/delete/").status_code == 404


def test_a_bad_campaign_is_refused_and_writes_nothing(territories):
    sondrio = territories["sondrio"]
    page = template()
    data = form_data([sondrio], page)
    data["ends_at"] = data["starts_at"]
    client = staff_client()
    response = client.post("/admin/campagne/nuova/", data)
    assert response.status_code == 400
    assert "La fine deve essere successiva all&#x27;inizio." in response.text
    response = client.post("/admin/campagne/nuova/", form_data([sondrio], page, discount="offer"))
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_codes_are_generated_and_exported_as_csv(territories):
    sondrio = territories["sondrio"]
    service = shared_service(sondrio)
    made = campaign([sondrio], discount="codes", products=[service])
    client = staff_client()
    response = client.post(f"/admin/campagne/{made.pk}/codici/", {"count": 25})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.voucher_set.vouchers.count() == 25
    assert client.post(f"/admin/campagne/{made.pk}/codici/", {"count": 0}).status_code == 302
    assert made.voucher_set.vouchers.count() == 25  # a bad number makes none
    export = client.get(f"/admin/campagne/{made.pk}/codici.csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode().strip().splitlines()
    assert len(rows) == 26
    codes = {row.split(",")[0] for row in rows[1:]}
    assert len(codes) == 25  # unique
    assert all(row.endswith(",no") for row in rows[1:])


def test_the_results_page_has_a_table_per_portal_and_the_chart_as_a_table(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    made = campaign([sondrio, napoli])
    page = made.landings.get(territory=sondrio).page
    Client(HTTP_HOST="sondrio.localhost").get(f"/{page.slug}/")
    client = staff_client()
    response = client.get(f"/admin/campagne/{made.pk}/risultati/")
    assert response.status_code == 200
    assert f'<th scope="row">{sondrio.name}</th><td>1</td>' in response.text
    assert f'<th scope="row">{napoli.name}</th><td>0</td>' in response.text
    today = timezone.localdate().isoformat()
    assert f'<th scope="row">{today}</th><td class="text-end">1</td>' in response.text
    # the chart over the campaign's days is drawn by the same script as the programmes' charts
    assert "bundle/charts.js" in response.text and "data-chart=" in response.text
    export = client.get(f"/admin/campagne/{made.pk}/risultati.csv")
    assert f"{sondrio.name},{today},1," in export.content.decode()


def test_duplicate_from_the_admin(territories):
    made = campaign([territories["sondrio"]])
    response = staff_client().post(f"/admin/campagne/{made.pk}/duplica/")
    assert response.status_code == 302
    copy = Campaign.objects.exclude(pk=made.pk).get()
    assert copy.starts_at.year == made.starts_at.year + 1
    assert copy.landings.count() == 1
