"""Sending a newsletter issue to many subscribers through a real Celery worker and Redis.

    DATABASE_URL=sqlite:////tmp/portal-bench.sqlite3 .venv/bin/python bench/newsletter.py [N]

The database must hold the built portals (``make db``, or a copy of a test database). The
script adds N subscribers (default 100,000) and an issue, makes the send (one row per
recipient), starts ``celery worker`` (its own process group, the file e-mail backend into a
scratch folder, no rate limit) and times the send until its last row is sent. It reports the
wall time and the worker's peak memory (VmHWM of the main process and of each pool process),
then takes away what it added. Broker: PORTAL_BENCH_BROKER (default redis://127.0.0.1:6379/9,
which it empties).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
BROKER = os.environ.get("PORTAL_BENCH_BROKER", "redis://127.0.0.1:6379/9")


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


def main(count: int) -> None:
    import django

    django.setup()
    import redis
    from django.db import connection
    from django.utils import timezone

    from portal.newsletters.access import newsletter_archive
    from portal.newsletters.models import NewsletterIssuePage, Send, Subscriber
    from portal.newsletters.sending import create_send
    from portal.territories.models import Territory

    redis.Redis.from_url(BROKER).flushdb()
    territories = list(Territory.objects.order_by("slug"))
    now = timezone.now()
    started = time.monotonic()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"bench{i:06d}@example.it",
                territory=territories[i % len(territories)],
                language="it",
                confirmed_at=now,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    page = NewsletterIssuePage(
        title="Bench",
        slug=f"bench-{int(time.time())}",
        subject="Bench",
        intro="Una prova di invio.",
        campaign_tag="bench",
        body=[("paragraph", '<p>Leggi <a href="https://example.it/x">qui</a>.</p>')],
    )
    newsletter_archive().add_child(instance=page)
    page.save_revision().publish()
    print(f"{count} subscribers in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    send = create_send(page, territories, [], "", None)
    print(f"send with {send.deliveries.count()} rows made in {time.monotonic() - started:.1f} s")
    connection.close()

    mail_dir = tempfile.mkdtemp(prefix="newsletter-bench-")
    env = {
        **os.environ,
        "PORTAL_CELERY_BROKER": BROKER,
        "PORTAL_EMAIL_DIR": mail_dir,
        "PORTAL_NEWSLETTER_RATE": "0",
        "PORTAL_NEWSLETTER_BATCH": os.environ.get("PORTAL_NEWSLETTER_BATCH", "2000"),
    }
    concurrency = os.environ.get("PORTAL_BENCH_CONCURRENCY", "1")
    pool = os.environ.get("PORTAL_BENCH_POOL", "solo")  # one process; "prefork" for a pool
    celery = Path(sys.executable).with_name("celery")
    started = time.monotonic()
    worker = subprocess.Popen(
        [str(celery), "-A", "portal", "worker", "-P", pool, "-c", concurrency, "-l", "WARNING"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
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
            time.sleep(1)
        wall = time.monotonic() - started
        for pid, kb in worker_memory(worker.pid).items():
            peaks[pid] = max(kb, peaks.get(pid, 0))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    files = list(Path(mail_dir).iterdir())
    size = sum(p.stat().st_size for p in files)
    shutil.rmtree(mail_dir, ignore_errors=True)
    print(f"engine: {connection.vendor}, worker pool {pool}, concurrency {concurrency}")
    print(f"sent {count} e-mails in {wall:.1f} s ({count / wall:.0f}/s), {size / 1e6:.0f} MB")
    main_pid = worker.pid
    print(f"worker peak memory: main {peaks.get(main_pid, 0) / 1024:.0f} MB, pool ", end="")
    print(", ".join(f"{kb / 1024:.0f} MB" for pid, kb in sorted(peaks.items()) if pid != main_pid))
    print(f"worker peak memory, all processes together: {sum(peaks.values()) / 1024:.0f} MB")
    Send.objects.filter(pk=send.pk).delete()
    Subscriber.objects.filter(email__startswith="bench").delete()
    page.delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
