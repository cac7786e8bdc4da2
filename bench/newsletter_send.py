"""Sending a newsletter issue to many subscribers through a real Celery worker and Redis.

    DATABASE_URL=sqlite:////tmp/portal-bench.sqlite3 .venv/bin/python bench/newsletter_send.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/newsletter_send.py \
        --count 100000 --broker redis://127.0.0.1:6379/11 --backend count

The database must hold the built portals (``make db``, or a copy of a test database:
``cp test_db.sqlite3 /tmp/portal-bench.sqlite3``). The script bulk-inserts ``--count``
subscribers (default 100,000) spread over every portal and its languages, adds an issue,
makes the send (one row per recipient, timed), starts ``celery worker`` in its own process
group against ``--broker`` (which it empties) with no rate limit (``--rate`` sets one), and
times the send until its last row is sent. The e-mails go to ``--backend``: ``count`` (each
message serialised as a mail server receives it, one line written per message:
bench/counting_mail.py) or ``file`` (Django's file backend, every message on disk). It
checks that every subscriber got exactly one e-mail carrying the one-click unsubscribe
headers and their own unsubscribe link, reports the wall time and the worker's peak memory
(VmHWM of each of its processes, sampled each half second and at the end) with the load
average, then takes away what it added.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def worker_memory(pgid: int) -> dict[int, int]:
    """Peak resident memory (kB, VmHWM) of each process of the worker's process group."""
    peaks = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[int(proc.name)] = int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return peaks


