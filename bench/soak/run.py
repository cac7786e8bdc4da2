"""The soak (issue #12): locust headless against the production stack, then the books checked.

The stack is ``bench/stack.py``'s: gunicorn with ``portal.settings.production`` behind the TLS
proxy, PostgreSQL, Redis, a real Celery worker and beat, moto's S3, localstripe (its webhook
posted back through the proxy) and the SMTP sink. ``--reuse`` drives a stack already ``up``
(same ``--port``); otherwise one is brought up for the run and taken down after it. Locust
(``bench/soak/locustfile.py``: 80% CMS pages, 15% catalogue, 5% card checkouts as new guests)
runs for ``--minutes`` against the proxy's HTTPS, each visitor with a portal's ``Host``; the
load average is sampled every 10 s. Afterwards the books: every payment intent localstripe
holds as succeeded must be the payment of exactly one order, and every order of the soak must
have one. The server's statuses are read from gunicorn's access log (what it answered during
the run, the webhook's included). Writes ``bench/results/soak.json`` (and locust's CSV files
next to it) and prints the figures::

    STACK_DATABASE=soak_stack .venv/bin/python bench/stack.py --port 8320 up
    STACK_DATABASE=soak_stack .venv/bin/python bench/soak/run.py --port 8320 --reuse \\
        --minutes 10 --users 20
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import STATE, Stack  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
PUBLISHABLE_KEY = "pk_test_localstripe"  # base.py's default when no real key is set
SECRET_KEY = "sk_test_localstripe"
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')


def plan(slugs: list[str], stack: Stack) -> dict:
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
    return {
        "portals": portals,
        "stripe": f"http://127.0.0.1:{stack.localstripe_port}",
        "publishable_key": PUBLISHABLE_KEY,
        "cert": str(stack.cert),
    }


def stripe_intents(stripe: str) -> list[dict]:
    request = urllib.request.Request(
        f"{stripe}/v1/payment_intents?limit=1000000",
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
        return json.load(answer)["data"]


def books(intents: list[dict], since: datetime) -> dict:
    """Each succeeded intent is one order's payment; each order of the soak has one."""
    from django.db.models import Count
    from oscar.core.loading import get_model

    from shop.payment.models import StripePayment

    Order = get_model("order", "Order")
    ids = [i["id"] for i in intents if i["status"] == "succeeded"]
    payments = StripePayment.objects.filter(payment_intent_id__in=ids)
    by_intent = dict(payments.values_list("payment_intent_id", "order_id"))
    intents_without_order = [i for i in ids if not by_intent.get(i)]
    numbers = list(payments.values_list("order_number", flat=True))
    placed = dict(
        Order.objects.filter(number__in=numbers)
        .values("number")
        .annotate(n=Count("id"))
        .values_list("number", "n")
    )
    soak_orders = Order.objects.filter(
        date_placed__gte=since, guest_email__endswith="@example.invalid"
    )
    paid_numbers = set(
        StripePayment.objects.filter(payment_intent_id__in=ids).values_list(
            "order_number", flat=True
        )
    )
    without_payment = [n for n in soak_orders.values_list("number", flat=True)
                       if n not in paid_numbers]  # fmt: skip
    result = {
        "intents": len(intents),
        "intents_by_status": _tally(i["status"] for i in intents),
        "succeeded_intents": len(ids),
        "intents_without_order": intents_without_order,
        "orders_placed_not_once": {n: c for n, c in placed.items() if c != 1},
        "payments_without_order": [n for n in numbers if n not in placed],
        "soak_orders": soak_orders.count(),
        "soak_orders_without_paid_intent": without_payment[:20],
        "order_payments_by_status": _tally(
            StripePayment.objects.filter(created__gte=since).values_list("status", flat=True)
        ),
    }
    result["exactly_once"] = not (
        result["intents_without_order"]
        or result["orders_placed_not_once"]
        or result["payments_without_order"]
        or without_payment
    ) and result["soak_orders"] == len(ids)
    return result


def _tally(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[str(value)] = counts.get(str(value), 0) + 1
    return counts


def locust_groups(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv") as f:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": row["50%"],
                "p95_ms": row["95%"],
                "p99_ms": row["99%"],
                "rps": round(float(row["Requests/s"]), 1),
            }
            for row in csv.DictReader(f)
        ]


