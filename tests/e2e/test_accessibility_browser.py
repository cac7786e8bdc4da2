"""axe-core in Chromium on every page type of both themes, in every language of a portal.

Sondrio (italia; it, en, de) and Cremona (borgo; it, en), with the checkout's e-mail and
booking steps; no serious or critical finding.
"""

import os

import pytest

from tests.e2e.audit import Audit, portal_paths, shop_journey, tools_missing
from tests.e2e.test_purchase_browser import browser, portal_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(tools_missing() is not None, reason=str(tools_missing()))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.parametrize("slug", ["sondrio", "cremona"])
def test_axe_finds_nothing_serious_on_any_page_type(browser, portal_server, slug):  # noqa: F811
    base = f"http://{slug}.localhost:{portal_server.port}"
    audit = Audit()
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 800})
    page = context.new_page()
    paths = portal_paths(slug)
    wide = []
    for path in paths:
        audit.check(page, base + path)
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            wide.append(path)
    product = next(path for path in paths if "/catalogue/" in path and "_" in path)
    shop_journey(audit, page, base, product)
    context.close()
    findings = {url: found for url, found in audit.axe.items() if found}
    assert findings == {}
    assert wide == []  # WCAG 1.4.10: nothing scrolls sideways at 320 px
