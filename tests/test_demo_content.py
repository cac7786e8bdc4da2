"""The demo's editorial content: news, a service story and a form per portal, loaded once."""

import pytest

from portal.content.demo import load_editorial
from portal.content.models import FormPage, NewsPage, ServicePage
from portal.territories.models import Territory
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db


def test_demo_news_service_story_and_form_are_loaded_once(territories):
    built = list(Territory.objects.select_related("site__root_page", "collection"))
    palette = {"primary": "#0b4f80", "secondary": "#5c2d91"}
    first = sum(load_editorial(t, palette) for t in built)
    counts = (NewsPage.objects.count(), ServicePage.objects.count(), FormPage.objects.count())
    again = sum(load_editorial(t, palette) for t in built)

    assert first == len(built) * 6  # four articles, one service story, one form
    assert again == 0
    assert counts == (
        NewsPage.objects.count(),
        ServicePage.objects.count(),
        FormPage.objects.count(),
    )
    home = portal_client("napoli").get("/").content.decode()
    assert "entra nella rete" in home and home.count('data-article="') == 3
    listing = portal_client("napoli").get("/notizie/").content.decode()
    assert "È online NapoliWelfare" in listing and listing.count('data-article="') == 4


def test_every_printed_demo_login_signs_in(territories):
    from django.contrib.auth import authenticate, get_user_model

    from portal.territories.demo import create_users

    logins = create_users()
    users = get_user_model().objects.count()
    again = create_users()
    assert {login.email for login in again} == {login.email for login in logins}
    assert get_user_model().objects.count() == users  # a second run adds nobody

    for login in logins:
        user = authenticate(username=login.email, password=login.password)
        assert user is not None and user.email == login.email, login
    assert authenticate(username=logins[0].email, password="not-the-demo-one") is None
