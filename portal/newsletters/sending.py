"""Sending an issue to a segment: who it reaches, the rows of a send, and the claiming loop.

A send is made in one transaction with one :class:`Delivery` row per recipient (an address
subscribed on two targeted portals gets one e-mail: the first subscription's). Workers then
claim the rows in batches: one ``UPDATE … WHERE id IN (SELECT … LIMIT n)`` marks up to ``n``
pending rows with the batch's own token and the time (``FOR UPDATE SKIP LOCKED`` inside on
PostgreSQL, so two workers never wait for, or take, the same row; on SQLite the statement
holds the database's one write lock, so the second claimer sees the first's rows taken).
The batch's e-mails go out over one connection to the mail server, each row marked sent
(under its token) as soon as its e-mail has been accepted: a worker killed half way leaves
every row sent, pending, or claimed by its dead batch. A claim is a lease: renewed while the
batch works, it lapses ``PORTAL_NEWSLETTER_LEASE`` seconds after its last renewal, and a
later claim takes the row back; the worker that lost it finds its token gone at its next
mark and stops. The one e-mail that can go twice is one the mail server had accepted in the
instant before the kill, before its mark: no protocol without the provider's help closes
that gap.
"""

import secrets
import time
from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.defaults import setting
from portal.territories.models import Territory
from shop.catalogue.facets import AUDIENCE, Facet, encode

from .emails import RenderedIssue, issue_message, render_issue
from .models import Delivery, NewsletterIssuePage, Send, Subscriber

# what a batch reads of each recipient
RECIPIENT_FIELDS = [
    f"subscriber__{name}" for name in ("email", "territory_id", "language", "status", "key")
]
MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET state = '{Delivery.State.SENT}', sent_at = %s"
    f" WHERE id = %s AND claim = %s AND state = '{Delivery.State.CLAIMED}'"
)
# the catalogue's audiences, matched on a subscriber's interests as on a product's audience
INTERESTS = Facet("interests", "interests", AUDIENCE.choices, AUDIENCE.legend)


def segment(
    territories: Iterable[Territory], interests: Iterable[str] = (), language: str = ""
) -> QuerySet:
    """The active subscribers of ``territories`` who want any of ``interests`` (or chose
    none: they want everything) and read ``language`` (empty: any)."""
    wanted = [c for c in interests if c in AUDIENCE.choices]
    subscribers = Subscriber.objects.filter(
        territory__in=list(territories), status=Subscriber.Status.ACTIVE
    )
    if wanted:
        subscribers = subscribers.filter(INTERESTS.q(wanted) | Q(interests=""))
    if language:
        subscribers = subscribers.filter(language=language)
    return subscribers


def reach(subscribers: QuerySet) -> tuple[int, list[Subscriber]]:
    """How many addresses a segment reaches and a sample of them, for the sender to check."""
    count = subscribers.values("email").distinct().count()
    sample = list(
        subscribers.select_related("territory").order_by("?")[: setting("PORTAL_NEWSLETTER_SAMPLE")]
    )
    return count, sample


def create_send(
    issue: NewsletterIssuePage,
    territories: list[Territory],
    interests: list[str],
    language: str,
    user,
    token: str | None = None,
) -> Send:
    """The send and its rows, in one transaction; the caller queues :func:`send_pending`.
    ``token`` comes from the confirmation form: the same form sent twice makes one send
    (an ``IntegrityError``)."""
    with transaction.atomic():
        send = Send.objects.create(
            issue=issue,
            interests=encode(interests),
            language=language,
            created_by=user,
            request_token=token,
        )
        send.territories.set(territories)
        # written in chunks: the rows are never all in memory (the addresses seen are)
        seen: set[str] = set()
        rows = []
        for pk, email in (
            segment(territories, interests, language)
            .order_by("pk")
            .values_list("pk", "email")
            .iterator(chunk_size=5000)
        ):
            if email.lower() not in seen:
                seen.add(email.lower())
                rows.append(Delivery(send=send, subscriber_id=pk))
            if len(rows) == 5000:
                Delivery.objects.bulk_create(rows)
                rows = []
        Delivery.objects.bulk_create(rows)
    return send


def claim_batch(send_id: int, size: int, lease: float) -> str:
    """Claim up to ``size`` rows of a send for one batch, pending or left by a batch whose
    lease has lapsed: the batch's token (the rows carry it)."""
    token = secrets.token_hex(16)
    now = timezone.now()
    free = Q(state=Delivery.State.PENDING) | Q(
        state=Delivery.State.CLAIMED, claimed_at__lt=now - timedelta(seconds=lease)
    )
    with transaction.atomic():
        candidates = Delivery.objects.filter(free, send_id=send_id).order_by("pk").values("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        Delivery.objects.filter(free, pk__in=candidates[:size]).update(
            state=Delivery.State.CLAIMED, claim=token, claimed_at=now
        )
    return token


