"""A send's rows claimed in batches: two claimers never hold the same row, a lapsed lease is
taken back and its old batch stops, every e-mail carries the one-click headers and its
recipient's own links, and the rate limit holds across a batch."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.utils import timezone

from portal.newsletters.models import Delivery
from portal.newsletters.sending import claim_batch, create_send, send_pending
from portal.newsletters.subscriptions import SUBSCRIBER_SALT
from tests.newsletter_support import issue, subscriber
from tests.test_ledger import in_own_connection, postgres_only, run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(territories):
    sondrio = territories["sondrio"]
    for i in range(30):
        subscriber(sondrio, f"claim{i:02d}@example.it", "it" if i % 2 else "en")
    return create_send(issue(), [sondrio], [], "", None)


def held(token: str) -> set[int]:
    return set(Delivery.objects.filter(claim=token, state="claimed").values_list("pk", flat=True))


def test_two_batches_claim_different_rows_and_a_lapsed_lease_is_taken_back(send):
    first, second = claim_batch(send.pk, 12, lease=60), claim_batch(send.pk, 12, lease=60)
    assert len(held(first)) == len(held(second)) == 12
    assert not held(first) & held(second)
    third = claim_batch(send.pk, 12, lease=60)
    assert len(held(third)) == 6  # what was left; nobody's live lease is taken
    assert not held(claim_batch(send.pk, 12, lease=60))

    # the first batch's worker died: a minute after its last renewal its rows are free again
    rows = held(first)
    Delivery.objects.filter(claim=first).update(claimed_at=timezone.now() - timedelta(minutes=2))
    taken = claim_batch(send.pk, 50, lease=60)
    assert held(taken) == rows and not held(first)


def test_a_batch_whose_lease_was_taken_stops_at_its_next_mark(send, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from portal.newsletters import sending

    tokens: list[str] = []
    real_claim, real_send = sending.claim_batch, EmailBackend.send_messages

    def claim(send_id, size, lease):
        tokens.append(real_claim(send_id, size, lease))
        return tokens[-1]

    def send_and_be_overtaken(self, messages):
        if len(tokens) == 1:  # while its first e-mail goes out, its lease lapses and is taken
            old = timezone.now() - timedelta(hours=1)
            Delivery.objects.filter(claim=tokens[0]).update(claimed_at=old)
            claim(send.pk, 10, 60)
        return real_send(self, messages)

    monkeypatch.setattr(sending, "claim_batch", claim)
    monkeypatch.setattr(EmailBackend, "send_messages", send_and_be_overtaken)
    assert send_pending(send.pk, limit=10, rate=0, lease=60) == 0
    assert len(mail.outbox) == 1  # the one e-mail in flight when it lost the lease
    assert len(held(tokens[1])) == 10 and not held(tokens[0])  # the new batch sends them


def test_every_e_mail_has_the_headers_and_its_recipients_own_links(send):
    assert send_pending(send.pk, limit=100, rate=0) == 30
    assert len(mail.outbox) == 30
    pks = dict(Delivery.objects.filter(send=send).values_list("subscriber__email", "subscriber"))
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"])[1]
        token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
        assert signing.loads(token, salt=SUBSCRIBER_SALT)[0] == pks[message.to[0]]
        html = message.alternatives[0][0]
        assert unsubscribe in message.body and unsubscribe in html
        preferences = re.search(r'href="([^"]+/newsletter/preferenze/[^"]+)"', html)[1]
        assert preferences.rstrip("/").rsplit("/", 1)[1] == token
    assert set(Delivery.objects.filter(send=send).values_list("state", flat=True)) == {"sent"}


def test_the_rate_limit_holds_within_a_batch(send):
    started = time.monotonic()
    assert send_pending(send.pk, limit=11, rate=50) == 11
    assert time.monotonic() - started >= 10 / 50  # ten intervals at 50 a second


def test_a_batch_costs_a_fixed_number_of_queries_and_one_statement_a_row(
    send, django_assert_num_queries
):
    send_pending(send.pk, limit=1, rate=0)  # the issue's rendering and the first queries
    with django_assert_num_queries(6 + 5) as captured:
        assert send_pending(send.pk, limit=5, rate=0) == 5
    marks = [q["sql"] for q in captured.captured_queries if "SET state = 'sent'" in q["sql"]]
    # the send and its issue, the claim (one UPDATE, in a savepoint here), the claimed rows
    # with their subscribers, their portals: six, then one mark an e-mail
    assert len(marks) == 5


@pytest.mark.postgres
@postgres_only
def test_concurrent_claimers_on_postgresql_never_hold_the_same_row(territories):
    from portal.newsletters.models import Send, Subscriber

    def make():
        sondrio = territories["sondrio"]
        for i in range(200):
            subscriber(sondrio, f"race{i:03d}@example.it")
        return create_send(issue(title="Race", tag="race"), [sondrio], [], "", None)

    race = in_own_connection(make)
    try:
        tokens = run_at_once(8, lambda _i: claim_batch(race.pk, 30, lease=60))
        claims = [held(token) for token in tokens]
        assert sum(len(c) for c in claims) == 200  # 8 × 30 asked, 200 there: all taken
        assert len(set().union(*claims)) == 200  # and nobody holds a row another holds
        assert connection.vendor == "postgresql"
    finally:
        in_own_connection(
            lambda: (
                Send.objects.filter(pk=race.pk).delete(),
                Subscriber.objects.filter(email__startswith="race").delete(),
                race.issue.delete(),
            )
        )


def test_the_e_mails_as_sent_are_whole_multipart_messages(send):
    from email import message_from_bytes, policy

    send_pending(send.pk, limit=2, rate=0)
    for message in mail.outbox:
        sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert sent.get_content_type() == "multipart/alternative"
        text, html = sent.iter_parts()
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        unsubscribe = sent["List-Unsubscribe"].strip().strip("<>")
        assert unsubscribe in text.get_content() and unsubscribe in html.get_content()
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert sent["To"] == message.to[0]


def test_without_a_broker_a_large_send_runs_batch_after_batch_not_nested(send, settings):
    from portal.newsletters.tasks import send_batch

    settings.PORTAL_NEWSLETTER_BATCH = 1  # 30 batches: nested tasks would go 30 deep
    settings.PORTAL_NEWSLETTER_RATE = 0
    assert send_batch.delay(send.pk).get() == 30
    send.refresh_from_db()
    assert send.status == "done" and len(mail.outbox) == 30
