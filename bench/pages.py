"""Every public page type of a portal, as ratios to a bare Django view measured in the same run.

Each page is measured twice with wrk (2 threads, 8 connections) against gunicorn (2 workers)
on loopback: for a visitor without cookies (whom the whole-page cache may serve) and for a
signed-in citizen with a service in the basket (rendered every time: the harder case, that of
anyone with a session). Then the bare view (bench/bare_django.py) on the same port. Writes
``bench/results/pages.json`` and prints a table.

Run by bench/run.sh (which builds the database), or on its own against that database:

    DJANGO_SETTINGS_MODULE=portal.settings.bench \\
    DATABASE_URL=sqlite:///$PWD/bench/results/bench.sqlite3 .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CITIZEN = "bench.cittadina@example.it"


def page_paths(slug: str) -> dict[str, str]:
    """One address per public page type of portal ``slug``, read from its database."""
    from django.utils import translation
    from oscar.core.loading import get_model

    from portal.bookshop.models import ReadingTipPage
    from portal.content.models import (
        NewsIndexPage,
        NewsPage,
        ReadingTipIndexPage,
        ServicePage,
        WebinarIndexPage,
    )
    from portal.events.models import WebinarPage
    from portal.territories.models import Territory

    Product = get_model("catalogue", "Product")
    territory = Territory.objects.select_related("site").get(slug=slug)
    site = territory.site
    tree = site.root_page.get_descendants(inclusive=True).live()
    paths = {"home": "/"}

    def first(model, name: str) -> None:
        page = tree.type(model).first()
        if page is not None:
            paths[name] = page.relative_url(site)

    first(NewsIndexPage, "news index")
    first(NewsPage, "article")
    first(WebinarIndexPage, "webinar index")
    first(WebinarPage, "webinar")
    first(ReadingTipIndexPage, "reading tips")
    first(ReadingTipPage, "reading tip")
    first(ServicePage, "service page")
    paths["catalogue"] = "/shop/catalogue/"
    product = (
        Product.objects.filter(stockrecords__territory=territory, product_class__slug="servizio")
        .order_by("pk")
        .first()
    )
    with translation.override("it"):
        category = product.get_categories().first() if product else None
        if category is not None:
            paths["category"] = category.get_absolute_url()
        if product is not None:
            paths["product"] = product.get_absolute_url()
    paths["search"] = "/search/?q=assistenza"
    paths["basket"] = "/shop/basket/"
    paths["account orders"] = "/shop/accounts/orders/"
    return paths


def citizen_cookie(slug: str, email: str = CITIZEN) -> str:
    """A signed-in citizen's session, with one service in the basket: the Cookie header."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from portal.territories.models import Territory
    from shop.partner.strategy import TerritoryStrategy

    Basket = get_model("basket", "Basket")
    StockRecord = get_model("partner", "StockRecord")
    territory = Territory.objects.get(slug=slug)
    User = get_user_model()
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        username=email, email=email, password=None
    )
    basket = Basket.objects.filter(owner=user, status="Open", territory=territory).first()
    if basket is None:
        basket = Basket.objects.create(owner=user, territory=territory)
        basket.strategy = TerritoryStrategy(territory=territory)
        offer = StockRecord.objects.filter(
            territory=territory, product__structure="standalone"
        ).first()
        basket.add_product(offer.product, 1)
    return session_cookie(user)


def session_cookie(user) -> str:
    """A new session signed in as ``user``, as the Cookie header that carries it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wait_for(port: int, host: str, headers: dict[str, str] | None = None) -> None:
    """Until the server on ``port`` answers ``/`` for ``host`` (with ``headers``: behind a
    proxy, production settings redirect a request without ``X-Forwarded-Proto``)."""
    for _ in range(100):
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/", headers={"Host": host, **(headers or {})}
            )
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server on 127.0.0.1:{port}")


def status(port: int, host: str, path: str, cookie: str = "") -> int:
    headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=30).status  # noqa: S310 (loopback)
    except urllib.error.HTTPError as error:
        return error.code


def wrk(port: int, path: str, duration: str, headers: dict[str, str]) -> float:
    """Requests/s; non-2xx answers make the measurement void (0)."""
    command = ["wrk", "-t2", "-c8", f"-d{duration}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        return 0.0
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def serve(args: list[str], cwd: Path = ROOT, workers: int = 2, env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [GUNICORN, *args, "--workers", str(workers), "--log-level", "warning"],
        cwd=cwd,
        env=os.environ if env is None else env,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="sondrio")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8765")))
    parser.add_argument("--duration", default=os.environ.get("DURATION", "5s"))
    options = parser.parse_args()

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    paths = page_paths(options.slug)
    cookie = citizen_cookie(options.slug)
    host = f"{options.slug}.localhost"
    port = options.port

    server = serve(["portal.wsgi:application", "--bind", f"127.0.0.1:{port}"])
    rows = []
    try:
        wait_for(port, host)
        print(f"load average before: {os.getloadavg()[0]:.2f} (other work lowers requests/s)")
        for name, path in paths.items():
            anonymous = signed_in = 0.0
            if name not in ("basket", "account orders"):  # those are someone's
                code = status(port, host, path)
                anonymous = wrk(port, path, options.duration, {"Host": host}) if code == 200 else 0
            if status(port, host, path, cookie) == 200:
                signed_in = wrk(port, path, options.duration, {"Host": host, "Cookie": cookie})
            rows.append({"page": name, "path": path, "anonymous": anonymous, "session": signed_in})
            print(f"  {name:<15} {anonymous:8.0f} req/s anonymous  {signed_in:8.0f} with a session")
    finally:
        server.terminate()
        server.wait()

    bare_server = serve(["bare_django:application", "--bind", f"127.0.0.1:{port}"], ROOT / "bench")
    try:
        wait_for(port, "localhost")
        bare = wrk(port, "/", options.duration, {})
    finally:
        bare_server.terminate()
        bare_server.wait()

    print(f"\nbare Django view: {bare:.0f} req/s (the yardstick)\n")
    print("| page | path | anonymous / bare | with a session / bare |\n|---|---|---|---|")
    for row in rows:
        row["anonymous_ratio"] = round(row["anonymous"] / bare, 3) if bare else 0
        row["session_ratio"] = round(row["session"] / bare, 3) if bare else 0
        anon = f"{row['anonymous_ratio']:.3f}" if row["anonymous"] else "–"
        print(f"| {row['page']} | `{row['path']}` | {anon} | {row['session_ratio']:.3f} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps({"bare": bare, "pages": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
