"""Welfare managers set citizens' verified income bands in the admin, their own portal only;
every change is logged and shown to the citizen; Social Points on their page and the home."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from portal.welfare.bands import current_band, looks_like_amount, set_band
from portal.welfare.generator import ensure_welfare_office
from portal.welfare.models import BandChange, CitizenBand, IncomeBand, SocialPoint
from tests.conftest import portal_client
from tests.orders_support import citizen

pytestmark = pytest.mark.django_db
PendingSignup = get_model("customer", "PendingSignup")
NEXT_YEAR = date.today() + timedelta(days=365)


def resident(territory, email: str, first: str = "", last: str = "", tax_code: str = ""):
    """A citizen who signed up on ``territory``'s portal (so its managers may find them)."""
    user = citizen(email)
    user.first_name, user.last_name = first, last
    user.save()
    PendingSignup.objects.create(
        email=email, password="!", territory=territory, user=user, confirmed=timezone.now()
    )
    return user


def manager_of(territory, host: str | None = None):
    user = citizen(f"welfare-{territory.slug}@example.it")
    user.groups.add(ensure_welfare_office(territory)[0].group)
    client = Client(HTTP_HOST=host or f"{territory.slug}.localhost")
    client.force_login(user)
    return client, user


def band(territory, code: str) -> IncomeBand:
    return IncomeBand.objects.get(territory=territory, code=code)


def form(band_obj=None, **overrides) -> dict:
    data = {
        "band": band_obj.pk if band_obj else "",
        "expires_on": NEXT_YEAR.isoformat(),
        "reference": "ISEE 2026 protocollo INPS-ISEE-2026-00012345A-00",
        "tax_code": "",
        "social_point": "",
    }
    data.update(overrides)
    return data


# -- current_band ------------------------------------------------------------------------------


def test_current_band_is_one_query_and_none_when_expired_or_elsewhere(
    territories, django_assert_num_queries
):
    sondrio, cremona = territories["sondrio"], territories["cremona"]
    person, manager = resident(sondrio, "anna@example.it"), citizen("m@example.it")
    today = timezone.localdate()
    assert current_band(person, sondrio, today) is None
    set_band(
        person,
        sondrio,
        band(sondrio, "B"),
        actor=manager,
        expires_on=today + timedelta(days=30),
        reference="ISEE 2026 prot. INPS-1",
        social_point=None,
    )
    with django_assert_num_queries(1):
        assert current_band(person, sondrio, today).code == "B"
    assert current_band(person, sondrio, today + timedelta(days=30)).code == "B"
    assert current_band(person, sondrio, today + timedelta(days=31)) is None  # expired
    assert current_band(person, cremona, today) is None  # another portal's
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert current_band(AnonymousUser(), sondrio, today) is None


def test_amounts_are_recognised_and_references_are_not():
    for amount in ("ISEE 12345,67", "12.345,67", "€ 8000", "8000 euro", "12345.67", "ISEE 9500"):
        assert looks_like_amount(amount), amount
    for reference in (
        "ISEE 2026 protocollo INPS-ISEE-2026-00012345A-00",
        "DSU del 02.12.2026 n. 123456",
        "Attestazione ISEE ordinario 2026",
    ):
        assert not looks_like_amount(reference), reference


# -- the manager's admin -----------------------------------------------------------------------


