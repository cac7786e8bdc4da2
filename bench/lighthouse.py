"""Lighthouse's performance score of the public pages, as production serves them.

gunicorn (2 workers) with the bench settings (no DEBUG) and WhiteNoise serving what
collectstatic wrote into a temporary STATIC_ROOT: hashed names with far-future Cache-Control,
gzip. Lighthouse from npm (package.json) drives Debian's Chromium in its default mobile
emulation (a mid-range phone on a slow 4G link, simulated). Each page is measured RUNS times
and the median run is reported: the machine is shared, and one run is noisy.

    .venv/bin/python bench/lighthouse.py              # builds bench/results/bench.sqlite3 first
    SKIP_BUILD=1 .venv/bin/python bench/lighthouse.py # the database as it is
    RUNS=5 PORT=8107 .venv/bin/python bench/lighthouse.py sondrio cremona
    PAGES=home,article .venv/bin/python bench/lighthouse.py cremona

Prints one row per page (score, FCP, LCP, TBT, CLS, JavaScript and CSS bytes as sent, and
unpacked); the reports are kept in bench/results/lighthouse/.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "lighthouse"
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("PORT", "8107"))
RUNS = int(os.environ.get("RUNS", "3"))
# italia's and borgo's demo portals
PORTALS = sys.argv[1:] or ["sondrio", "cremona"]
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
    "DATABASE_URL": f"sqlite:///{ROOT}/bench/results/bench.sqlite3",
    "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
}


def manage(*args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def fetch(slug: str, path: str) -> str:
    """A page of the portal, asked of 127.0.0.1 (Python resolves no *.localhost name)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"Host": f"{slug}.localhost"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def pages(slug: str) -> dict[str, str]:
    """Home, catalogue, the catalogue's first product and the portal's newest article."""
    base = f"http://{slug}.localhost:{PORT}"
    catalogue = fetch(slug, "/shop/catalogue/")
    product = re.search(r'href="(/shop/catalogue/[^"/]+_\d+/)"', catalogue)
    # the last line: Django's shell first tells how many names it imported
    article = manage("shell", "-c", ARTICLE_QUERY.format(slug=slug)).strip().splitlines()[-1]
    if not product or not article:
        raise SystemExit(f"{slug}: no product or no article to measure (is the demo loaded?)")
    urls = {
        "home": f"{base}/",
        "catalogue": f"{base}/shop/catalogue/",
        "product": base + product.group(1),
        "article": base + article,
    }
    wanted = os.environ.get("PAGES", ",".join(urls)).split(",")  # PAGES=home,article
    return {name: url for name, url in urls.items() if name in wanted}


ARTICLE_QUERY = """
from portal.content.models import NewsPage
from portal.territories.models import Territory
root = Territory.objects.get(slug="{slug}").site.root_page
page = NewsPage.objects.live().descendant_of(root).order_by("-first_published_at").first()
print(page.get_url_parts()[2] if page else "")
"""


def lighthouse(url: str, report: Path) -> dict[str, float]:
    """One run; a run whose trace lost its navigation start (NO_NAVSTART, Lighthouse's
    runtimeError on a loaded machine) is run again, up to twice."""
    for _attempt in range(3):
        report.unlink(missing_ok=True)
        data = run_lighthouse(url, report)
        if (data.get("runtimeError") or {}).get("code") != "NO_NAVSTART":
            break
        print(f"{url}: NO_NAVSTART, run again", file=sys.stderr)
    return figures(data)


def run_lighthouse(url: str, report: Path) -> dict:
    subprocess.run(
        [
            str(ROOT / "node_modules" / ".bin" / "lighthouse"),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        env=ENV,
        check=False,  # a lost trace may end the CLI with an error: the report tells
    )
    return (
        json.loads(report.read_text())
        if report.exists()
        else {"runtimeError": {"code": "NO_NAVSTART"}}
    )


def figures(data: dict) -> dict[str, float]:
    audits = data["audits"]
    sent = {"Script": 0, "Stylesheet": 0}
    unpacked = {"Script": 0, "Stylesheet": 0}
    for item in audits["network-requests"]["details"]["items"]:
        kind = item.get("resourceType")
        if kind in sent:
            sent[kind] += item.get("transferSize", 0)
            unpacked[kind] += item.get("resourceSize", 0)
    return {
        "score": round(data["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "js": sent["Script"] / 1024,
        "js_unpacked": unpacked["Script"] / 1024,
        "css": sent["Stylesheet"] / 1024,
        "css_unpacked": unpacked["Stylesheet"] / 1024,
    }


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("SKIP_BUILD"):
        manage("migrate", "-v0")
        manage("portal", "build", "-v0")
        manage("demo")
    static_root = tempfile.mkdtemp(prefix="portal-static-")
    ENV["PORTAL_STATIC_ROOT"] = static_root
    manage("collectstatic", "--no-input", "-v0")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{PORT}", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                fetch(PORTALS[0], "/")
                break
            except OSError:
                time.sleep(0.2)
        print(f"load average before: {os.getloadavg()[0]:.2f} (other work lowers the scores)")
        print(
            f"{'page':<28} {'score':>5} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6}"
            f" {'JS KB sent/unpacked':>20} {'CSS KB sent/unpacked':>21}"
        )
        for slug in PORTALS:
            for name, url in pages(slug).items():
                runs = [lighthouse(url, RESULTS / f"{slug}-{name}-{i}.json") for i in range(RUNS)]
                median = sorted(runs, key=lambda r: r["score"])[len(runs) // 2]
                scores = "/".join(str(r["score"]) for r in runs)
                print(
                    f"{slug + ' ' + name:<28} {median['score']:>5} {median['fcp']:>6.1f}"
                    f" {median['lcp']:>6.1f} {median['tbt']:>7.0f} {median['cls']:>6.3f}"
                    f" {median['js']:>9.0f}/{median['js_unpacked']:<10.0f}"
                    f" {median['css']:>9.0f}/{median['css_unpacked']:<10.0f} runs {scores}"
                    f" (median CLS of runs {statistics.median(r['cls'] for r in runs):.3f})",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", static_root], check=False)


if __name__ == "__main__":
    main()
