"""WCAG 2.1 AA as served: axe-core in Chromium and the Nu HTML checker on the served HTML.

Both come from npm (``package.json``: axe-core, vnu-jar); the Nu checker needs a Java runtime.
``tests/e2e/test_accessibility_browser.py`` walks every page type of both themes in every
language of a portal with them. Run by hand against a dev server::

    .venv/bin/python -m tests.e2e.audit http://sondrio.localhost:8106 http://cremona.localhost:8106
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}
# the checker's advice on HTML that is valid (e.g. "the type attribute is unnecessary")
NU_IGNORED = ("Trailing slash on void elements",)


# What the browser is shown (HTML, CSS, scripts) comes from the templates and the same rows
# whatever the engine under them: a test that only checks it runs in the SQLite suite, and the
# PostgreSQL suite keeps the browser tests that write (a purchase, a sign-up, a translation).
front_end_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="checks only what the browser is shown, which does not depend on the database: "
    "it runs in the SQLite suite",
)


def tools_missing() -> str | None:
    """Why the audit cannot run here, or None."""
    if not shutil.which(CHROMIUM):
        return "Debian's Chromium is missing: `make test` installs it"
    if not AXE.exists() or not VNU.exists():
        return "axe-core or vnu-jar is missing: `make assets` installs them"
    if not shutil.which("java"):
        return "the Nu checker needs Java: apt-get install -y default-jre-headless"
    return None


@dataclass
class Audit:
    """What axe found in the browser and the served HTML kept for the Nu checker."""

    axe: dict[str, list[str]] = field(default_factory=dict)  # url -> serious findings
    html: dict[str, str] = field(default_factory=dict)  # url -> served HTML
    statuses: dict[str, int] = field(default_factory=dict)

    def check(self, page, url: str, expect_status: int = 200) -> None:
        """Open ``url`` in ``page``, keep its served HTML and run axe on what it shows."""
        response = page.goto(url)
        self.statuses[url] = response.status
        self.html[url] = response.text()
        self.run_axe(page, url)

    def run_axe(self, page, url: str) -> None:
        """Run axe on what ``page`` shows now, recorded under ``url``."""
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'best-practice']},
                resultTypes: ['violations'],
            })"""
        )
        found = []
        for violation in result["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
                found.append(f"{violation['impact']}: {violation['id']} {targets}")
        self.axe[url] = found

    def keep_html(self, url: str, html: str) -> None:
        self.html[url] = html

    def nu_errors(self) -> dict[str, list[str]]:
        """The Nu checker's errors on each kept page (one Java start for all of them)."""
        with tempfile.TemporaryDirectory() as folder:
            names = {}
            for number, (url, html) in enumerate(self.html.items()):
                path = Path(folder) / f"page{number}.html"
                path.write_text(html)
                names[path.name] = url
            completed = subprocess.run(
                ["java", "-jar", str(VNU), "--errors-only", "--format", "json", folder],
                capture_output=True,
                text=True,
                timeout=300,
            )
            messages = json.loads(completed.stderr or completed.stdout)["messages"]
        errors: dict[str, list[str]] = {url: [] for url in self.html}
        for message in messages:
            if message.get("type") != "error" or message["message"].startswith(NU_IGNORED):
                continue
            url = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
            errors.setdefault(url, []).append(
                f"line {message.get('lastLine')}: {message['message']}"
                f" [{' '.join(message.get('extract', '').split())[:80]}]"
            )
        return errors

    def report(self) -> tuple[int, int, str]:
        """(serious axe findings, Nu errors, a readable list of both)."""
        nu = self.nu_errors()
        lines = []
        for url in self.html.keys() | self.axe.keys():
            found = self.axe.get(url, []) + [f"nu: {error}" for error in nu.get(url, [])]
            if found:
                lines.append(url)
                lines += [f"    {item}" for item in found]
        axe_count = sum(len(found) for found in self.axe.values())
        nu_count = sum(len(found) for found in nu.values())
        return axe_count, nu_count, "\n".join(sorted(lines, key=lambda x: x))


def portal_paths(slug: str, every_standard_page: bool = True) -> list[str]:
    """One address per public page type of a portal, in each of its languages.

    Read from the database (slugs are translated): every live page type of each language's
    tree, the standard pages one by one (privacy, accessibility statement…; only the first
    unless ``every_standard_page``), a service, a gift voucher, a category, and the shop's
    pages that need no basket.
    """
    from oscar.core.loading import get_model

    from portal.territories.models import Territory

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    territory = Territory.objects.select_related("site").get(slug=slug)
    home = territory.site.root_page
    paths: list[str] = []
    offered = Product.objects.filter(stockrecords__territory=territory).distinct()
    service = offered.filter(product_class__slug="servizio").first() or offered.first()
    service = service.parent or service if service else None
    voucher = (
        offered.exclude(pk=getattr(service, "pk", None))
        .filter(product_class__slug="buono-regalo")
        .first()
    )
    category = Category.objects.filter(product__in=offered).first()
    for home_page in [home, *home.get_translations()]:
        code = home_page.locale.language_code
        prefix = "" if code == "it" else f"/{code}"
        seen = set()
        for page in home_page.get_descendants(inclusive=True).live().specific():
            kind = type(page).__name__
            if kind in seen and (kind != "StandardPage" or not every_standard_page):
                continue
            seen.add(kind)
            paths.append(page.relative_url(territory.site))
        paths += [
            f"{prefix}/search/?q=assistenza",
            f"{prefix}/shop/catalogue/",
            f"{prefix}/shop/basket/",
            f"{prefix}/shop/accounts/login/",
            f"{prefix}/shop/giftcards/balance/",
            f"{prefix}/punti-sociali/",
            f"{prefix}/pagina-che-non-esiste/",
        ]
        for product in (service, voucher):
            if product is not None:
                with translation_override(code):
                    paths.append(product.get_absolute_url())
        if category is not None:
            with translation_override(code):
                paths.append(category.get_absolute_url())
    return paths


def shop_journey(audit: Audit, page, base: str, product_path: str, prefix: str = "") -> None:
    """Basket, the checkout's e-mail step and its booking step, with a service in the basket."""
    page.goto(base + product_path)
    package = page.locator("input[name=child_id]")
    if package.count():
        package.first.check()
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state()
    audit.check(page, f"{base}{prefix}/shop/basket/#full")
    audit.check(page, f"{base}{prefix}/shop/checkout/")
    page.fill("input[name=username]", "audit@example.it")
    page.check("input[name=options][value=anonymous]")
    page.locator("form").filter(has=page.locator("input[name=username]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()
    audit.check(page, page.url)


def translation_override(code: str):
    from django.utils import translation

    return translation.override(code)


def main(bases: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    audit = Audit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        for base in bases:
            slug = base.split("//")[1].split(".")[0]
            paths = portal_paths(slug)
            for path in paths:
                audit.check(page, base + path)
            product = next(path for path in paths if "/catalogue/" in path and "_" in path)
            shop_journey(audit, page, base, product)
        browser.close()
    axe_count, nu_count, text = audit.report()
    print(text)
    print(f"axe serious/critical: {axe_count}, Nu errors: {nu_count}, pages: {len(audit.html)}")
    return 0


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    django.setup()
    sys.exit(main(sys.argv[1:]))
