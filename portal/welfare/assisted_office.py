"""Admin views of assisted mode (portal/welfare/assisted.py): a citizen made at the desk,
their consent, starting to act for them, and the log of what was done.

Scoped as office.py: the territory from the manager's own, the citizen from its citizens
(404 otherwise); the admin scope lists them with the same checks.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import assisted
from .assisted_forms import ConsentForm, NewCitizenForm, SocialPointChoice
from .citizens import citizens_of
from .models import AssistConsent, AssistedAction
from .office import _territory, log_page

LOG_PAGE_SIZE = 100


@require_http_methods(["GET", "POST"])
def new_citizen(request: HttpRequest, territory_id: int) -> HttpResponse:
    """Make a citizen at the desk (name, tax code, phone; e-mail optional)."""
    territory = _territory(request, territory_id)
    form = NewCitizenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = assisted.create_citizen(
                territory, assisted.NewCitizen(**form.cleaned_data), request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, _("The citizen has been registered."))
            return redirect("welfare_admin_assist", territory_id=territory.pk, citizen_id=person.pk)
    return TemplateResponse(
        request,
        "welfare/admin/new_citizen.html",
        {"territory": territory, "form": form},
        status=400 if form.errors else 200,
    )


def _person(territory, citizen_id):
    return get_object_or_404(citizens_of(territory), pk=citizen_id)


@require_http_methods(["GET", "POST"])
def assist(request: HttpRequest, territory_id: int, citizen_id: int) -> HttpResponse:
    """Record the citizen's consent (POST), start acting for them, and what was done."""
    territory = _territory(request, territory_id)
    person = _person(territory, citizen_id)
    form = ConsentForm(territory, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assisted.record_consent(
                territory,
                person,
                request.user,
                how=data["how"],
                given_at=data["given_at"],
                social_point=data["social_point"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The citizen's consent has been recorded."))
            return redirect("welfare_admin_assist", territory_id=territory.pk, citizen_id=person.pk)
    consent = assisted.valid_consent(territory, person)
    return TemplateResponse(
        request,
        "welfare/admin/assist.html",
        {
            "territory": territory,
            "person": person,
            "consent": consent,
            "consent_text": assisted.consent_text(),
            "consent_version": assisted.CONSENT_VERSION,
            "form": form,
            "start_form": SocialPointChoice(
                territory, initial={"social_point": consent.social_point_id if consent else None}
            ),
            "consents": AssistConsent.objects.filter(territory=territory, citizen=person)[:20],
            "actions": AssistedAction.objects.filter(territory=territory, citizen=person)[:50],
            "minutes": assisted.SESSION_MINUTES,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def start(request: HttpRequest, territory_id: int, citizen_id: int) -> HttpResponse:
    """Open the session and give the link handing it over to the portal's host (signed,
    short-lived)."""
    territory = _territory(request, territory_id)
    person = _person(territory, citizen_id)
    form = SocialPointChoice(territory, request.POST)
    back = reverse("welfare_admin_assist", args=[territory.pk, person.pk])
    if not form.is_valid():
        messages.error(request, _("Choose one of this portal's Social Points."))
        return redirect(back)
    try:
        session = assisted.start_session(
            territory, person, request.user, form.cleaned_data["social_point"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    token = assisted.handover_token(session, request.build_absolute_uri(back))
    port = request.get_port()
    host = territory.site.hostname
    if port not in ("80", "443"):
        host = f"{host}:{port}"
    path = reverse("welfare:assisted-enter", args=[token])
    # a link, not a redirect: the admin's CSP (form-action 'self') stops a form's redirect
    # to another host, and the manager sees where they are going
    return TemplateResponse(
        request,
        "welfare/admin/assist_ready.html",
        {
            "territory": territory,
            "person": person,
            "url": f"{request.scheme}://{host}{path}",
            "seconds": assisted.HANDOVER_SECONDS,
        },
    )


def log(request: HttpRequest, territory_id: int) -> HttpResponse:
    """Everything done on the portal while acting for citizens, newest first."""
    territory = _territory(request, territory_id)
    rows = AssistedAction.objects.filter(territory=territory).select_related("citizen")
    return TemplateResponse(
        request,
        "welfare/admin/assisted_log.html",
        {"territory": territory, **log_page(request, rows, LOG_PAGE_SIZE)},
    )
