"""Celery task: unspent credit past its expiry back to the programmes, notices a week before
(hourly, see settings; every run is idempotent)."""

from celery import shared_task

from .expiry import expire_credits as run


@shared_task
def expire_credits() -> str:
    return str(run())
