"""The soak (issue #12): locust headless against the production stack, then the books checked.

Starts, on loopback: gunicorn with ``portal.settings.production`` (PostgreSQL from
``DATABASE_URL``, Redis from ``REDIS_URL``), localstripe as Stripe (``STRIPE_API_BASE``) with
our webhook registered, a one-header proxy in front of the webhook (``X-Forwarded-Proto``,
as the real proxy adds: production redirects plain HTTP) and an SMTP sink for the order
e-mails (production sends them with SMTP). Then locust (``bench/soak/locustfile.py``: 80% CMS
pages, 15% catalogue, 5% card checkouts as new guests) for ``--minutes``, the load average
sampled every 10 s. Afterwards, every payment intent localstripe holds as succeeded is
compared with the database: each must be the payment of exactly one order, and no order of
the soak may lack one. Writes ``bench/results/soak.json`` (and locust's CSV files next to it)
and prints the figures::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_db REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/soak/run.py --minutes 10 --users 20
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/

from latency import PROXY, PYTHON, collect_static, portal_hosts, production_env  # noqa: E402
from pages import RESULTS, ROOT, serve, wait_for  # noqa: E402

LOCUST = str(ROOT / ".venv" / "bin" / "locust")
PUBLISHABLE_KEY = "pk_test_localstripe"  # base.py's default when no real key is set
SECRET_KEY = "sk_test_localstripe"


def plan(slugs: list[str], stripe: str) -> dict:
    """What the visitors request on each portal (see locustfile.py)."""
    from django.utils import translation
    from oscar.core.loading import get_model
    from wagtail.models import Page

    from portal.territories.models import Territory

    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    portals = []
    for territory in Territory.objects.filter(slug__in=slugs).select_related("site"):
        site = territory.site
        cms = [
            page.relative_url(site)
            for page in Page.objects.descendant_of(site.root_page, inclusive=True)
            .live()
            .public()
            .order_by("path")[:60]
        ]
        offers = (
            StockRecord.objects.filter(
                territory=territory,
                product__structure="standalone",
                product__voucher=None,
                product__is_public=True,
            )
            .select_related("product")
            .order_by("pk")[:40]
        )
        with translation.override("it"):
            services = [{"id": o.product_id, "path": o.product.get_absolute_url()} for o in offers]
            categories = {
                c.get_absolute_url()
                for p in Product.objects.filter(pk__in=[s["id"] for s in services])
                for c in p.get_categories().all()
            }
        catalogue = [
            "/shop/catalogue/",
            "/shop/catalogue/?page=2",
            *sorted(categories),
            *[s["path"] for s in services],
            "/search/?q=servizio",
            "/search/?q=assistenza",
        ]
        portals.append(
            {
                "slug": territory.slug,
                "host": territory.site.hostname,
                "territory": territory.pk,
                "municipality": "Comune",
                "cms": [p for p in cms if p],
                "catalogue": catalogue,
                "services": services,
            }
        )
    return {"portals": portals, "stripe": stripe, "publishable_key": PUBLISHABLE_KEY}


def webhook_proxy(listen: int, upstream: int) -> ThreadingHTTPServer:
    """Forwards localstripe's webhook calls to gunicorn with ``X-Forwarded-Proto: https``."""

    class Forward(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(
                f"http://127.0.0.1:{upstream}{self.path}",
                data=body,
                method="POST",
                headers={**headers, "Host": "localhost", **PROXY},
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                    status, text = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, text = error.code, error.read()
            WEBHOOK_STATUSES[status] = WEBHOOK_STATUSES.get(status, 0) + 1
            self.send_response(status)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", listen), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


WEBHOOK_STATUSES: dict[int, int] = {}


def succeeded_intents(stripe: str) -> list[dict]:
    request = urllib.request.Request(
        f"{stripe}/v1/payment_intents?limit=1000000",
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
        intents = json.load(answer)["data"]
    return [i for i in intents if i["status"] == "succeeded"]


def books(intents: list[dict], since: datetime) -> dict:
    """Each succeeded intent is one order's payment; each order of the soak has one."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    from shop.payment.models import StripePayment

    Order = get_model("order", "Order")
    ids = [i["id"] for i in intents]
    payments = StripePayment.objects.filter(payment_intent_id__in=ids)
    by_intent = dict(payments.values_list("payment_intent_id", "order_id"))
    missing = [i for i in ids if not by_intent.get(i)]
    numbers = list(payments.values_list("order_number", flat=True))
    placed = dict(
        Order.objects.filter(number__in=numbers)
        .values("number")
        .annotate(n=Count("id"))
        .values_list("number", "n")
    )
    twice = {n: c for n, c in placed.items() if c != 1}
    unplaced = [n for n in numbers if n not in placed]
    soak_orders = Order.objects.filter(
        date_placed__gte=since, guest_email__endswith="@example.invalid"
    )
    without_payment = list(
        soak_orders.exclude(number__in=numbers).values_list("number", flat=True)[:20]
    )
    return {
        "succeeded_intents": len(ids),
        "intents_without_order": missing,
        "orders_placed_not_once": twice,
        "payments_without_order": unplaced,
        "soak_orders": soak_orders.count(),
        "soak_orders_without_paid_intent": without_payment,
        "exactly_once": not (missing or twice or unplaced or without_payment)
        and soak_orders.count() == len(ids),
    }


def locust_groups(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": row["50%"],
                    "p95_ms": row["95%"],
                    "p99_ms": row["99%"],
                    "rps": round(float(row["Requests/s"]), 1),
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8360)
    parser.add_argument("--stripe-port", type=int, default=8361)
    parser.add_argument("--webhook-port", type=int, default=8362)
    parser.add_argument("--smtp-port", type=int, default=8363)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--portals",
        nargs="*",
        default=["sondrio", "cremona", "rho", "padova", "napoli", "scala-01", "scala-02"],
    )
    options = parser.parse_args()

    stripe = f"http://127.0.0.1:{options.stripe_port}"
    os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"] = "127.0.0.1", str(options.smtp_port)
    os.environ.update(production_env(stripe_base=stripe))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    env = production_env(stripe_base=stripe)
    env["ALLOWED_HOSTS"] = ",".join(portal_hosts())
    collect_static(env)
    RESULTS.mkdir(exist_ok=True)
    soak_plan = plan(options.portals, stripe)
    (RESULTS / "soak-plan.json").write_text(json.dumps(soak_plan, indent=2))
    access_log = RESULTS / "soak-access.log"
    access_log.unlink(missing_ok=True)

    started = []
    proxy = webhook_proxy(options.webhook_port, options.port)
    try:
        started.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-W",
                    "ignore",
                    "-m",
                    "smtpd",
                    "-n",
                    "-c",
                    "DebuggingServer",
                    f"127.0.0.1:{options.smtp_port}",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        started.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "shop.payment.localstripe_server",
                    "--port",
                    str(options.stripe_port),
                    "--webhook",
                    f"http://127.0.0.1:{options.webhook_port}/shop/payment/stripe/webhook/",
                    "--secret",
                    env["STRIPE_WEBHOOK_SECRET"],
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=open(RESULTS / "soak-localstripe.log", "w"),  # noqa: SIM115
            )
        )
        started.append(
            serve(
                [
                    "portal.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{options.port}",
                    "--access-logfile",
                    str(access_log),
                    "--error-logfile",
                    str(RESULTS / "soak-gunicorn.log"),
                    # a first request on a machine this loaded can take longer than the
                    # default 30 s (imports, cold caches): the soak counts it, slow, not lost
                    "--timeout",
                    "120",
                ],
                workers=options.workers,
                env=env,
            )
        )
        wait_for(options.port, soak_plan["portals"][0]["host"], PROXY)
        since = datetime.now(UTC)
        loads: list[float] = []
        done = threading.Event()

        def sample():
            while not done.wait(10):
                loads.append(round(os.getloadavg()[0], 2))

        threading.Thread(target=sample, daemon=True).start()
        prefix = RESULTS / "soak"
        out = RESULTS / "soak-counts.json"
        subprocess.run(
            [
                LOCUST,
                "-f",
                str(ROOT / "bench" / "soak" / "locustfile.py"),
                "--headless",
                "-u",
                str(options.users),
                "-r",
                "2",
                "-t",
                f"{int(options.minutes * 60)}s",
                "--host",
                f"http://127.0.0.1:{options.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
            ],
            env={**os.environ, "SOAK_PLAN": str(RESULTS / "soak-plan.json"), "SOAK_OUT": str(out)},
            check=False,
        )
        done.set()
        time.sleep(5)  # the last webhooks
        intents = succeeded_intents(stripe)
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait()
        proxy.shutdown()

    counts = json.loads(out.read_text())
    statuses: dict[str, int] = {}
    for line in access_log.read_text().splitlines():
        parts = line.split('"')
        code = parts[2].split()[0] if len(parts) > 2 else "?"
        statuses[code] = statuses.get(code, 0) + 1
    result = {
        "minutes": options.minutes,
        "users": options.users,
        "workers": options.workers,
        "portals": options.portals,
        "load_average": {
            "min": min(loads),
            "max": max(loads),
            "mean": round(sum(loads) / len(loads), 2),
        }
        if loads
        else {},
        "server_statuses": statuses,
        "server_5xx": sum(n for code, n in statuses.items() if code.startswith("5")),
        "client_5xx": counts["5xx"],
        "webhook_statuses": WEBHOOK_STATUSES,
        "checkouts_begun": counts["checkouts"],
        "checkouts_paid": len(counts["paid"]),
        "checkout_failures": counts["checkout_failures"][:20],
        "books": books(intents, since),
        "groups": locust_groups(prefix),
    }
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: v for k, v in result.items() if k != "groups"}, indent=2, default=str))
    print("| group | requests | failures | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---|---|---|---|---|---|")
    for g in result["groups"]:
        print(
            f"| {g['name']} | {g['requests']} | {g['failures']} | {g['p50_ms']} | "
            f"{g['p95_ms']} | {g['p99_ms']} | {g['rps']} |"
        )
    return 0 if result["server_5xx"] == 0 and result["books"]["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
