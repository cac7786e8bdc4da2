"""Celery tasks: a send goes out in batches, each a task that queues the next."""

from celery import shared_task

from .models import Send
from .sending import finish_if_done, send_pending


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_batch(send_id: int) -> int:
    """One batch of a send; queues the next while rows remain pending."""
    sent = send_pending(send_id)
    send = Send.objects.get(pk=send_id)
    if not finish_if_done(send) and sent:
        send_batch.delay(send_id)
    return sent


@shared_task
def resume_sends() -> int:
    """Queue every unfinished send again (a worker's start; Celery beat): how many. Rows
    already sent stay sent, so resuming twice sends nothing twice."""
    ids = list(Send.objects.filter(status=Send.Status.SENDING).values_list("pk", flat=True))
    for pk in ids:
        send_batch.delay(pk)
    return len(ids)