def add_subscribers(count: int, territories) -> None:
    from django.utils import timezone

    from portal.newsletters.models import Subscriber

    now = timezone.now()

    def rows():
        for i in range(count):
            territory = territories[i % len(territories)]
            languages = territory.languages or ["it"]
            yield Subscriber(
                email=f"bench{i:06d}@example.it",
                territory=territory,
                language=languages[(i // len(territories)) % len(languages)],
                confirmed_at=now,
            )

    batch: list = []
    for subscriber in rows():  # a chunk at a time: never 100,000 objects at once
        batch.append(subscriber)
        if len(batch) == 5000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    Subscriber.objects.bulk_create(batch)


def add_issue():
    from portal.newsletters.access import newsletter_archive
    from portal.newsletters.models import NewsletterIssuePage

    page = NewsletterIssuePage(
        title="Bench",
        slug=f"bench-{int(time.time())}",
        subject="Bench: le novità",
        intro="Una prova di invio.",
        campaign_tag="bench",
        body=[
            ("heading", "Centri estivi"),
            ("paragraph", '<p>Leggi <a href="https://example.it/centri?x=1">qui</a>.</p>' * 5),
            ("button", {"label": "Iscriviti ora", "url": "https://example.it/iscrizioni"}),
        ],
    )
    newsletter_archive().add_child(instance=page)
    page.save_revision().publish()
    return page


def check_log(log: Path, expected: dict[str, int]) -> tuple[int, list[str]]:
    """Every subscriber once, with the headers and their own link: (bytes, problems)."""
    from django.core import signing

    from portal.newsletters.subscriptions import SUBSCRIBER_SALT

    seen: Counter = Counter()
    problems, size = [], 0
    with log.open(encoding="utf-8") as lines:
        for line in lines:
            to, unsubscribe, one_click, in_body, length = line.rstrip("\n").split("\t")
            seen[to] += 1
            size += int(length)
            token = unsubscribe.rstrip("/").rsplit("/", 1)[-1]
            try:
                pk = signing.loads(token, salt=SUBSCRIBER_SALT)[0]
            except signing.BadSignature:
                pk = None
            if pk != expected.get(to) or one_click != "1" or in_body != "1":
                problems.append(f"{to}: link of {pk}, one-click {one_click}, in body {in_body}")
    twice = [to for to, n in seen.items() if n > 1]
    missing = len(set(expected) - set(seen))
    if twice:
        problems.append(f"{len(twice)} addresses got more than one e-mail, e.g. {twice[:3]}")
    if missing:
        problems.append(f"{missing} subscribers got no e-mail")
    return size, problems


def main(args: argparse.Namespace) -> None:
    import django

    django.setup()
    import redis
    from django.db import connection

    from portal.newsletters.models import Send, Subscriber
    from portal.newsletters.sending import create_send
    from portal.territories.models import Territory

    redis.Redis.from_url(args.broker).flushdb()
    Subscriber.objects.filter(email__startswith="bench").delete()  # a run stopped half way
    territories = list(Territory.objects.order_by("slug"))
    started = time.monotonic()
    add_subscribers(args.count, territories)
    page = add_issue()
    print(f"{args.count} subscribers in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    send = create_send(page, territories, [], "", None)
    rows = send.deliveries.count()
    print(f"send with {rows} rows made in {time.monotonic() - started:.1f} s")
    expected = dict(Subscriber.objects.filter(email__startswith="bench").values_list("email", "pk"))
    connection.close()

    scratch = Path(tempfile.mkdtemp(prefix="newsletter-bench-"))
    log = scratch / "sent.tsv"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORTAL_CELERY_BROKER": args.broker,
        "PORTAL_NEWSLETTER_RATE": str(args.rate),
        "PORTAL_NEWSLETTER_BATCH": str(args.batch),
    }
    if args.backend == "file":
        env["PORTAL_EMAIL_DIR"] = str(scratch / "files")
        (scratch / "files").mkdir()
    else:
        env["PORTAL_EMAIL_BACKEND"] = "bench.counting_mail.EmailBackend"
        env["PORTAL_BENCH_MAIL_LOG"] = str(log)
    celery = Path(sys.executable).with_name("celery")
    load_before = os.getloadavg()
    started = time.monotonic()
    worker = subprocess.Popen(
        [str(celery), "-A", "portal", "worker", "-P", args.pool, "-c", str(args.concurrency)]
        + ["-l", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    peaks: dict[int, int] = {}
    try:
        while Send.objects.get(pk=send.pk).status != Send.Status.DONE:
            connection.close()
            for pid, kb in worker_memory(worker.pid).items():
                peaks[pid] = max(kb, peaks.get(pid, 0))
            if worker.poll() is not None:
                sys.exit(f"the worker stopped ({worker.returncode})")
            time.sleep(0.5)
        wall = time.monotonic() - started
        for pid, kb in worker_memory(worker.pid).items():
            peaks[pid] = max(kb, peaks.get(pid, 0))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    load_after = os.getloadavg()
    if args.backend == "file":
        files = list((scratch / "files").iterdir())
        size, problems = sum(p.stat().st_size for p in files), ["(file backend: not checked)"]
    else:
        size, problems = check_log(log, expected)
    shutil.rmtree(scratch, ignore_errors=True)
    main_peak = peaks.get(worker.pid, 0) / 1024
    others = [kb / 1024 for pid, kb in sorted(peaks.items()) if pid != worker.pid]
    print()
    columns = ["engine", "pool", "e-mails", "wall s", "e-mails/s", "worker peak MB (main; pool)"]
    columns += ["all processes MB", "MB sent", "load avg before / after"]
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    pool = f"{args.pool} ×{args.concurrency}" if args.pool != "solo" else "solo"
    print(
        f"| {connection.vendor} | {pool} | {rows:,} | {wall:.1f} | {rows / wall:,.0f} "
        f"| {main_peak:.0f}; {', '.join(f'{mb:.0f}' for mb in others) or '-'} "
        f"| {sum(peaks.values()) / 1024:.0f} | {size / 1e6:.0f} "
        f"| {' '.join(f'{x:.1f}' for x in load_before)} / "
        f"{' '.join(f'{x:.1f}' for x in load_after)} |"
    )
    print()
    everyone = "every subscriber once, with the one-click headers and their own unsubscribe link"
    print("checks:", "; ".join(problems[:5]) if problems else everyone)
    Send.objects.filter(pk=send.pk).delete()
    Subscriber.objects.filter(email__startswith="bench").delete()
    page.delete()
    if problems and args.backend == "count":
        sys.exit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--backend", choices=["count", "file"], default="count")
    parser.add_argument("--pool", default="solo", help="solo (one process) or prefork")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000, help="rows a task claims")
    parser.add_argument("--rate", type=float, default=0, help="e-mails a second (0: no limit)")
    main(parser.parse_args())