def test_the_manager_finds_a_citizen_and_sets_the_band_logged(territories):
    sondrio = territories["sondrio"]
    client, manager = manager_of(sondrio)
    person = resident(sondrio, "giulia.bianchi@example.it", "Giulia", "Bianchi")
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("welfare_admin_index") in menu
    response = client.get(reverse("welfare_admin_index"))
    assert response.status_code == 302  # one portal: straight to its citizens
    search = reverse("welfare_admin_citizens", args=[sondrio.pk])
    # posted, never in the address (nor in access logs): a query string searches nothing
    assert client.get(search, {"q": "giulia"}).context["found"] is None
    for query in ("giulia bianchi", "BIANCHI", "giulia.bianchi@"):
        page = client.post(search, {"q": query}).content.decode()
        assert "giulia.bianchi@example.it" in page, query
    page_url = reverse("welfare_admin_citizen", args=[sondrio.pk, person.pk])
    html = client.get(page_url).content.decode()
    assert '<label class="w-field__label" for="id_reference">' in html
    assert (
        'aria-describedby="id_reference_helptext"' in html and 'id="id_reference_helptext"' in html
    )
    point = SocialPoint.objects.get(territory=sondrio, slug="tirano")
    response = client.post(
        page_url,
        form(band(sondrio, "A"), tax_code="bncglu80a41f712x", social_point=point.pk),
    )
    assert response.status_code == 302
    verified = CitizenBand.objects.get(territory=sondrio, citizen=person)
    assert (verified.band.code, verified.expires_on, verified.tax_code) == (
        "A",
        NEXT_YEAR,
        "BNCGLU80A41F712X",
    )
    assert verified.verified_by == manager and verified.social_point == point
    page = client.post(search, {"q": "BNCGLU80A41F712X"}).content.decode()
    assert "giulia.bianchi@example.it" in page  # now found by tax code too
    client.post(page_url, form(band(sondrio, "B"), social_point=point.pk))
    changes = list(BandChange.objects.filter(citizen=person).order_by("pk"))
    assert [(c.old_band, c.new_band) for c in changes] == [
        ("", "A – ISEE fino a 8.000 €"),
        ("A – ISEE fino a 8.000 €", "B – ISEE da 8.000 a 20.000 €"),
    ]
    assert changes[1].actor == manager and changes[1].social_point == point.name
    assert changes[1].reference == "ISEE 2026 protocollo INPS-ISEE-2026-00012345A-00"
    log = client.get(reverse("welfare_admin_log", args=[sondrio.pk])).content.decode()
    assert "<caption>" in log and "Giulia Bianchi" in log and "Social Point Tirano" in log
    client.post(page_url, form(None))  # withdrawn
    assert not CitizenBand.objects.filter(citizen=person).exists()
    assert BandChange.objects.filter(citizen=person).first().new_band == ""


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"reference": "ISEE 12345,67"}, "reference", "looks like an amount"),
        ({"reference": ""}, "reference", "reference of the document"),
        ({"expires_on": "2020-01-01"}, "expires_on", "today or later"),
        ({"expires_on": ""}, "expires_on", "valid until"),
        ({"tax_code": "ABC"}, "tax_code", "16 letters and digits"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(
    territories, overrides, field, message
):
    from wagtail.users.models import UserProfile

    sondrio = territories["sondrio"]
    client, manager = manager_of(sondrio)
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"
    profile.save()
    person = resident(sondrio, "luca@example.it")
    response = client.post(
        reverse("welfare_admin_citizen", args=[sondrio.pk, person.pk]),
        form(band(sondrio, "A"), **overrides),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CitizenBand.objects.filter(citizen=person).exists()
    assert not BandChange.objects.filter(citizen=person).exists()


def test_a_band_of_another_portal_is_not_a_choice(territories):
    sondrio = territories["sondrio"]
    other = IncomeBand.objects.create(territory=territories["cremona"], code="Z", label="x")
    client, _manager = manager_of(sondrio)
    person = resident(sondrio, "piero@example.it")
    response = client.post(
        reverse("welfare_admin_citizen", args=[sondrio.pk, person.pk]), form(other)
    )
    assert response.status_code == 400
    assert not CitizenBand.objects.exists()


def _found(client, territory, query):
    response = client.post(reverse("welfare_admin_citizens", args=[territory.pk]), {"q": query})
    return [person for person, _band in response.context["found"]]


# -- isolation ---------------------------------------------------------------------------------


def test_a_manager_of_one_portal_never_reaches_another_portals_citizens(territories):
    sondrio, cremona = territories["sondrio"], territories["cremona"]
    client, _manager = manager_of(sondrio)
    theirs = resident(cremona, "zqxk-cremonese@example.it", "Zqxk", "Cremonese")
    ours = resident(sondrio, "valtellinese@example.it", "Vera", "Valtellinese")
    other_client, other_manager = manager_of(cremona)
    set_band(
        theirs,
        cremona,
        IncomeBand.objects.create(territory=cremona, code="A", label="zqxk-band"),
        actor=other_manager,
        expires_on=NEXT_YEAR,
        reference="zqxk-reference",
        social_point=None,
    )
    for url in (
        reverse("welfare_admin_citizens", args=[cremona.pk]),
        reverse("welfare_admin_log", args=[cremona.pk]),
        reverse("welfare_admin_citizen", args=[cremona.pk, theirs.pk]),
        reverse("welfare_admin_citizen", args=[sondrio.pk, theirs.pk]),  # B's citizen, A's URL
    ):
        for method in (client.get, client.post):
            response = method(url, form(band(sondrio, "A")))
            assert response.status_code == 404, url
            assert "zqxk" not in response.content.decode().lower()
    page = client.post(
        reverse("welfare_admin_citizens", args=[sondrio.pk]), {"q": "example.it"}
    ).content.decode()
    assert "valtellinese@example.it" in page and "zqxk" not in page.lower()
    assert CitizenBand.objects.get(citizen=theirs).band.label == "zqxk-band"  # unchanged
    assert ours.pk in [u.pk for u in _found(client, sondrio, "Vera")]
    assert (
        other_client.get(reverse("welfare_admin_citizen", args=[cremona.pk, theirs.pk])).status_code
        == 200
    )


def test_who_is_not_a_manager_sees_no_welfare_menu(territories):
    editor = territories["sondrio"].editors.user_set.first()
    client = Client(HTTP_HOST="sondrio.localhost")
    client.force_login(editor)
    assert (
        reverse("welfare_admin_index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert client.get(reverse("welfare_admin_index")).status_code == 404
    assert (
        client.get(reverse("welfare_admin_citizens", args=[territories["sondrio"].pk])).status_code
        == 404
    )


# -- the citizen's account ---------------------------------------------------------------------


def test_the_citizen_sees_their_band_and_its_history_on_that_portal_only(territories):
    sondrio = territories["sondrio"]
    person = resident(sondrio, "rosa@example.it")
    _client, manager = manager_of(sondrio)
    manager.first_name, manager.last_name = "Marta", "Manager"
    manager.save()
    set_band(
        person,
        sondrio,
        band(sondrio, "B"),
        actor=manager,
        expires_on=NEXT_YEAR,
        reference="ISEE 2026 INPS-ISEE-2026-7",
        social_point=SocialPoint.objects.get(territory=sondrio, slug="sondrio-centro"),
    )
    client = portal_client("sondrio")
    client.force_login(person)
    page = client.get("/la-mia-fascia/").content.decode()
    assert "B – ISEE da 8.000 a 20.000 €" in page
    assert "Marta Manager" in page and "Social Point Sondrio centro" in page
    assert "<caption>" in page and 'href="/la-mia-fascia/"' in page  # the account tab
    elsewhere = portal_client("cremona")
    elsewhere.force_login(person)
    page = elsewhere.get("/la-mia-fascia/").content.decode()
    assert "ISEE da 8.000" not in page and "Marta Manager" not in page
    assert portal_client("sondrio").get("/la-mia-fascia/").status_code == 302  # sign in first


# -- Social Points -----------------------------------------------------------------------------


def test_the_social_points_page_lists_the_portals_own_points_in_its_language(territories):
    page = portal_client("cremona").get("/punti-sociali/").content.decode()
    assert "Social Point Cambonino" in page and "Via Panfilo Nuvolone 12" in page
    assert "Social Point Tirano" not in page  # Sondrio's
    english = portal_client("cremona").get("/en/punti-sociali/").content.decode()
    assert "<h1" in english and "Social Points" in english
    german = portal_client("cremona").get("/de/punti-sociali/").content.decode()
    assert "Soziale Anlaufstellen" in german


def test_the_home_page_shows_the_points_and_a_change_shows_at_once(territories):
    client = portal_client("cremona")
    assert "Social Point Cambonino" in client.get("/").content.decode()
    client.get("/")  # kept in the home page's fragment
    point = SocialPoint.objects.get(territory=territories["cremona"], slug="cremona-cambonino")
    point.name = "Social Point Cambonino (nuova sede)"
    point.save()
    assert "Cambonino (nuova sede)" in client.get("/").content.decode()
    point.delete()
    assert "Cambonino" not in client.get("/").content.decode()


def test_every_demo_portal_has_a_welfare_manager(territories):
    from django.contrib.auth import authenticate

    from portal.territories.demo import ensure_user
    from portal.welfare.demo import welfare_managers

    ensure_user("cittadino@example.it")
    made = welfare_managers(ensure_user)
    welfare_managers(ensure_user)  # re-runnable: the demo band is set once
    assert ("sondrio", "welfare.sondrio@welfare.localhost") in [(t.slug, e) for t, e in made]
    manager = authenticate(username="welfare.sondrio@welfare.localhost", password="demo")
    assert manager.groups.filter(welfare_office_of__territory__slug="sondrio").exists()
    client = Client(HTTP_HOST="sondrio.localhost")
    client.force_login(manager)
    response = client.get(reverse("welfare_admin_index"), follow=True)
    assert response.context["territory"] == territories["sondrio"]
    demo = CitizenBand.objects.get(citizen__email="cittadino@example.it")
    assert (demo.territory.slug, demo.band.code) == ("sondrio", "B")
    assert BandChange.objects.filter(citizen=demo.citizen).count() == 1


def test_a_manager_corrects_a_social_point_shown_at_once_and_kept_on_rebuild(territories):
    from django.core.management import call_command

    cremona, sondrio = territories["cremona"], territories["sondrio"]
    client, _manager = manager_of(cremona)
    point = SocialPoint.objects.get(territory=cremona, slug="cremona-centro")
    listing = client.get(reverse("welfare_admin_social_points", args=[cremona.pk]))
    assert "Social Point Cremona centro" in listing.content.decode()
    url = reverse("welfare_admin_social_point", args=[cremona.pk, point.pk])
    portal = portal_client("cremona")
    assert "Lun–Ven 8:30–12:30" in portal.get("/punti-sociali/").content.decode()
    portal.get("/")  # the home page's fragment is kept
    data = {
        "name": point.name,
        "address": point.address,
        "opening_hours": "Lun–Ven 8:00–13:00",
        "phone": point.phone,
    }
    assert client.post(url, {**data, "name": ""}).status_code == 400  # a name is required
    assert client.post(url, data).status_code == 302
    assert "Lun–Ven 8:00–13:00" in portal.get("/").content.decode()
    call_command("portal", "build", "sites/cremona.toml", verbosity=0)
    point.refresh_from_db()
    assert point.opening_hours == "Lun–Ven 8:00–13:00"  # the manager's change is kept
    theirs = SocialPoint.objects.filter(territory=sondrio).first()
    for url in (
        reverse("welfare_admin_social_points", args=[sondrio.pk]),
        reverse("welfare_admin_social_point", args=[sondrio.pk, theirs.pk]),
        reverse("welfare_admin_social_point", args=[cremona.pk, theirs.pk]),
    ):
        assert client.post(url, data).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.opening_hours != "Lun–Ven 8:00–13:00"


def test_the_search_and_the_log_cost_the_same_for_one_citizen_or_twenty(territories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sondrio = territories["sondrio"]
    client, manager = manager_of(sondrio)
    search = reverse("welfare_admin_citizens", args=[sondrio.pk])
    log = reverse("welfare_admin_log", args=[sondrio.pk])

    def costs() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as found:
            assert client.post(search, {"q": "contato"}).status_code == 200
        with CaptureQueriesContext(connection) as logged:
            assert client.get(log).status_code == 200
        return len(found), len(logged)

    def add(n: int) -> None:
        person = resident(sondrio, f"contato{n}@example.it", "Conta", f"Contato{n}")
        set_band(
            person,
            sondrio,
            band(sondrio, "A"),
            actor=manager,
            expires_on=NEXT_YEAR,
            reference=f"ISEE 2026 INPS-{n}",
            social_point=None,
        )

    add(0)
    client.post(search, {"q": "contato"})  # what any server has warm
    one = costs()
    for n in range(1, 20):
        add(n)
    twenty = costs()
    assert one == twenty, (one, twenty)
