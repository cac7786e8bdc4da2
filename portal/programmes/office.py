"""The officers' queue in the Wagtail admin: programmes, their applications, one application.

Scoped where the data is read: every queryset starts from the programmes of the territories
whose officers' group the user is in (all of them for a superuser), so an officer of A gets
a 404 for B's programme, application or document. The admin scope (default deny) lists
these views too, with the same checks (portal/territories/admin_scope/views.py).
"""

from datetime import date

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.territories.models import Territory

from .applications import ProgrammeError, approve, granted_amount, move
from .emails import send_status_mail
from .forms import income_band_label
from .models import Application, Attachment, Programme

S = Application.Status
PAGE_SIZE = 50


def office_territories(user) -> QuerySet[Territory]:
    """The territories ``user`` is a municipality officer of."""
    if not user.is_authenticated:
        return Territory.objects.none()
    if user.is_superuser:
        return Territory.objects.all()
    return Territory.objects.filter(office__group__user=user)


def own_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.filter(territory__in=office_territories(user))


def own_applications(user) -> QuerySet[Application]:
    return Application.objects.filter(programme__in=own_programmes(user))


def is_officer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or office_territories(user).exists())


def _counts(applications: QuerySet[Application]) -> dict[str, int]:
    found = dict(applications.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: found.get(status, 0) for status in S.values}


def index(request: HttpRequest) -> HttpResponse:
    """The officer's programmes, with the number of applications in each status."""
    annotations = {
        f"n_{status}": Count("applications", filter=Q(applications__status=status))
        for status in S.values
    }
    programmes = (
        own_programmes(request.user)
        .select_related("territory", "budget_account")
        .annotate(**annotations)
        .order_by("territory__name", "-opens_on")
    )
    rows = [
        (p, [(S(status).label, getattr(p, f"n_{status}")) for status in S.values])
        for p in programmes
    ]
    return TemplateResponse(
        request,
        "programmes/admin/index.html",
        {
            "rows": rows,
            "statuses": S.choices,
            "office_territories": office_territories(request.user).order_by("name"),
        },
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def queue(request: HttpRequest, programme_id: int) -> HttpResponse:
    """One programme's applications, filtered by status, municipality and date sent."""
    programme = get_object_or_404(
        own_programmes(request.user).select_related("budget_account"), pk=programme_id
    )
    applications = programme.applications.exclude(status=S.DRAFT)
    counts = _counts(programme.applications.all())
    status = request.GET.get("status", "")
    municipality = request.GET.get("municipality", "")
    since, until = _day(request.GET.get("since", "")), _day(request.GET.get("until", ""))
    if status in S.values:
        applications = programme.applications.filter(status=status)
    if municipality:
        applications = applications.filter(municipality=municipality)
    if since:
        applications = applications.filter(submitted_at__date__gte=since)
    if until:
        applications = applications.filter(submitted_at__date__lte=until)
    try:
        page = max(int(request.GET.get("p", "1")), 1)
    except ValueError:
        page = 1
    shown = list(
        applications.select_related("applicant").order_by("submitted_at", "pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    return TemplateResponse(
        request,
        "programmes/admin/queue.html",
        {
            "programme": programme,
            "applications": shown[:PAGE_SIZE],
            "next_page": page + 1 if len(shown) > PAGE_SIZE else None,
            "previous_page": page - 1 if page > 1 else None,
            "counts": [(value, label, counts[value]) for value, label in S.choices],
            "filters": {
                "status": status,
                "municipality": municipality,
                "since": since.isoformat() if since else "",
                "until": until.isoformat() if until else "",
            },
        },
    )


ACTIONS = {"take": S.IN_REVIEW, "ask": S.MORE_INFO, "reject": S.REJECTED}


@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application: answers, documents, history, and the officer's next steps."""
    found = get_object_or_404(
        own_applications(request.user).select_related("programme__territory", "applicant"),
        pk=application_id,
    )
    if request.method == "POST":
        to = ACTIONS.get(request.POST.get("action", ""))
        if to is None:
            messages.error(request, _("Choose what to do with the application."))
        else:
            try:
                move(found, request.user, to, request.POST.get("note", ""), officer=True)
            except ProgrammeError as exc:
                messages.error(request, str(exc))
            else:
                send_status_mail(found)
                messages.success(
                    request,
                    _("Application %(protocol)s: %(status)s.")
                    % {"protocol": found.protocol, "status": found.get_status_display()},
                )
        return redirect("programmes_admin_application", found.pk)
    return TemplateResponse(
        request,
        "programmes/admin/application.html",
        {
            "application": found,
            "programme": found.programme,
            "events": list(found.events.select_related("actor")),
            "attachments": list(found.attachments.all()),
            "income_band": income_band_label(found.income_band),
            "answers": [
                (next((q["label"] for q in found.programme.questions if q["key"] == k), k), v)
                for k, v in found.answers.items()
            ],
            "can_take": found.status in (S.SUBMITTED, S.MORE_INFO),
            "can_decide": found.status == S.IN_REVIEW,
        },
    )


@require_http_methods(["GET", "POST"])
def approve_application(request: HttpRequest, application_id: int) -> HttpResponse:
    """The amount the rules grant, shown; on confirmation the money moves, once."""
    found = get_object_or_404(
        own_applications(request.user).select_related("programme__budget_account", "applicant"),
        pk=application_id,
    )
    try:
        amount = granted_amount(found)
    except ProgrammeError as exc:
        messages.error(request, str(exc))
        return redirect("programmes_admin_application", found.pk)
    if request.method == "POST":
        try:
            approve(found, request.user, request.POST.get("note", ""))
        except ProgrammeError as exc:
            messages.error(request, str(exc))
        else:
            send_status_mail(found)
            messages.success(
                request,
                _("Application %(protocol)s approved: %(amount)s € credited to the wallet.")
                % {"protocol": found.protocol, "amount": found.amount},
            )
        return redirect("programmes_admin_application", found.pk)
    return TemplateResponse(
        request,
        "programmes/admin/approve.html",
        {
            "application": found,
            "programme": found.programme,
            "amount": amount,
            "budget_left": found.programme.budget_account.balance,
        },
    )


def attachment(request: HttpRequest, application_id: int, attachment_id: int) -> HttpResponse:
    """A document of an application of the officer's own territory."""
    found = get_object_or_404(
        Attachment.objects.filter(application__in=own_applications(request.user)),
        pk=attachment_id,
        application_id=application_id,
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
