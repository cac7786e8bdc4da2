"""Campaigns: landing pages scheduled on the chosen portals only, the home page's slot, the
offer and codes only on those portals and between the dates, and the results of a scripted
scenario (visits, a code used, an order) counted without tracking anyone."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from portal.campaigns.models import Attribution, Campaign, LandingVisit
from portal.campaigns.offers import refusal_elsewhere
from portal.campaigns.results import results, results_csv
from shop.catalogue.scoping import offered_in
from tests.campaign_support import campaign
from tests.conftest import portal_client
from tests.orders_support import basket_with, citizen, place

pytestmark = pytest.mark.django_db
Applicator = get_class("offer.applicator", "Applicator")
Voucher = get_model("voucher", "Voucher")


def shared_service(*territories):
    """A service sold on its own (no packages) on every one of ``territories``."""
    products = offered_in(territories[0]).filter(structure="standalone")
    for territory in territories[1:]:
        products = products.filter(pk__in=offered_in(territory).values("pk"))
    return products.order_by("pk").first()


def landing(made, territory):
    return made.landings.get(territory=territory).page.specific


@contextmanager
def at(moment):
    """The clock at ``moment`` (Django's, and Oscar's active offers' own import of it)."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("oscar.apps.offer.managers.now", return_value=moment),
    ):
        yield


# -- scheduling --------------------------------------------------------------------------------


def test_the_landing_page_is_live_only_between_the_dates(territories):
    sondrio, napoli, rho = territories["sondrio"], territories["napoli"], territories["rho"]
    made = campaign([sondrio, napoli], starts_in=timedelta(days=2), lasts=timedelta(days=10))
    page = landing(made, sondrio)
    assert not page.live and page.go_live_at == made.starts_at
    assert portal_client("sondrio").get(f"/{page.slug}/").status_code == 404
    assert not made.landings.filter(territory=rho).exists()  # not a targeted portal

    with at(made.starts_at + timedelta(minutes=1)):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    response = portal_client("sondrio").get(f"/{page.slug}/")
    assert response.status_code == 200
    assert "Buoni regalo per Natale" in response.text
    assert "private" in response["Cache-Control"]  # never kept by a shared cache: counted

    with at(made.ends_at + timedelta(minutes=1)):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired
    assert portal_client("sondrio").get(f"/{page.slug}/").status_code == 404