class _FastCommits:
    """The sending connection's commits need not wait for the disk: a killed worker loses
    nothing (the database, or the operating system, has every committed mark). A crash of
    PostgreSQL itself could lose the last few marks (``synchronous_commit`` off: never a
    corruption), and resend them; SQLite, the embedded engine of the demo, trusts the
    operating system (``synchronous = OFF``: a power cut in the middle of a send could
    damage its file; on PostgreSQL a power cut cannot)."""

    def __enter__(self) -> None:
        # inside a transaction (a test) SQLite may not change it, and nothing commits anyway
        self.vendor = "" if connection.in_atomic_block else connection.vendor
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SET synchronous_commit TO OFF")
            elif self.vendor == "sqlite":
                cursor.execute("PRAGMA synchronous")
                self.sqlite_mode = int(cursor.fetchone()[0])
                cursor.execute("PRAGMA synchronous = OFF")

    def __exit__(self, *exc) -> None:
        if connection.connection is None:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("RESET synchronous_commit")
            elif self.vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous = {self.sqlite_mode}")


def send_pending(
    send_id: int,
    limit: int | None = None,
    rate: float | None = None,
    lease: float | None = None,
) -> int:
    """Send one batch of up to ``limit`` e-mails of a send, at most ``rate`` a second: how
    many were sent. Safe to run in several workers at once, and again after a crash."""
    limit = setting("PORTAL_NEWSLETTER_BATCH") if limit is None else limit
    rate = setting("PORTAL_NEWSLETTER_RATE") if rate is None else rate
    lease = setting("PORTAL_NEWSLETTER_LEASE") if lease is None else lease
    send = Send.objects.select_related("issue").get(pk=send_id)
    token = claim_batch(send_id, limit, lease)
    batch = Delivery.objects.filter(claim=token, state=Delivery.State.CLAIMED).order_by("pk")
    rows = list(batch.select_related("subscriber").only("pk", *RECIPIENT_FIELDS))
    if not rows:
        return 0
    issue = send.issue.specific  # the published issue: the page row holds the live version
    territories = Territory.objects.select_related("site").in_bulk(
        {row.subscriber.territory_id for row in rows}
    )
    rendered: dict[tuple[int, str], RenderedIssue] = {}
    claimed = Delivery.objects.filter(claim=token, state=Delivery.State.CLAIMED)
    skipped = [row.pk for row in rows if row.subscriber.status != Subscriber.Status.ACTIVE]
    claimed.filter(pk__in=skipped).update(state=Delivery.State.SKIPPED)
    mailer = get_connection()
    sent, started = 0, time.monotonic()
    renew_at = started + lease / 4
    with _FastCommits(), connection.cursor() as cursor:
        mailer.open()
        try:
            for row in rows:
                subscriber = row.subscriber
                if subscriber.status != Subscriber.Status.ACTIVE:
                    continue
                subscriber.territory = territories[subscriber.territory_id]
                key = (subscriber.territory_id, subscriber.language)
                if key not in rendered:
                    rendered[key] = render_issue(issue, subscriber.territory, subscriber.language)
                mailer.send_messages([issue_message(rendered[key], subscriber)])
                # one plain statement a row, not the ORM's: it is most of a row's cost
                cursor.execute(MARK_SENT, [_now(), row.pk, token])
                if not cursor.rowcount:
                    break  # the lease lapsed and another batch took the rows: it sends them
                sent += 1
                now = time.monotonic()
                if now > renew_at:
                    renew_at = now + lease / 4
                    claimed.update(claimed_at=timezone.now())
                if rate:
                    pause = started + sent / rate - now
                    if pause > 0:
                        time.sleep(pause)
        finally:
            mailer.close()
    return sent


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def working(send: Send) -> bool:
    """Whether a batch holds a live lease on rows of the send: someone is sending it."""
    lease = timedelta(seconds=setting("PORTAL_NEWSLETTER_LEASE"))
    return Delivery.objects.filter(
        send=send, state=Delivery.State.CLAIMED, claimed_at__gte=timezone.now() - lease
    ).exists()


def finish_if_done(send: Send) -> bool:
    unsent = (Delivery.State.PENDING, Delivery.State.CLAIMED)
    if Delivery.objects.filter(send=send, state__in=unsent).exists():
        return False
    Send.objects.filter(pk=send.pk, status=Send.Status.SENDING).update(
        status=Send.Status.DONE, finished_at=timezone.now()
    )
    return True


def progress(send: Send) -> dict[str, int]:
    counts = {state: 0 for state in Delivery.State.values}
    for row in send.deliveries.values("state").order_by().annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    counts[Delivery.State.PENDING] += counts.pop(Delivery.State.CLAIMED)  # in flight
    return counts
