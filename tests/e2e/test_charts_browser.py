"""The charts of /trasparenza/ in Debian's Chromium, under the policy the portal sends: the
charts script draws each chart from its JSON (the canvas shown), the table stays, and no
Content-Security-Policy violation is heard; on both themes and on the hub host."""

import os
import shutil

import pytest

from tests.e2e.test_csp_browser import Violations, new_context, opened
from tests.e2e.test_purchase_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    browser,
    portal_server,
)

pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason="Debian's Chromium is missing: `make test` installs it"
)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.parametrize("host", ["padova.localhost", "rho.localhost", "localhost"])
def test_the_transparency_charts_are_drawn_under_the_policy(browser, portal_server, host):  # noqa: F811
    violations = Violations()
    context = new_context(browser, violations)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    opened(page, f"http://{host}:{portal_server.port}/trasparenza/")
    page.wait_for_function(
        "document.querySelectorAll('figure[data-chart] .portal-chart-canvas:not([hidden])')"
        ".length === 3"
    )
    box = page.locator("#chart-months canvas").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    assert page.locator("#chart-months table caption").count() == 1  # the table stays
    context.close()
    assert not violations, violations.summary()
    assert not errors, errors
