"""Sign-up confirmed by e-mail, in Chromium: the register form, the "check your e-mail" page,
the e-mailed link's page and its button, then the account page; axe finds nothing serious
on the new pages (the error page of a used link too)."""

import os
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.e2e.audit import Audit, tools_missing
from tests.e2e.test_purchase_browser import browser, portal_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing()))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

EMAIL = "browser.signup@example.it"


@pytest.fixture
def cleaned(django_db_setup, django_db_blocker):
    """The live server commits: take away what the test made."""
    from django.contrib.auth import get_user_model

    from shop.customer.models import PendingSignup

    def clean():
        PendingSignup.objects.filter(email=EMAIL).delete()
        get_user_model().objects.filter(email=EMAIL).delete()

    with django_db_blocker.unblock():
        clean()
        yield
        clean()


@pytest.mark.usefixtures("cleaned")
def test_a_visitor_signs_up_through_the_e_mailed_link(browser, portal_server):  # noqa: F811
    from django.contrib.auth import get_user_model

    base = f"http://sondrio.localhost:{portal_server.port}"
    audit = Audit()
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/shop/accounts/login/")
    page.fill("#id_registration-email", EMAIL)
    page.fill("#id_registration-password1", "Girasole-Azzurro-77")
    page.fill("#id_registration-password2", "Girasole-Azzurro-77")
    page.click("button[name=registration_submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "Controlla la tua e-mail"
    audit.run_axe(page, "check your e-mail")
    assert not get_user_model().objects.filter(email=EMAIL).exists()

    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    [link] = re.findall(r"http://\S+/signup/\S+/", message.body)
    assert urlsplit(link).netloc == urlsplit(base).netloc
    audit.check(page, link)
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/shop/accounts/profile/"
    assert EMAIL in page.content()
    assert get_user_model().objects.filter(email=EMAIL, is_active=True).count() == 1

    used = context.new_page()
    audit.check(used, link)
    assert audit.statuses[link] == 410
    assert "già stato usato" in used.content()
    context.close()
    assert {url: found for url, found in audit.axe.items() if found} == {}
