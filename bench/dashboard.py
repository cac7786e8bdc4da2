"""A programme's dashboard at scale, and approvals one after another (issue #13).

DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/dashboard.py [APPLICATIONS] [MOVEMENTS]
AGAIN=1 …: the last run's programme again (no build); SQLITE_WAL=1: approvals in WAL mode

On a database with the portals built (a copy of a test database will do): makes a Padova
programme with APPLICATIONS (10,000) applications, one credit each and spends enough for
MOVEMENTS (50,000) ledger movements over 60 days, bulk-inserted with consistent balances;
then times the dashboard, its live JSON, both CSV exports and /trasparenza/ in process
(Django's test client: server time, no network), median of 7; then approves 1,000 more
applications one after another through ``applications.approve`` and times that.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.ledger.models import Account, Transfer  # noqa: E402
from portal.programmes.applications import CREDIT_KIND, approve  # noqa: E402
from portal.programmes.budget import create_programme, fund  # noqa: E402
from portal.programmes.generator import ensure_office  # noqa: E402
from portal.programmes.models import Application, Programme, Wallet  # noqa: E402
from portal.programmes.spending import SPEND_KIND, spent_account  # noqa: E402
from portal.territories.models import Territory  # noqa: E402
from shop.partner.models import Partner  # noqa: E402

S = Application.Status
User = get_user_model()
DAYS = 60


@transaction.atomic
def build(n_applications: int, n_movements: int) -> Programme:
    territory = Territory.objects.get(slug="padova")
    slug = f"bench-{int(time.time())}"
    today = timezone.localdate()
    programme = create_programme(
        territory,
        slug=slug,
        title="Programma di prova (bench)",
        kind="vouchers",
        budget=Decimal(n_applications + 10_000) * 400,
        opens_on=today - timedelta(days=DAYS),
        closes_on=today + timedelta(days=30),
        amounts={"1": "400.00"},
        municipalities=territory.municipalities or [territory.name],
    )
    coops = [Partner.objects.create(name=f"Cooperativa bench {i}") for i in range(3)]
    spent = [spent_account(programme, coop) for coop in coops]
    users = User.objects.bulk_create(
        User(username=f"{slug}-{i}", email=f"{slug}-{i}@example.it", password="!")
        for i in range(n_applications)
    )
    accounts = Account.objects.bulk_create(
        Account(name=f"bench wallet {i}", kind=Account.Kind.WALLET, territory=territory, code=None)
        for i in range(n_applications)
    )
    Wallet.objects.bulk_create(
        Wallet(programme=programme, owner=u, account=a)
        for u, a in zip(users, accounts, strict=True)
    )
    statuses = [S.APPROVED] * 8 + [S.SUBMITTED, S.REJECTED]
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            programme=programme,
            applicant=u,
            household_key=f"{slug}-{i}",
            status=statuses[i % len(statuses)],
            household_size=1,
            municipality=programme.municipalities[0],
            amount=Decimal("400.00"),
            protocol=f"BENCH-{slug}-{i:06d}",
            submitted_at=now,
        )
        for i, u in enumerate(users)
    )
    budget = programme.budget_account
    transfers = [
        Transfer(source=budget, destination=a, amount=Decimal("400.00"), kind=CREDIT_KIND)
        for a in accounts
    ]
    spends = n_movements - len(transfers)
    for j in range(spends):
        wallet = accounts[j % len(accounts)]
        transfers.append(
            Transfer(
                source=wallet,
                destination=spent[j % 3],
                amount=Decimal("3.00"),
                kind=SPEND_KIND,
                reference=f"ORD-{j}",
            )
        )
    made = Transfer.objects.bulk_create(transfers, batch_size=2000)
    by_day: dict[int, list[int]] = {}
    for j, t in enumerate(made):
        by_day.setdefault(j % DAYS, []).append(t.pk)
    for day, pks in by_day.items():
        for k in range(0, len(pks), 900):
            Transfer.objects.filter(pk__in=pks[k : k + 900]).update(
                created_at=now - timedelta(days=day)
            )
    # the balances the transfers make (as transfers.transfer would have left them)
    for account in [budget, *spent, *accounts]:
        inflow = Transfer.objects.filter(destination=account).aggregate(s=Sum("amount"))["s"]
        outflow = Transfer.objects.filter(source=account).aggregate(s=Sum("amount"))["s"]
        account.balance = Decimal(inflow or 0) - Decimal(outflow or 0)
    Account.objects.bulk_update([budget, *spent, *accounts], ["balance"], batch_size=2000)
    return programme


def timed(client: Client, url: str, runs: int = 7, **headers) -> tuple[float, float, int, int]:
    """Median wall and CPU milliseconds of ``url`` (SQLite runs in this process, so its CPU
    time counts the database's work too and is what other work on the machine distorts
    least), its status and its queries."""
    client.get(url, **headers)  # warm: templates, the territory, the session
    times, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    wall, cpu = statistics.median(times) * 1000, statistics.median(cpus) * 1000
    return wall, cpu, response.status_code, len(queries)


def in_review(programme: Programme, n: int) -> list[Application]:
    """``n`` new applications waiting for a decision, of ``n`` new people."""
    tag = f"{programme.slug}-r{int(time.time())}"
    users = User.objects.bulk_create(
        User(username=f"{tag}-{i}", email=f"{tag}-{i}@example.it", password="!") for i in range(n)
    )
    Application.objects.bulk_create(
        Application(
            programme=programme,
            applicant=u,
            household_key=f"{tag}-{i}",
            status=S.IN_REVIEW,
            household_size=1,
            municipality=programme.municipalities[0],
            protocol=f"BENCH-{tag}-{i:06d}",
            submitted_at=timezone.now(),
        )
        for i, u in enumerate(users)
    )
    return list(programme.applications.filter(household_key__startswith=f"{tag}-"))


def approvals(programme: Programme, officer, waiting: list[Application]) -> None:
    if os.environ.get("SQLITE_WAL") and connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # an experiment: WAL, fsync at checkpoints only
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    started, cpu = time.perf_counter(), time.process_time()
    for application in waiting:
        approve(application, officer)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"approved {len(waiting)} applications one after another in {seconds:.1f} s"
        f" ({seconds / max(len(waiting), 1) * 1000:.1f} ms each; this process's CPU {cpu:.1f} s;"
        f" load average {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    n_applications = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_movements = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    if os.environ.get("AGAIN"):  # the last run's programme, with room for 1,000 more approvals
        programme = Programme.objects.filter(slug__startswith="bench-").latest("pk")
        officer = User.objects.filter(username=f"officer-{programme.slug}").get()
        programme.budget += 1000 * 400
        programme.save(update_fields=["budget"])
        fund(programme)
    else:
        started = time.perf_counter()
        programme = build(n_applications, n_movements)
        print(
            f"built {programme.applications.count()} applications, {Transfer.objects.count()}"
            f" transfers in all, in {time.perf_counter() - started:.1f} s"
        )
        officer = User.objects.create_user(f"officer-{programme.slug}", password="x")
        officer.groups.add(ensure_office(programme.territory)[0].group)
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    base = f"/admin/programmi/{programme.pk}/"
    storage = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES={**django.conf.settings.STORAGES, **storage}):
        for label, url in [
            ("dashboard", f"{base}cruscotto/"),
            ("live figures (JSON)", f"{base}cruscotto/dati.json"),
            ("applications CSV", f"{base}esporta/domande.csv"),
            ("movements CSV", f"{base}esporta/movimenti.csv"),
        ]:
            ms, cpu, status, queries = timed(client, url, runs=3 if "CSV" in label else 7)
            print(f"{label:<24} {ms:8.1f} ms, CPU {cpu:7.1f} ms (HTTP {status}, {queries} queries)")
        public = Client(HTTP_HOST="padova.localhost")
        from django.core.cache import cache

        cache.clear()
        started, cpu = time.perf_counter(), time.process_time()
        status = public.get("/trasparenza/").status_code
        cold, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        print(f"{'/trasparenza/ (cold)':<24} {cold:8.1f} ms, CPU {cpu:7.1f} ms (HTTP {status})")
        ms, cpu, status, queries = timed(public, "/trasparenza/")
        print(f"{'/trasparenza/ (cached)':<24} {ms:8.1f} ms, CPU {cpu:7.1f} ms ({queries} queries)")
    if not os.environ.get("SKIP_APPROVALS"):
        approvals(programme, officer, in_review(programme, 1000))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
