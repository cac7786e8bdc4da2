"""The raw ISEE canary: a recognisable ISEE figure typed into every field a welfare manager can
fill is refused, and is found nowhere afterwards: not in the database (its whole dump), not
in the logs, not in the cache, not in an e-mail."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from portal.welfare.models import BandChange, CitizenBand, IncomeBand, SocialPoint
from tests.test_welfare import NEXT_YEAR, form, manager_of, resident

pytestmark = pytest.mark.django_db

FIGURE = "13579,24"
PLANTED = f"ISEE {FIGURE}"
# the same figure however it might have been normalised on the way
FORMS_OF_IT = (FIGURE, "13579.24", "13.579,24", "1357924")
FIELDS = ("band", "expires_on", "reference", "tax_code", "social_point")
User = get_user_model()


def database_dump() -> str:
    return "\n".join(connection.connection.iterdump())


def cached_bytes() -> bytes:
    found = []
    for cache in caches.all():
        store = getattr(cache, "_cache", None)  # local memory: pickled values by key
        assert store is not None, f"cannot read the {cache} cache here"
        for key, value in store.items():
            raw = value if isinstance(value, bytes) else repr(value).encode()
            found += [str(key).encode(), raw]
    return b"\n".join(found)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the dump is SQLite's iterdump")
def test_the_isee_figure_is_refused_everywhere_and_stored_nowhere(territories, caplog):
    caplog.set_level(logging.DEBUG)
    sondrio = territories["sondrio"]
    client, _manager = manager_of(sondrio)
    person = resident(sondrio, "canary@example.it", "Carla", "Canarino")
    page = reverse("welfare_admin_citizen", args=[sondrio.pk, person.pk])
    band = IncomeBand.objects.get(territory=sondrio, code="A")
    point = SocialPoint.objects.filter(territory=sondrio).first()

    search = client.post(reverse("welfare_admin_citizens", args=[sondrio.pk]), {"q": PLANTED})
    assert search.context["form"].errors.as_data()["q"][0].code == "isee_amount"
    assert search.context["found"] is None  # not searched for
    for field in FIELDS:
        data = form(band, **{"social_point": point.pk, field: PLANTED})
        response = client.post(page, data)
        assert response.status_code == 400, field
        assert response.context["form"].errors.get(field), field
        if field in ("reference", "tax_code"):
            assert response.context["form"].errors.as_data()[field][0].code == "isee_amount"
    assert not CitizenBand.objects.filter(citizen=person).exists()
    assert not BandChange.objects.filter(citizen=person).exists()

    # a citizen made at the desk (assisted mode): every text field
    new_citizen = reverse("welfare_admin_new_citizen", args=[sondrio.pk])
    desk = {
        "first_name": "Dario",
        "last_name": "Sportello",
        "tax_code": "SPRDRA80A01F712X",
        "phone": "+39 0342 555 0101",
        "email": "",
    }
    users_before = User.objects.count()
    for field in desk:
        response = client.post(new_citizen, {**desk, field: PLANTED})
        assert response.status_code == 400, field
        assert response.context["form"].errors.get(field), field
    assert User.objects.count() == users_before

    # a Social Point's details: the figure is refused, opening hours' times are not
    point_page = reverse("welfare_admin_social_point", args=[sondrio.pk, point.pk])
    details = {
        "name": point.name,
        "address": point.address,
        "opening_hours": "lun-ven 9.00-12.30, 14:30-17:00",
        "phone": "0342 555 0102",
    }
    for field in details:
        response = client.post(point_page, {**details, field: PLANTED})
        assert response.status_code == 400, field
        assert response.context["form"].errors.get(field), field
    assert client.post(point_page, details).status_code == 302
    point.refresh_from_db()
    assert point.opening_hours == details["opening_hours"]

    # a correct verification goes through: the dump and the cache are really searched
    good = "ISEE 2026 protocollo INPS-ISEE-2026-CANARY-00"
    assert client.post(page, form(band, reference=good, social_point=point.pk)).status_code == 302
    assert CitizenBand.objects.get(citizen=person).expires_on == NEXT_YEAR
    client.get(page)
    client.get("/", HTTP_HOST="sondrio.localhost")  # something in the cache

    dump, cached = database_dump(), cached_bytes()
    assert good in dump and cached
    logs = "\n".join(r.getMessage() for r in caplog.records)
    emails = "\n".join(m.subject + m.body for m in mail.outbox)
    for text in FORMS_OF_IT:
        assert text not in dump, text
        assert text.encode() not in cached, text
        assert text not in logs, text
        assert text not in emails, text
