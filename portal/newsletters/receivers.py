"""What arrives from outside: the mail provider's bounces and complaints (django-anymail's
tracking webhooks), and a Celery worker's start (it resumes the sends left unfinished)."""

import logging
from importlib import import_module

from anymail.signals import EventType, tracking
from celery.signals import worker_ready
from django.dispatch import receiver

logger = logging.getLogger(__name__)

# a hard bounce, a refusal by the provider or a spam complaint: never write to it again
UNSUBSCRIBING_EVENTS = {EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED}


@receiver(tracking, dispatch_uid="newsletters-bounces")
def unsubscribe_on_bounce(sender, event, esp_name, **kwargs) -> None:
    from .subscriptions import unsubscribe_address

    if event.event_type in UNSUBSCRIBING_EVENTS and event.recipient:
        count = unsubscribe_address(event.recipient, reason=event.event_type)
        logger.info("%s %s from %s: %d unsubscribed", esp_name, event.event_type, "?", count)


@worker_ready.connect(dispatch_uid="newsletters-resume")
def resume_on_start(sender=None, **kwargs) -> None:
    from .tasks import resume_sends

    resume_sends.delay()


def tracking_webhook(provider: str):
    """The bounce and complaint webhook view of one anymail provider (``postmark``,
    ``amazon_ses``…), importing that provider's module only: ``anymail.urls`` imports every
    provider's (Amazon SES's brings boto3), about 15 MB more in every process that resolves
    a URL, a sending worker's included. Mandrill's is its combined endpoint, as anymail's."""
    module = import_module(f"anymail.webhooks.{provider}")
    views = {
        name: view
        for name, view in vars(module).items()
        if isinstance(view, type)
        and view.__module__ == module.__name__
        and name.endswith(("TrackingWebhookView", "CombinedWebhookView"))
    }
    combined = [view for name, view in views.items() if name.endswith("CombinedWebhookView")]
    [view] = combined or list(views.values())
    return view.as_view()
