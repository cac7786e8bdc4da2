"""Celery tasks: a send goes out in batches, each a task that queues the next."""

from celery import shared_task

from portal.defaults import setting

from .models import Delivery, Send
from .sending import finish_if_done, send_pending, working


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_batch(self, send_id: int) -> int:
    """One batch of a send; queues the next while rows remain pending, or claimed by a
    batch that may have died (looked at again once its lease can have lapsed). Without a
    broker (eager tasks: the demo) the whole send runs here, batch after batch, rather than
    as one nested task a batch."""
    send = Send.objects.get(pk=send_id)
    sent = 0
    while True:
        sent += send_pending(send_id)
        if finish_if_done(send):
            return sent
        pending = send.deliveries.filter(state=Delivery.State.PENDING).exists()
        if not self.request.is_eager:
            break
        if not pending:
            return sent  # rows claimed by a batch elsewhere: theirs to send
    if pending:
        send_batch.delay(send_id)
    else:
        send_batch.apply_async((send_id,), countdown=setting("PORTAL_NEWSLETTER_LEASE") / 2)
    return sent


@shared_task
def resume_sends() -> int:
    """Queue every unfinished send that no batch is working on (a worker's start; Celery
    beat): how many. Rows already sent stay sent, so resuming twice sends nothing twice; a
    send whose batch holds a live lease has its chain of tasks already, and a second chain
    would double its rate."""
    unfinished = Send.objects.filter(status=Send.Status.SENDING)
    ids = [send.pk for send in unfinished if not working(send)]
    for pk in ids:
        send_batch.delay(pk)
    return len(ids)
