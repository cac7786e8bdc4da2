"""The admin's send page of an issue: choose the segment, see how many it reaches and who,
send (queued in Celery); and "send a test to me"."""

import secrets

from django.contrib import messages
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.territories.models import Territory

from .admin_forms import SegmentForm
from .emails import render_issue
from .models import NewsletterIssuePage, Send
from .sending import create_send, progress, reach, segment
from .tasks import send_batch


def _issue(page_id: int) -> NewsletterIssuePage:
    return get_object_or_404(NewsletterIssuePage, pk=page_id)


@require_http_methods(["GET", "POST"])
def send_issue(request: HttpRequest, page_id: int) -> HttpResponse:
    issue = _issue(page_id)
    form = SegmentForm(request.POST or None)
    context = {"issue": issue, "form": form, "sends": []}
    status = 200
    if request.method == "POST":
        if not issue.live:
            messages.error(request, _("Publish the issue before sending it."))
            status = 400
        elif not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            chosen = segment(data["territories"], data["interests"], data["language"])
            if "send" in request.POST and data["token"]:
                try:
                    send = create_send(
                        issue,
                        list(data["territories"]),
                        data["interests"],
                        data["language"],
                        request.user,
                        token=data["token"],
                    )
                except IntegrityError:
                    messages.warning(request, _("This send was already started."))
                    return redirect("newsletters_send", page_id=issue.pk)
                send_batch.delay(send.pk)
                count = send.deliveries.count()
                messages.success(
                    request,
                    _("Sending “%(title)s” to %(count)d people.")
                    % {"title": issue.title, "count": count},
                )
                return redirect("newsletters_send", page_id=issue.pk)
            count, sample = reach(chosen)
            form.data = form.data.copy()
            form.data["token"] = secrets.token_urlsafe(16)
            context.update(count=count, sample=sample, confirm=True)
    context["sends"] = [
        (send, progress(send))
        for send in Send.objects.filter(issue=issue).order_by("-created_at")[:10]
    ]
    return TemplateResponse(request, "newsletters/admin/send.html", context, status=status)


@require_POST
def send_test(request: HttpRequest, page_id: int) -> HttpResponse:
    """The issue's latest draft, as the first portal sends it, to the signed-in user only."""
    issue = _issue(page_id).get_latest_revision_as_object()
    territory = Territory.objects.select_related("site").order_by("name").first()
    if territory is None or not request.user.email:
        raise Http404("No portal, or no address to send to.")
    rendered = render_issue(issue, territory, issue.locale.language_code)
    home = territory.site.root_url + "/newsletter/"
    message = EmailMultiAlternatives(
        subject=f"[{_('Test')}] {rendered.subject}",
        body=rendered.text.replace("__PREFERENCES_URL__", home).replace(
            "__UNSUBSCRIBE_URL__", home
        ),
        to=[request.user.email],
    )
    message.attach_alternative(
        rendered.html.replace("__PREFERENCES_URL__", home).replace("__UNSUBSCRIBE_URL__", home),
        "text/html",
    )
    message.send()
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect("newsletters_send", page_id=page_id)
