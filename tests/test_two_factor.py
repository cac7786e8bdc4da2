"""Two-factor sign-in: recovery codes for a lost phone, the reset, and where staff find it."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security.two_factor import new_recovery_codes
from tests.conftest import portal_client
from tests.test_hardening import token_of

pytestmark = pytest.mark.django_db

WRONG_RECOVERY = "Il codice di recupero non è corretto o è già stato usato."


def codes_on(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def enrolled(django_user_model, name="gina", **extra):
    """A staff member with a confirmed authenticator app and ten recovery codes."""
    user = django_user_model.objects.create_user(name, f"{name}@example.it", "x", **extra)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, new_recovery_codes(user)


def signed_in(user) -> Client:
    """A new session of ``user``: password given, second factor not yet."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_adding_an_app_shows_the_recovery_codes_once(territories, django_user_model):
    user = django_user_model.objects.create_user("ugo", "ugo@example.it", "x", is_staff=True)
    client = signed_in(user)
    client.get("/security/two-factor/")  # the QR code of a new key
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/security/two-factor/", {"token": token_of(device), "next": "/admin/"})
    assert response.status_code == 200
    shown = codes_on(response)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert "I tuoi codici di recupero" in response.content.decode()
    again = client.get("/security/two-factor/")
    assert codes_on(again) == []
    assert "Ti restano 10 codici di recupero non usati." in again.content.decode()


def test_a_recovery_code_signs_in_once_and_not_twice(territories, django_user_model):
    user, codes = enrolled(django_user_model)
    first = signed_in(user)
    assert "/security/two-factor/" in first.get("/admin/")["Location"]
    response = first.post(
        "/security/two-factor/", {"recovery_code": codes[0].upper(), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    second = signed_in(user)
    refused = second.post("/security/two-factor/", {"recovery_code": codes[0], "next": "/admin/"})
    assert refused.status_code == 400
    assert WRONG_RECOVERY in refused.content.decode()
    assert "/security/two-factor/" in second.get("/admin/")["Location"]


def test_a_wrong_recovery_code_is_refused_and_changes_nothing(territories, django_user_model):
    user, codes = enrolled(django_user_model)
    client = signed_in(user)
    refused = client.post(
        "/security/two-factor/", {"recovery_code": "aaaa-bbbb", "next": "/admin/"}
    )
    assert refused.status_code == 400
    assert WRONG_RECOVERY in refused.content.decode()
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == (sorted(codes))
    assert "/security/two-factor/" in client.get("/admin/")["Location"]


def test_new_recovery_codes_replace_the_old_ones(territories, django_user_model):
    user, old = enrolled(django_user_model)
    client = signed_in(user)
    client.post("/security/two-factor/", {"recovery_code": old[0], "next": "/admin/"})
    response = client.post("/security/two-factor/recovery-codes/", {"next": "/admin/"})
    new = codes_on(response)
    assert response.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    other = signed_in(user)
    stale = other.post("/security/two-factor/", {"recovery_code": old[1], "next": "/admin/"})
    assert stale.status_code == 400
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_new_recovery_codes_need_a_code_given_first(territories, django_user_model):
    user, old = enrolled(django_user_model)
    response = signed_in(user).post("/security/two-factor/recovery-codes/", {})
    assert response.status_code == 302 and codes_on(response) == []
    assert sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == (sorted(old))


@override_settings(PORTAL_TWO_FACTOR_REQUIRED=True)
def test_the_portal_command_resets_a_lost_second_factor(territories, django_user_model, capsys):
    boss, _codes = enrolled(django_user_model, "boss", is_superuser=True, is_staff=True)
    other, other_codes = enrolled(django_user_model, "other")
    call_command("portal", "reset-two-factor", "BOSS@example.it")
    assert "boss@example.it reset: 2 device(s) removed" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=boss).exists()
    assert not StaticToken.objects.filter(device__user=boss).exists()
    assert StaticToken.objects.filter(device__user=other).count() == 10  # only theirs
    client = signed_in(boss)
    page = client.get(client.get("/admin/")["Location"])
    assert "data:image/svg+xml" in page.content.decode()  # adds an app again

    with pytest.raises(CommandError, match="no user with the e-mail address 'nobody@example.it'"):
        call_command("portal", "reset-two-factor", "nobody@example.it")
    assert StaticToken.objects.filter(device__user=other).count() == 10


def test_staff_find_their_two_factor_page_in_the_admin_and_the_dashboard(territories):
    from shop.dashboard.orders.access import cooperative_staff_group

    editor = territories["sondrio"].editors.user_set.order_by("pk").first()
    client = portal_client("sondrio")
    client.force_login(editor)
    account = client.get("/admin/account/").content.decode()
    assert 'href="/security/two-factor/"' in account
    assert "Accesso in due passaggi" in account  # translated
    assert "/security/two-factor/" in client.get("/admin/").content.decode()  # Settings menu

    staff = editor.__class__.objects.create_user("coop", "coop@example.it", "x")
    staff.groups.add(cooperative_staff_group())
    from oscar.core.loading import get_model

    get_model("partner", "Partner").objects.filter(
        territories=territories["sondrio"]
    ).first().users.add(staff)
    client.force_login(staff)
    dashboard = client.get("/shop/dashboard/")
    assert dashboard.status_code == 200
    assert 'href="/security/two-factor/"' in dashboard.content.decode()