def test_the_home_page_announces_a_running_campaign_on_its_portals_only(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    made = campaign([sondrio, napoli])
    page = landing(made, napoli)
    assert page.live  # its start has come: published at once
    home = portal_client("napoli").get("/", HTTP_COOKIE="seen=1")
    assert "Un buono regalo per chi ami." in home.text
    assert f'href="/{page.slug}/"' in home.text
    assert "Un buono regalo per chi ami." not in portal_client("rho").get("/").text
    footer = home.text.split("<footer", 1)[1]
    assert f'href="/{page.slug}/"' not in footer  # announced in its slot, not a footer link
    with at(made.ends_at + timedelta(minutes=1)):
        call_command("publish_scheduled")
        assert "Un buono regalo" not in portal_client("napoli").get("/", HTTP_COOKIE="x=2").text


def test_visits_are_a_daily_count_and_keep_nothing_about_the_visitor(territories):
    sondrio = territories["sondrio"]
    made = campaign([sondrio])
    page = landing(made, sondrio)
    client = portal_client("sondrio")
    for _ in range(3):
        response = client.get(f"/{page.slug}/")
        assert response.status_code == 200
        assert not response.cookies  # no cookie set by a landing page
    visits = LandingVisit.objects.get(page=page)
    assert (visits.day, visits.count) == (timezone.localdate(), 3)
    assert [f.name for f in LandingVisit._meta.fields] == ["id", "page", "day", "count"]


# -- the offer and the codes -------------------------------------------------------------------


def test_the_offer_applies_only_on_the_targeted_portals_and_dates(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    service = shared_service(sondrio, napoli)
    made = campaign([sondrio], discount="offer", products=[service], value=Decimal("20"))
    here, there = basket_with(sondrio, [service.upc]), basket_with(napoli, [service.upc])
    Applicator().apply(here)
    Applicator().apply(there)
    assert here.total_discount > 0
    assert there.total_discount == 0
    later = basket_with(sondrio, [service.upc])
    with at(made.ends_at + timedelta(minutes=1)):
        Applicator().apply(later)
    assert later.total_discount == 0


def test_a_code_works_once_on_a_targeted_portal_and_is_refused_elsewhere(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    service = shared_service(sondrio, napoli)
    made = campaign([sondrio], discount="codes", products=[service], codes=3)
    code = made.voucher_set.vouchers.order_by("code").first().code
    assert made.voucher_set.vouchers.count() == 3

    # on Napoli the code is refused with a message naming where it is valid
    client = portal_client("napoli")
    client.force_login(citizen())
    client.post(f"/shop/basket/add/{service.pk}/", {"quantity": 1})
    response = client.post("/shop/basket/vouchers/add/", {"code": code}, follow=True)
    assert f"è valido solo su: {sondrio.name}" in response.text
    assert not response.context["request"].basket.vouchers.exists()

    # on Sondrio it gives its discount
    client = portal_client("sondrio")
    client.force_login(citizen())
    client.post(f"/shop/basket/add/{service.pk}/", {"quantity": 1})
    response = client.post("/shop/basket/vouchers/add/", {"code": code}, follow=True)
    basket = response.context["request"].basket
    assert basket.vouchers.filter(code=code).exists()
    assert basket.total_discount > 0


def test_a_code_is_not_valid_before_the_campaign_starts(territories):
    sondrio = territories["sondrio"]
    service = shared_service(sondrio)
    made = campaign(
        [sondrio], discount="codes", products=[service], codes=1, starts_in=timedelta(days=3)
    )
    voucher = made.voucher_set.vouchers.get()
    assert not voucher.is_active()
    assert refusal_elsewhere(voucher, sondrio) is None
    with at(made.starts_at + timedelta(hours=1)):
        assert voucher.is_active()


# -- results -----------------------------------------------------------------------------------


def test_results_of_a_scripted_scenario(territories):
    """Two portals; Sondrio: 4 visits, one order with a code, one after the landing page;
    Napoli: 1 visit and nothing bought."""
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    service = shared_service(sondrio, napoli)
    made = campaign([sondrio, napoli], discount="codes", products=[service], codes=2)
    sondrio_page, napoli_page = landing(made, sondrio), landing(made, napoli)
    for _ in range(4):
        portal_client("sondrio").get(f"/{sondrio_page.slug}/")
    portal_client("napoli").get(f"/{napoli_page.slug}/")

    # a citizen places an order with a code
    buyer = citizen("anna@example.it")
    basket = basket_with(sondrio, [service.upc], user=buyer)
    voucher = made.voucher_set.vouchers.order_by("code").first()
    basket.vouchers.add(voucher)
    Applicator().apply(basket, buyer)
    with_code = place(basket, user=buyer)

    # another arrives from the landing page and adds the service to a basket
    client = portal_client("sondrio")
    client.force_login(citizen("luca@example.it"))
    client.get("/shop/", HTTP_REFERER=f"http://sondrio.localhost/{sondrio_page.slug}/")
    client.post(f"/shop/basket/add/{service.pk}/", {"quantity": 1})
    from shop.basket.models import Basket

    arrived = Basket.objects.filter(owner__email="luca@example.it").get()
    arrived.strategy = basket.strategy
    Applicator().apply(arrived, arrived.owner)
    from_landing = place(arrived, user=arrived.owner)
    # and an order with no campaign at all is not counted
    unrelated = basket_with(sondrio, [service.upc], user=citizen("other@example.it"))
    place(unrelated, user=unrelated.owner)

    assert Attribution.objects.get(order=with_code).via == "code"
    assert Attribution.objects.get(order=from_landing).via == "landing"
    result = results(made)
    s, n = result.by_portal[sondrio.name], result.by_portal[napoli.name]
    assert (s.visits, s.orders, s.codes) == (4, 2, 1)
    assert s.revenue == with_code.total_incl_tax + from_landing.total_incl_tax
    assert (n.visits, n.orders, n.codes, n.revenue) == (1, 0, 0, Decimal("0"))
    assert result.total.visits == 5
    csv_text = results_csv(result)
    today = timezone.localdate().isoformat()
    assert f"{sondrio.name},{today},4,0,0,2,{s.revenue},1" in csv_text
    assert f"{napoli.name},{today},1,0,0,0,0.00,0" in csv_text


def test_the_campaign_is_duplicated_for_next_year(territories):
    from portal.campaigns.scheduling import duplicate

    sondrio, napoli = territories["sondrio"], territories["napoli"]
    service = shared_service(sondrio, napoli)
    made = campaign([sondrio, napoli], discount="offer", products=[service])
    copy = duplicate(made)
    assert copy.starts_at.year == made.starts_at.year + 1
    assert set(copy.territories.all()) == {sondrio, napoli}
    assert copy.offer_id != made.offer_id
    assert list(copy.offer.benefit.range.included_products.all()) == [service]
    assert copy.landings.count() == 2
    assert not any(each.page.live for each in copy.landings.select_related("page"))
    assert Campaign.objects.count() == 2


def test_the_demo_campaign_runs_on_two_portals_and_is_made_once(territories):
    from portal.campaigns.demo import load_campaign

    made = load_campaign()
    assert made.name == "Buoni regalo per Natale"
    assert {t.slug for t in made.territories.all()} == {"sondrio", "cremona"}
    assert made.voucher_set.vouchers.count() == 50
    assert made.offer.benefit.range.included_products.exists()
    for landing in made.landings.select_related("page", "territory"):
        assert landing.page.live
        client = portal_client(landing.territory.slug)
        assert client.get(f"/{landing.page.slug}/").status_code == 200
        home = client.get("/", HTTP_COOKIE="seen=1")
        assert "Un servizio in regalo a Natale" in home.text
    assert results(made).total.visits == 2 * (12 + 30 + 21 + 1)
    assert load_campaign() == made and Campaign.objects.count() == 1


def test_results_count_the_campaigns_newsletter_sends_and_the_unsubscriptions_after(
    territories,
):
    from portal.newsletters.models import Delivery, Send
    from tests.newsletter_support import issue, subscriber

    sondrio, napoli = territories["sondrio"], territories["napoli"]
    made = campaign([sondrio, napoli])
    page = issue(title="Natale", tag="natale")
    made.issues.add(page)
    other = issue(title="Altro", tag="altro")  # not the campaign's
    now = timezone.now()
    readers = [subscriber(sondrio, f"s{i}@example.it") for i in range(3)]
    readers.append(subscriber(napoli, "n0@example.it"))
    send = Send.objects.create(issue=page)
    for reader in readers:
        Delivery.objects.create(send=send, subscriber=reader, state="sent", sent_at=now)
    Delivery.objects.create(
        send=Send.objects.create(issue=other),
        subscriber=subscriber(napoli, "n1@example.it"),
        state="sent",
        sent_at=now,
    )
    left = readers[0]
    left.status, left.unsubscribed_at = "unsubscribed", now + timedelta(minutes=5)
    left.save()
    result = results(made)
    assert (result.by_portal[sondrio.name].sends, result.by_portal[napoli.name].sends) == (3, 1)
    assert result.by_portal[sondrio.name].unsubscribes == 1
    assert result.by_portal[napoli.name].unsubscribes == 0


def test_a_portal_taken_off_the_campaign_loses_its_landing_page(territories):
    from portal.campaigns.scheduling import create_landing_pages

    sondrio, napoli = territories["sondrio"], territories["napoli"]
    made = campaign([sondrio, napoli])
    assert landing(made, napoli).live
    made.territories.set([sondrio])
    create_landing_pages(made)
    assert not landing(made, napoli).live and landing(made, sondrio).live
    assert portal_client("napoli").get(f"/{landing(made, napoli).slug}/").status_code == 404
    assert "Un buono regalo" not in portal_client("napoli").get("/", HTTP_COOKIE="x=1").text


def test_an_order_with_the_campaigns_offer_is_attributed_to_it(territories):
    sondrio = territories["sondrio"]
    service = shared_service(sondrio)
    made = campaign([sondrio], discount="offer", products=[service])
    buyer = citizen("offerta@example.it")
    basket = basket_with(sondrio, [service.upc], user=buyer)
    Applicator().apply(basket, buyer)
    order = place(basket, user=buyer)
    attribution = Attribution.objects.get(order=order)
    assert (attribution.campaign, attribution.via) == (made, "offer")
    assert results(made).by_portal[sondrio.name].orders == 1


def test_a_landing_page_notes_its_campaign_in_a_session_the_visitor_already_has(territories):
    from portal.campaigns.attribution import SESSION_KEY

    sondrio = territories["sondrio"]
    made = campaign([sondrio])
    client = portal_client("sondrio")
    client.force_login(citizen("sessione@example.it"))  # a session already
    client.get(f"/{landing(made, sondrio).slug}/")
    assert client.session[SESSION_KEY] == made.pk
    anonymous = portal_client("sondrio")
    anonymous.get(f"/{landing(made, sondrio).slug}/")
    assert SESSION_KEY not in anonymous.session  # no session started for a visit


def test_new_dates_never_publish_an_editors_unpublished_draft(territories):
    sondrio = territories["sondrio"]
    made = campaign([sondrio])
    page = landing(made, sondrio)
    assert page.live
    shown = page.title
    draft = page.get_latest_revision_as_object()
    draft.title = "Bozza non ancora pronta"
    draft.save_revision()

    made.ends_at += timedelta(days=7)
    made.save()
    from portal.campaigns.scheduling import create_landing_pages

    create_landing_pages(made)

    page.refresh_from_db()
    assert page.live and page.expire_at == made.ends_at
    response = portal_client("sondrio").get(f"/{page.slug}/")
    assert shown in response.text and "Bozza non ancora pronta" not in response.text
    # the editor's draft is still theirs, with the new dates, waiting to be published
    latest = page.get_latest_revision_as_object()
    assert latest.title == "Bozza non ancora pronta" and page.has_unpublished_changes
    assert abs(latest.expire_at - made.ends_at) < timedelta(milliseconds=1)  # as serialised


def test_the_landing_page_lists_the_services_it_discounts_on_its_portal(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    service = shared_service(sondrio, napoli)
    made = campaign([sondrio], discount="offer", products=[service], value=Decimal("10"))
    html = portal_client("sondrio").get(f"/{landing(made, sondrio).slug}/").text
    assert "I servizi di questa campagna" in html
    assert f'href="{service.get_absolute_url()}"' in html and service.title in html

    plain = campaign([napoli], name="Senza sconto", slug="senza-sconto")
    html = portal_client("napoli").get(f"/{landing(plain, napoli).slug}/").text
    assert "I servizi di questa campagna" not in html
