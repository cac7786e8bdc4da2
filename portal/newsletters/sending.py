"""Sending an issue to a segment: who it reaches, the rows of a send, and the claiming loop.

A send is made in one transaction with one :class:`Delivery` row per recipient (an address
subscribed on two targeted portals gets one e-mail: the first subscription's). Workers
then claim rows one at a time, under a row lock (``select_for_update(skip_locked=True)``
on PostgreSQL: two workers never wait for, or take, the same row; SQLite writes one at a
time anyway), hand the e-mail to the mail server and mark the row sent in the same
transaction. A worker killed half way leaves its row pending (its transaction is rolled
back with the connection) and every other row either sent or pending: a restarted worker
sends each pending row once. The one e-mail that can go twice is one the mail server had
accepted in the instant before the kill, before the commit: no protocol without the
provider's help closes that gap.
"""

import time
from collections.abc import Iterable

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.defaults import setting
from portal.territories.models import Territory
from shop.catalogue.facets import AUDIENCE, Facet, encode

from .emails import RenderedIssue, issue_message, render_issue
from .models import Delivery, NewsletterIssuePage, Send, Subscriber

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
        Delivery.objects.bulk_create(rows, batch_size=5000)
    return send


def _claim(send: Send) -> Delivery | None:
    rows = Delivery.objects.filter(send=send, state=Delivery.State.PENDING).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.select_related("subscriber__territory__site").first()


def send_pending(send_id: int, limit: int | None = None, rate: float | None = None) -> int:
    """Send up to ``limit`` pending e-mails of a send, at most ``rate`` a second: how many
    were sent. Safe to run in several workers at once, and again after a crash."""
    limit = setting("PORTAL_NEWSLETTER_BATCH") if limit is None else limit
    rate = setting("PORTAL_NEWSLETTER_RATE") if rate is None else rate
    send = Send.objects.select_related("issue").get(pk=send_id)
    issue = send.issue.specific  # the published issue: the page row holds the live version
    rendered: dict[tuple[int, str], RenderedIssue] = {}
    mailer = get_connection()
    mailer.open()
    sent, started = 0, time.monotonic()
    try:
        while sent < limit:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # the mark need not wait for the disk: only a crash of PostgreSQL itself
                    # (not of the worker) could lose the last few, and resend them
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                delivery = _claim(send)
                if delivery is None:
                    break
                subscriber = delivery.subscriber
                if subscriber.status != Subscriber.Status.ACTIVE:
                    delivery.state = Delivery.State.SKIPPED
                    delivery.save(update_fields=["state"])
                    continue
                # the row first: on SQLite this takes the write lock, so a second worker
                # waits here and then finds the row sent (PostgreSQL skipped it already)
                claimed = Delivery.objects.filter(
                    pk=delivery.pk, state=Delivery.State.PENDING
                ).update(state=Delivery.State.SENT, sent_at=timezone.now())
                if not claimed:
                    continue
                key = (subscriber.territory_id, subscriber.language)
                if key not in rendered:
                    rendered[key] = render_issue(issue, subscriber.territory, subscriber.language)
                mailer.send_messages([issue_message(rendered[key], subscriber)])
            sent += 1
            if rate:
                pause = started + sent / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
    finally:
        mailer.close()
    return sent


def finish_if_done(send: Send) -> bool:
    if Delivery.objects.filter(send=send, state=Delivery.State.PENDING).exists():
        return False
    Send.objects.filter(pk=send.pk, status=Send.Status.SENDING).update(
        status=Send.Status.DONE, finished_at=timezone.now()
    )
    return True


def progress(send: Send) -> dict[str, int]:
    counts = {state: 0 for state in Delivery.State.values}
    for row in send.deliveries.values("state").order_by().annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts
