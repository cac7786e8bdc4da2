"""The e-mails an applicant gets: the receipt with the protocol number."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Application


def send_receipt(application: Application, request: HttpRequest) -> None:
    """The receipt of a sent application, in the language it was written in."""
    if not application.applicant.email:
        return
    with translation.override(application.language):
        url = request.build_absolute_uri(
            reverse("programmes:my-application", args=[application.pk])
        )
        body = render_to_string(
            "programmes/email/receipt.txt",
            {"application": application, "programme": application.programme, "url": url},
        )
        EmailMessage(
            subject=_("Application received: %(protocol)s") % {"protocol": application.protocol},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[application.applicant.email],
        ).send()


def send_status_mail(application: Application) -> None:
    """Tell the applicant, in their language, where their application now stands and why."""
    if not application.applicant.email:
        return
    event = application.events.order_by("-at", "-pk").first()
    site = application.programme.territory.site
    with translation.override(application.language):
        url = site.root_url.rstrip("/") + reverse(
            "programmes:my-application", args=[application.pk]
        )
        body = render_to_string(
            "programmes/email/status.txt",
            {
                "application": application,
                "programme": application.programme,
                "note": event.note if event else "",
                "url": url,
            },
        )
        EmailMessage(
            subject=_("Your application %(protocol)s: %(status)s")
            % {"protocol": application.protocol, "status": application.get_status_display()},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[application.applicant.email],
        ).send()
