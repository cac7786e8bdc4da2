"""A send through a real Celery worker against Redis, killed half way (kill -9) and started
again: every subscriber gets the issue exactly once. The worker is a separate process on
the committed test database, its e-mails written to files that the test reads back."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BROKER = os.environ.get("PORTAL_TEST_CELERY_BROKER", "redis://127.0.0.1:6379/9")
RECIPIENTS = 300


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"no Redis at {BROKER}")


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(mail_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "PORTAL_CELERY_BROKER": BROKER,
        "PORTAL_EMAIL_DIR": mail_dir,
        "PORTAL_NEWSLETTER_RATE": "100",
        "PORTAL_NEWSLETTER_BATCH": "40",
        # the killed worker's batch is taken back a second after its last renewal
        "PORTAL_NEWSLETTER_LEASE": "1",
    }
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "portal", "worker", "-c", "2", "-l", "WARNING"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,  # its own process group: kill -9 takes the pool with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(worker: subprocess.Popen, sig=signal.SIGKILL) -> None:
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        pass
    worker.wait(timeout=30)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def recipients_in(mail_dir: str) -> Counter:
    counts = Counter()
    for path in Path(mail_dir).iterdir():
        counts.update(re.findall(r"^To: (\S+)$", path.read_text(errors="replace"), re.M))
    return counts


@pytest.fixture
def committed_send(django_db_setup, django_db_blocker):
    """A send of 300 rows, committed (the worker reads the database from another process);
    taken away afterwards."""
    import redis

    from portal.newsletters.models import Send, Subscriber
    from portal.newsletters.sending import create_send
    from portal.territories.models import Territory
    from tests.newsletter_support import issue, subscriber

    redis.Redis.from_url(BROKER).flushdb()
    with django_db_blocker.unblock():
        sondrio = Territory.objects.get(slug="sondrio")
        page = issue(title="Worker test", tag="worker-test")
        for i in range(RECIPIENTS):
            subscriber(sondrio, f"worker{i:04d}@example.it")
        send = create_send(page, [sondrio], [], "", None)
        yield send
        Send.objects.filter(pk=send.pk).delete()
        Subscriber.objects.filter(email__startswith="worker").delete()
        page.delete()
    redis.Redis.from_url(BROKER).flushdb()


def test_a_worker_killed_half_way_and_restarted_sends_each_subscriber_once(
    committed_send, django_db_blocker
):
    from portal.newsletters.models import Delivery, Send

    def sent() -> int:
        with django_db_blocker.unblock():
            return Delivery.objects.filter(send=committed_send, state="sent").count()

    def done() -> bool:
        with django_db_blocker.unblock():
            return Send.objects.get(pk=committed_send.pk).status == "done"

    mail_dir = tempfile.mkdtemp(prefix="newsletter-worker-")
    try:
        worker = start_worker(mail_dir)  # resumes unfinished sends as it starts
        try:
            assert wait_for(lambda: sent() >= RECIPIENTS // 3, 120), "the worker sent nothing"
        finally:
            kill(worker)  # kill -9, half way
        at_kill = sent()
        assert 0 < at_kill < RECIPIENTS, at_kill
        time.sleep(1)
        assert sent() == at_kill  # nobody is sending any more
        assert sum(recipients_in(mail_dir).values()) == at_kill

        worker = start_worker(mail_dir)
        try:
            assert wait_for(done, 120), f"the send did not finish: {sent()} of {RECIPIENTS}"
        finally:
            kill(worker, signal.SIGTERM)
        received = recipients_in(mail_dir)
        expected = {f"worker{i:04d}@example.it" for i in range(RECIPIENTS)}
        assert set(received) == expected
        twice = {address: n for address, n in received.items() if n != 1}
        assert not twice, twice
        assert sent() == RECIPIENTS
    finally:
        shutil.rmtree(mail_dir, ignore_errors=True)
