"""The e-mails of a registration: confirmation, waiting list, a seat freed for you.

A confirmed person gets the online link and an ``.ics`` attachment; someone on the waiting
list gets neither until a seat is theirs.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.defaults import setting

from .ical import event_calendar
from .models import Registration, WebinarPage
from .registration import cancel_token


def calendar_for(registration: Registration, page_url: str) -> str:
    webinar = registration.webinar
    host = page_url.split("/")[2] if "//" in page_url else "welfare.localhost"
    return event_calendar(
        uid=f"webinar-{webinar.pk}@{host.split(':')[0]}",
        starts_at=webinar.starts_at,
        length=webinar.ends_at - webinar.starts_at,
        summary=webinar.title,
        description=_("Online link: %(link)s") % {"link": webinar.online_link}
        if webinar.online_link
        else "",
        location=webinar.online_link,
        url=page_url,
    )


def send_registration_mail(
    registration: Registration, request: HttpRequest, *, promoted: bool = False
) -> None:
    """E-mail ``registration``'s person what their registration now is, in their language.

    Links point at the host of ``request``: the portal the person signed up on.
    """
    webinar: WebinarPage = registration.webinar
    with translation.override(registration.language):
        page_url = request.build_absolute_uri(webinar.get_url(request=request))
        cancel_url = request.build_absolute_uri(
            reverse("events:cancel", args=[cancel_token(registration)])
        )
        confirmed = registration.status == Registration.Status.CONFIRMED
        if promoted:
            template, subject = "events/email/promoted.txt", _("A seat is free for you: %s")
        elif confirmed:
            template, subject = "events/email/confirmed.txt", _("You are registered: %s")
        else:
            template, subject = "events/email/waitlisted.txt", _("On the waiting list: %s")
        context = {
            "registration": registration,
            "webinar": webinar,
            "page_url": page_url,
            "cancel_url": cancel_url,
            "time_zone": ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE")),
            "position": Registration.objects.filter(
                webinar_id=registration.webinar_id,
                status=Registration.Status.WAITLISTED,
                created_at__lte=registration.created_at,
            ).count()
            if not confirmed
            else None,
        }
        message = EmailMessage(
            subject=subject % webinar.title,
            body=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        if confirmed:
            message.attach(
                "webinar.ics",
                calendar_for(registration, page_url),
                "text/calendar; charset=utf-8; method=PUBLISH",
            )
        message.send()
