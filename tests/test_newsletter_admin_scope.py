"""Communications staff in the admin: they write, preview and send newsletter issues, and
reach nothing else. Every URL pattern of the admin and the dashboard is requested as a
member of the communications group, with a portal's objects (canaries planted by the
isolation sweep): no canary comes back, nothing changes, and every view that names one of
the portal's objects answers 403 or 404 (or sends to the login page)."""

import logging

import pytest
from django.db import connection, transaction
from django.test import Client

from tests.newsletter_support import communications_user, issue
from tests.test_isolation_sweep import (
    NO_POST,
    PATTERNS,
    POST_DATA,
    _tokens,
    _Writes,
    body_of,
    fingerprint,
    plant,
    requests_for,
    swept_patterns,
)

pytestmark = pytest.mark.django_db

# what communications staff may open: the admin's frame, the newsletter archive's pages, the
# send views of an issue (the canaries' pages are the portals', never these)
NEWSLETTER_VIEWS = {"newsletters_send", "newsletters_send_test"}
# and the campaigns (portal/campaigns): every campaign, whichever portals it targets, and the
# services of the shared catalogue its discount may apply to
CAMPAIGN_VIEWS = {
    "campaigns_index",
    "campaigns_add",
    "campaigns_edit",
    "campaigns_duplicate",
    "campaigns_codes",
    "campaigns_codes_csv",
    "campaigns_results",
    "campaigns_results_csv",
}
CAMPAIGN_MAY_SEE = {"zqxk-campaign", "zqxk-product"}


def kinds_of(name, route) -> set[str]:
    """The kinds of object a pattern's arguments name (not its literal arguments)."""
    variants = PATTERNS[(name, route)]
    variants = variants if isinstance(variants, list) else [variants]
    return {kind for v in variants for kind in v.values() if not kind.startswith("=")}


def test_communications_staff_reach_newsletters_and_nothing_else(territories):
    victim, attacker = territories["sondrio"], territories["napoli"]
    objects = plant(victim, attacker)
    user = communications_user()
    client = Client(HTTP_HOST=f"{attacker.slug}.localhost", raise_request_exception=False)
    client.force_login(user)
    before = fingerprint(victim)
    portal_kinds = {
        k for k in objects if k not in ("newsletter_issue", "campaign", "locale", "newscategory")
    }
    leaks, writes, opened = [], [], []
    logging.disable(logging.CRITICAL)
    try:
        for name, route in swept_patterns():
            for view, url in requests_for(name, route, objects):
                names_portal_object = bool(kinds_of(name, route) & portal_kinds)
                for method in ("get", "post"):
                    if view in NO_POST and method == "post":
                        continue
                    wrote = _Writes()
                    with transaction.atomic(), connection.execute_wrapper(wrote):
                        response = getattr(client, method)(
                            url, POST_DATA if method == "post" else None
                        )
                        found = _tokens(body_of(response)) - {"zqxk-issue"}  # theirs
                        if view in CAMPAIGN_VIEWS:
                            found -= CAMPAIGN_MAY_SEE
                        if found:
                            leaks.append((method, url, sorted(found)))
                        if (
                            method == "post"
                            and view not in CAMPAIGN_VIEWS  # a duplicate adds landing pages
                            and wrote.any
                            and fingerprint(victim) != before
                        ):
                            writes.append((method, url))
                        if (
                            names_portal_object
                            and view not in NEWSLETTER_VIEWS
                            and response.status_code < 400
                            and "/login/" not in response.get("Location", "")
                        ):
                            opened.append((method, url, response.status_code))
                        transaction.set_rollback(True)
                    if view in NO_POST:
                        client.force_login(user)
    finally:
        logging.disable(logging.NOTSET)
    assert not leaks, leaks[:20]
    assert not writes, writes[:20]
    assert not opened, opened[:20]


def test_communications_staff_edit_and_send_issues_but_no_portal_page_or_setting(territories):
    page = issue()
    client = Client(HTTP_HOST="sondrio.localhost")
    client.force_login(communications_user())
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get(f"/admin/newsletters/{page.pk}/send/").status_code == 200
    archive = page.get_parent()
    assert (
        client.get(f"/admin/pages/add/newsletters/newsletterissuepage/{archive.pk}/").status_code
        == 200
    )
    sondrio = territories["sondrio"]
    home = sondrio.site.root_page
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 404
    assert client.get(f"/admin/pages/add/content/standardpage/{home.pk}/").status_code == 404
    assert (
        client.get(f"/admin/settings/territories/portalsettings/{sondrio.site_id}/").status_code
        == 404
    )
    assert client.get("/admin/users/").status_code == 404
    assert client.get("/shop/dashboard/orders/").status_code in (302, 403, 404)
    # an editor of a portal cannot send a newsletter
    editor = sondrio.editors.user_set.first()
    client.force_login(editor)
    assert client.get(f"/admin/newsletters/{page.pk}/send/").status_code == 404
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 404
