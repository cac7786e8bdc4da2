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
