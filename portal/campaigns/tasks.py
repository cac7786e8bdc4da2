"""Wagtail's scheduled publishing, run by Celery beat every minute (settings/base.py)."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled() -> None:
    call_command("publish_scheduled")