def server_answers(log: Path, offset: int) -> dict:
    """gunicorn's access log from ``offset``: its statuses, the 5xx paths, the webhook's."""
    statuses: dict[str, int] = {}
    webhook: dict[str, int] = {}
    errors: list[str] = []
    with log.open("rb") as f:
        f.seek(offset)
        for raw in f:
            line = raw.decode(errors="replace")
            match = ACCESS.search(line)
            if not match:
                continue
            status = match["status"]
            statuses[status] = statuses.get(status, 0) + 1
            if "/stripe/webhook/" in match["path"]:
                webhook[status] = webhook.get(status, 0) + 1
            if status.startswith("5"):
                errors.append(f"{status} {match['method']} {match['path']}")
    return {"statuses": statuses, "webhook": webhook, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", 8300)))
    parser.add_argument("--reuse", action="store_true", help="drive a stack already `up`")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--portals", nargs="*",
                        default=["sondrio", "cremona", "rho", "padova", "napoli"])  # fmt: skip
    options = parser.parse_args()

    workdir = Path(f"/tmp/portal-stack-{options.port}")
    if options.reuse:
        if not (workdir / STATE).exists():
            parser.error(f"--reuse: no stack recorded in {workdir}")
        stack, owned = Stack.from_state(workdir), contextlib.nullcontext()
    else:
        stack = Stack(port=options.port)
        owned = stack
    with owned:
        os.environ.update(stack.env)
        import django

        django.setup()
        RESULTS.mkdir(exist_ok=True)
        soak_plan = plan(options.portals, stack)
        (RESULTS / "soak-plan.json").write_text(json.dumps(soak_plan, indent=2))
        access_log = stack.workdir / "gunicorn.log"
        offset = access_log.stat().st_size
        before = {i["id"] for i in stripe_intents(soak_plan["stripe"])}
        since = datetime.now(UTC)
        loads: list[float] = []
        done = threading.Event()

        def sample():
            while not done.wait(10):
                loads.append(round(os.getloadavg()[0], 2))

        threading.Thread(target=sample, daemon=True).start()
        prefix = RESULTS / "soak"
        out = RESULTS / "soak-counts.json"
        started = time.monotonic()
        subprocess.run(
            [
                LOCUST,
                "-f",
                str(ROOT / "bench" / "soak" / "locustfile.py"),
                "--headless",
                "-u",
                str(options.users),
                "-r",
                str(options.spawn_rate),
                "-t",
                f"{int(options.minutes * 60)}s",
                "--host",
                f"https://127.0.0.1:{stack.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "60",
            ],
            env={**os.environ, "SOAK_PLAN": str(RESULTS / "soak-plan.json"), "SOAK_OUT": str(out)},
            check=False,
        )
        elapsed = time.monotonic() - started
        done.set()
        time.sleep(10)  # the last webhooks
        intents = [i for i in stripe_intents(soak_plan["stripe"]) if i["id"] not in before]
        server = server_answers(access_log, offset)

    counts = json.loads(out.read_text())
    result = {
        "minutes": options.minutes,
        "seconds": round(elapsed),
        "users": options.users,
        "portals": [p["slug"] for p in soak_plan["portals"]],
        "load_average": {
            "min": min(loads),
            "max": max(loads),
            "mean": round(sum(loads) / len(loads), 2),
        }
        if loads
        else {},
        "server_statuses": server["statuses"],
        "server_5xx": sum(n for code, n in server["statuses"].items() if code.startswith("5")),
        "server_5xx_requests": server["errors"][:20],
        "client_by_status": counts["by_status"],
        "client_5xx": counts["5xx"],
        "webhook_statuses": server["webhook"],
        "checkouts_begun": counts["checkouts"],
        "checkouts_paid": len(counts["paid"]),
        "checkout_failures": counts["checkout_failures"][:20],
        "books": books(intents, since),
        "groups": locust_groups(prefix),
    }
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: v for k, v in result.items() if k != "groups"}, indent=2, default=str))
    print("| request | requests | failures | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---|---|---|---|---|---|")
    for g in result["groups"]:
        print(
            f"| {g['name']} | {g['requests']} | {g['failures']} | {g['p50_ms']} | "
            f"{g['p95_ms']} | {g['p99_ms']} | {g['rps']} |"
        )
    ok = result["server_5xx"] == 0 and result["client_5xx"] == 0
    return 0 if ok and result["books"]["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
