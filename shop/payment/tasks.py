"""Celery tasks of card payments (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task

from portal.defaults import setting

from .fulfilment import settle_abandoned


@shared_task
def settle_abandoned_payments() -> tuple[int, int]:
    minutes = setting("PORTAL_ABANDONED_PAYMENT_MINUTES")
    return settle_abandoned(timedelta(minutes=minutes))
