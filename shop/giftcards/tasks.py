"""Celery tasks: send one voucher now, or all the vouchers due today (hourly, see settings)."""

from celery import shared_task

from . import delivery


@shared_task
def send_giftcard(card_id: int) -> bool:
    return delivery.send_card(card_id)


@shared_task
def send_due_giftcards() -> int:
    return delivery.send_due()
