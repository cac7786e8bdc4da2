"""p50/p95/p99 latency of eight flows under 8 connections, on the production stack at scale.

Issue #12's target: home, catalogue, product, search, basket add, account order history, a
cooperative's order list in the dashboard and the webinar page, each at p95 < 100 ms with
8 connections, on PostgreSQL + Redis with ``portal.settings.production`` under gunicorn, on
the data of ``manage.py portal seed-scale`` (50 portals, 5,000 services, 260,000 citizens,
200,000 orders). Run it against that database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_db \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/latency.py --slug scala-01

The driver is wrk (Debian's, C, with ``bench/latency.lua`` computing the percentiles from all
requests): on a 2-core machine shared with the server, a Python driver would take the CPU
the server needs and measure its own scheduling; wrk costs a few percent of one core. Each
flow is warmed for ``--warm`` seconds, then measured for ``--duration`` seconds, wrk with
2 threads and 8 connections (closed loop: each connection sends its next request when the
answer arrives), gunicorn with ``--workers`` sync workers behind no proxy: every request
carries ``X-Forwarded-Proto: https`` as the proxy would, or production redirects it.

What the seed lacks is added here, re-runnably: the demo webinars on the portal, a
cooperative staff member (a user of the portal's first cooperative, in the "Cooperative
staff" group), the signed-in citizen (the portal's citizen with the most orders, with a service
in the basket) and a second citizen whose basket the "basket add" flow fills (emptied first).
The pages for a signed-in visitor are rendered every time (no whole-page cache): the harder
case, and the one every flow with a session is; ``anonymous`` rows add the public pages for a
visitor without cookies. Writes ``bench/results/latency.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.request

from pages import RESULTS, ROOT, citizen_cookie, serve, session_cookie, wait_for

SCRIPT = ROOT / "bench" / "latency.lua"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
COOPERATIVE_STAFF = "bench.cooperativa@example.it"
BASKET_CITIZEN = "bench.carrello@example.it"
PROXY = {"X-Forwarded-Proto": "https"}
TARGET_P95_MS = 100.0


def production_env(*, stripe_base: str, hosts: list[str] | None = None) -> dict[str, str]:
    """The environment ``portal.settings.production`` needs (docs/running.md), for loopback.

    Taken from this process's environment where set (DATABASE_URL, REDIS_URL, SECRET_KEY, …);
    the rest made up for a local stack: a random secret key, localstripe as Stripe
    (``stripe_base``) with its own webhook secret, every portal's host name allowed."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
    env.setdefault("DEFAULT_FROM_EMAIL", "portali@welfare.invalid")
    env.setdefault("STRIPE_WEBHOOK_SECRET", "whsec_bench_" + secrets.token_hex(12))
    env["STRIPE_API_BASE"] = stripe_base
    env.setdefault("ALLOWED_HOSTS", ",".join(hosts or ["localhost"]))
    if "DATABASE_URL" not in env:
        raise SystemExit("DATABASE_URL must name the PostgreSQL database (seed-scale's)")
    return env


def collect_static(env: dict[str, str]) -> None:
    """``collectstatic`` for the manifest storage production serves with, unless its manifest
    is newer than every built asset (compressing it all again takes minutes here)."""
    manifest = ROOT / "static_collected" / "staticfiles.json"
    built = [p.stat().st_mtime for p in (ROOT / "static_built").rglob("*") if p.is_file()]
    if manifest.exists() and manifest.stat().st_mtime > max(built, default=0):
        return
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )


def portal_hosts() -> list[str]:
    """Every host name a portal answers on, and the hub's (admin, webhooks)."""
    from portal.territories.models import TerritoryHost

    names = set(TerritoryHost.objects.values_list("hostname", flat=True))
    return sorted(names | {"localhost", "127.0.0.1"})


def ensure_webinars(slug: str) -> str:
    """The demo webinars on portal ``slug`` (re-runnable); the first one's address."""
    from portal.events.demo import load_webinars
    from portal.events.models import WebinarPage
    from portal.territories.models import Territory

    territory = Territory.objects.select_related("site").get(slug=slug)
    load_webinars(territory)
    site = territory.site
    page = site.root_page.get_descendants().live().type(WebinarPage).order_by("path").first()
    if page is None:
        raise SystemExit(f"{slug} has no webinar index: build the portal first")
    return page.relative_url(site)


