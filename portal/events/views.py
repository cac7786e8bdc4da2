"""Thin views: the webinar page (sign-up form), "my webinars", cancellation, CSV export."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.content.lazy import lazy
from portal.defaults import setting
from portal.security.spreadsheets import csv_writer
from portal.territories.admin_scope import owner_of, territories_of

from .emails import send_registration_mail
from .forms import RegistrationForm
from .listings import registrations_of
from .models import Registration, WebinarPage
from .network import is_network_member
from .registration import (
    AlreadyRegistered,
    RegistrationRefused,
    cancel,
    event_of,
    has_free_seat,
    is_registered,
    register,
    registration_for_token,
    registration_of,
)


def _say_registered(request: HttpRequest, seat: bool) -> None:
    if seat:
        messages.success(
            request, _("You are registered. We have sent you an e-mail with the link.")
        )
    else:
        messages.info(
            request,
            _(
                "All seats are taken: you are on the waiting list. We will e-mail "
                "you if a seat becomes free."
            ),
        )


def serve_webinar(page: WebinarPage, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """GET shows the webinar; POST signs someone up (then redirects back: no double post)."""
    territory = getattr(request, "territory", None)
    user = request.user
    # who may join and whether it is over: the webinar's own (default-language) page decides,
    # never a translation that may lag behind
    event = event_of(page, territory)
    may_register = not event.is_network_only or is_network_member(user, territory)
    form = None
    if may_register and not event.is_past:
        initial = {}
        if user.is_authenticated:
            initial = {"name": user.get_full_name(), "email": user.email}
        form = RegistrationForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                registration = register(
                    event,
                    form.cleaned_data["name"],
                    form.cleaned_data["email"],
                    user=user,
                    language=get_language() or "it",
                )
            except AlreadyRegistered:
                # The page must not tell whether this address is signed up (anyone can type
                # anyone's address): its holder gets their registration e-mailed again, and
                # the page says what it would say to a new registrant now.
                existing = registration_of(event, form.cleaned_data["email"])
                if existing is not None:
                    send_registration_mail(existing, request)
                _say_registered(request, has_free_seat(event))
                return HttpResponseRedirect(page.get_url(request=request))
            except RegistrationRefused:
                form.add_error(None, _("This webinar is over: registrations are closed."))
            else:
                send_registration_mail(registration, request)
                _say_registered(request, registration.status == Registration.Status.CONFIRMED)
                return HttpResponseRedirect(page.get_url(request=request))
    elif request.method == "POST":
        return HttpResponse(status=405 if event.is_past else 403)
    taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    context = page.get_context(request, *args, **kwargs)
    context.update(
        {
            "form": form,
            "may_register": may_register,
            "seats_left": max(event.capacity - taken, 0),
            "already_registered": user.is_authenticated
            and bool(user.email)
            and is_registered(event, user.email),
            "time_zone": ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE")),
            # shown in the facts' fragment (webinar_page.html): read only when it is rendered
            "speakers": lazy(lambda: list(page.speakers.all())),
        }
    )
    return TemplateResponse(request, page.get_template(request, *args, **kwargs), context)


@login_required
def my_webinars(request: HttpRequest) -> HttpResponse:
    """The signed-in person's webinars on this portal, with the online link of each."""
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404
    registrations = list(registrations_of(request.user, territory))
    now = timezone.now()
    return TemplateResponse(
        request,
        "events/my_webinars.html",
        {
            "page_title": _("My webinars"),
            "active_tab": "webinars",
            "upcoming": [r for r in registrations if r.webinar.ends_at > now],
            "past": [r for r in registrations if r.webinar.ends_at <= now],
            "time_zone": ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE")),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    """A cancellation link: GET asks for confirmation, POST cancels (and frees the seat)."""
    registration = registration_for_token(token)
    if registration is not None and owner_of("page", registration.webinar_id) != getattr(
        request, "territory", None
    ):
        registration = None  # a link of another portal's webinar: this portal knows nothing of it
    if registration is None:
        return TemplateResponse(request, "events/cancel.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        outcome = cancel(registration)
        if outcome.promoted is not None:
            send_registration_mail(outcome.promoted, request, promoted=True)
        registration, done = outcome.registration, True
    return TemplateResponse(
        request,
        "events/cancel.html",
        {
            "registration": registration,
            "webinar": registration.webinar,
            "done": done,
            "time_zone": ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE")),
        },
    )


def registrants_csv(request: HttpRequest, page_id: int) -> HttpResponse:
    """The registrants of a webinar as CSV, for the editors of the webinar's portal only."""
    webinar = get_object_or_404(WebinarPage, pk=page_id)
    owner = owner_of("page", webinar.pk)
    if not request.user.is_superuser and (
        owner is None or owner.pk not in {t.pk for t in territories_of(request.user)}
    ):
        raise Http404("Not part of your portal.")
    webinar = event_of(webinar, owner)
    rome = ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="webinar-{webinar.slug}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents right
    writer = csv_writer(response)
    writer.writerow([_("Name"), _("E-mail"), _("Status"), _("Registered at"), _("Language")])
    for registration in webinar.registrations.order_by("created_at", "pk"):
        writer.writerow(
            [
                registration.name,
                registration.email,
                registration.get_status_display(),
                timezone.localtime(registration.created_at, rome).strftime("%Y-%m-%d %H:%M"),
                registration.language,
            ]
        )
    return response