def cooperative_staff_cookie(slug: str) -> str:
    """A signed-in member of the portal's first cooperative (re-runnable)."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from portal.territories.models import Territory
    from shop.dashboard.orders.access import cooperative_staff_group

    Partner = get_model("partner", "Partner")
    territory = Territory.objects.get(slug=slug)
    partner = Partner.objects.filter(territories=territory).order_by("code").first()
    User = get_user_model()
    user = User.objects.filter(email=COOPERATIVE_STAFF).first() or User.objects.create_user(
        username=COOPERATIVE_STAFF, email=COOPERATIVE_STAFF, password=None
    )
    user.groups.add(cooperative_staff_group())
    partner.users.add(user)
    return session_cookie(user)


def busiest_citizen(slug: str) -> tuple[str, int]:
    """The e-mail of the portal's citizen with the most orders, and how many."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    row = (
        Order.objects.filter(territory__slug=slug, user__isnull=False)
        .values("user__email")
        .annotate(n=Count("id"))
        .order_by("-n", "user__email")
        .first()
    )
    if row is None:
        raise SystemExit(f"{slug} has no orders: run manage.py portal seed-scale first")
    return row["user__email"], row["n"]


def basket_add(slug: str) -> tuple[str, str, str, int]:
    """For the "basket add" flow: (path, form body, Cookie header, product id), a CSRF token
    shared by the cookie and the form as a browser's would be, and the citizen's open basket
    on the portal emptied so that each run starts from one line."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from portal.territories.models import Territory

    Basket = get_model("basket", "Basket")
    StockRecord = get_model("partner", "StockRecord")
    territory = Territory.objects.get(slug=slug)
    User = get_user_model()
    user = User.objects.filter(email=BASKET_CITIZEN).first() or User.objects.create_user(
        username=BASKET_CITIZEN, email=BASKET_CITIZEN, password=None
    )
    for basket in Basket.objects.filter(owner=user, territory=territory, status="Open"):
        basket.lines.all().delete()
    offer = (
        StockRecord.objects.filter(territory=territory, product__upc__startswith="scala-")
        .order_by("pk")
        .first()
    )
    token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    cookie = f"{session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={token}"
    body = f"csrfmiddlewaretoken={token}&quantity=1"
    return f"/shop/basket/add/{offer.product_id}/", body, cookie, offer.product_id


def basket_quantity(slug: str, product_id: int) -> int:
    from django.db.models import Sum
    from oscar.core.loading import get_model

    Line = get_model("basket", "Line")
    return (
        Line.objects.filter(
            basket__owner__email=BASKET_CITIZEN,
            basket__territory__slug=slug,
            basket__status="Open",
            product_id=product_id,
        ).aggregate(q=Sum("quantity"))["q"]
        or 0
    )


def product_path(slug: str) -> str:
    from django.utils import translation
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    product = (
        Product.objects.filter(stockrecords__territory__slug=slug, upc__startswith="scala-")
        .order_by("pk")
        .first()
    )
    with translation.override("it"):
        return product.get_absolute_url()


def request(port: int, method: str, path: str, headers: dict[str, str], body: str = ""):
    """One request, redirects not followed: (status, Location, body text)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = body.encode() if body else None
    if data:
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(req, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers.get("Location", ""), response.read().decode()


def wrk(port: int, flow: dict, seconds: int) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", str(SCRIPT)]
    for name, value in flow["headers"].items():
        command += ["-H", f"{name}: {value}"]
    env = {**os.environ, "LATENCY_METHOD": flow["method"], "LATENCY_BODY": flow.get("body", "")}
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{flow['path']}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(re.search(r"^LATENCY (.*)$", out, re.MULTILINE).group(1))


def flows(slug: str, host: str) -> list[dict]:
    """The eight flows (and the public ones again without cookies): what each request sends
    and what its answer must be (a status, and for a redirect where it leads)."""
    email, orders = busiest_citizen(slug)
    citizen = citizen_cookie(slug, email)
    staff = cooperative_staff_cookie(slug)
    add_path, add_body, add_cookie, product_id = basket_add(slug)
    webinar = ensure_webinars(slug)
    base = {"Host": host, **PROXY}
    origin = f"https://{host}"
    product = product_path(slug)
    pages = {
        "home": "/",
        "catalogue": "/shop/catalogue/",
        "product": product,
        "search": "/search/?q=servizio",
        "webinar": webinar,
    }
    rows = [
        {"flow": name, "who": "citizen", "method": "GET", "path": path, "expect": 200}
        for name, path in pages.items()
    ]
    for row in rows:
        row["headers"] = {**base, "Cookie": citizen}
    rows.insert(
        4,
        {
            "flow": "basket add",
            "who": "citizen",
            "method": "POST",
            "path": add_path,
            "body": add_body,
            "headers": {
                **base,
                "Cookie": add_cookie,
                "Origin": origin,
                "Referer": origin + product,
            },
            "expect": 302,
            "product_id": product_id,
        },
    )
    rows.insert(
        5,
        {
            "flow": "account orders",
            "who": f"citizen ({orders} orders)",
            "method": "GET",
            "path": "/shop/accounts/orders/",
            "headers": {**base, "Cookie": citizen},
            "expect": 200,
        },
    )
    rows.insert(
        6,
        {
            "flow": "dashboard orders",
            "who": "cooperative staff",
            "method": "GET",
            "path": "/shop/dashboard/orders/",
            "headers": {**base, "Cookie": staff},
            "expect": 200,
        },
    )
    rows += [
        {
            "flow": name,
            "who": "anonymous",
            "method": "GET",
            "path": path,
            "headers": base,
            "expect": 200,
        }
        for name, path in pages.items()
    ]
    return rows


def check(port: int, flow: dict) -> None:
    """The flow answers as a visitor expects, or the measurement would be of an error page."""
    status, location, text = request(
        port, flow["method"], flow["path"], flow["headers"], flow.get("body", "")
    )
    if status != flow["expect"]:
        raise SystemExit(f"{flow['flow']}: {status} {location} {text[:500]}")
    if flow["flow"] == "basket add" and "/login/" in location:
        raise SystemExit(f"basket add redirects to the sign-in: {location}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="scala-01")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8350")))
    parser.add_argument("--stripe-port", type=int, default=8351)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=15, help="seconds measured a flow")
    parser.add_argument("--warm", type=int, default=5, help="seconds of warm-up a flow")
    parser.add_argument("--only", nargs="*", help="flows to measure (names), default all")
    options = parser.parse_args()

    os.environ.update(production_env(stripe_base=f"http://127.0.0.1:{options.stripe_port}"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    host = f"{options.slug}.localhost"
    env = production_env(
        stripe_base=f"http://127.0.0.1:{options.stripe_port}", hosts=portal_hosts()
    )
    env["ALLOWED_HOSTS"] = ",".join(portal_hosts())
    collect_static(env)
    rows = flows(options.slug, host)
    if options.only:
        rows = [r for r in rows if r["flow"] in options.only]
    server = serve(
        # a worker's first requests on a loaded machine (imports, template libraries, cold
        # caches) can take longer than the default 30 s: not measured, but not killed either
        ["portal.wsgi:application", "--bind", f"127.0.0.1:{options.port}", "--timeout", "120"],
        workers=options.workers,
        env=env,
    )
    try:
        wait_for(options.port, host, PROXY)
        for flow in rows:
            check(options.port, flow)
            if flow["flow"] == "basket add":
                before = basket_quantity(options.slug, flow["product_id"])
            warm = wrk(options.port, flow, options.warm)
            load_before = os.getloadavg()[0]
            flow["result"] = wrk(options.port, flow, options.duration)
            flow["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            if flow["flow"] == "basket add":
                # every add answered (warm-up and measure) is in the basket (wrk does not count
                # the few in flight when it stops, the server may still serve them)
                flow["answered"] = warm["requests"] + flow["result"]["requests"]
                flow["added"] = basket_quantity(options.slug, flow["product_id"]) - before
                print(f"  basket add: {flow['answered']} answered, {flow['added']} in the basket")
            r = flow["result"]
            print(
                f"  {flow['flow']:<17} {flow['who']:<20} p50 {r['p50_ms']:7.1f}  p95 "
                f"{r['p95_ms']:7.1f}  p99 {r['p99_ms']:7.1f} ms  {r['requests']:6d} requests"
                f"  errors {r['status_errors'] + r['socket_errors']}  load {flow['load']}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()

    print(
        f"\ngunicorn {options.workers} sync workers, wrk 2 threads 8 connections, "
        f"{options.duration} s a flow after {options.warm} s of warm-up, {options.slug}\n"
    )
    print("| flow | as | p50 ms | p95 ms | p99 ms | requests | errors | load avg | p95 < 100 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for flow in rows:
        r = flow["result"]
        ok = "yes" if r["p95_ms"] < TARGET_P95_MS and not r["status_errors"] else "**no**"
        print(
            f"| {flow['flow']} | {flow['who']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['requests']} | {r['status_errors'] + r['socket_errors']} | "
            f"{flow['load'][0]:.1f}–{flow['load'][1]:.1f} | {ok} |"
        )
    RESULTS.mkdir(exist_ok=True)
    saved = [{k: v for k, v in f.items() if k != "headers"} for f in rows]
    (RESULTS / "latency.json").write_text(
        json.dumps(
            {"workers": options.workers, "duration": options.duration, "flows": saved}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
