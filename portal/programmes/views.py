"""The citizen's side of a programme: the list, a programme's page, the application form
with its saved draft and summary, my applications, a private document, my wallet.

Every object is looked up through the request's territory and, for an application, its
applicant: another portal's programme or another person's application is a 404, never a
403 that would tell it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.ledger.accounts import movements as account_movements
from portal.territories.models import Territory
from shop.catalogue.fixture import load_catalogue

from .applications import ProgrammeError, check_open, move, start, submit
from .attachments import attach
from .emails import send_receipt
from .forms import DOCUMENTS, AnswerForm, ApplicationForm, income_band_label
from .models import Application, ApplicationEvent, Attachment, Programme, Wallet

S = Application.Status


def _territory(request: HttpRequest) -> Territory:
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404("Not a portal.")
    return territory


def _programmes(territory: Territory):
    return Programme.objects.filter(territory=territory).select_related("budget_account")


def _refusal(programme: Programme) -> str:
    """Why ``programme`` takes no application now, or ''."""
    try:
        check_open(programme)
    except ProgrammeError as exc:
        return str(exc)
    return ""


def programme_list(request: HttpRequest) -> HttpResponse:
    """The portal's programmes: open ones first, then those about to open, then closed."""
    today = timezone.localdate()
    programmes = list(_programmes(_territory(request)))
    return TemplateResponse(
        request,
        "programmes/programme_list.html",
        {
            "open": [p for p in programmes if p.opens_on <= today <= p.closes_on],
            "upcoming": [p for p in programmes if p.opens_on > today],
            "closed": [p for p in programmes if p.closes_on < today],
        },
    )


def _amount_rows(programme: Programme) -> list[tuple[str, str]]:
    sizes = sorted((int(k), v) for k, v in (programme.amounts or {}).items())
    rows = []
    for i, (size, amount) in enumerate(sizes):
        label = str(size) if i < len(sizes) - 1 else f"{size}+"
        rows.append((label, amount))
    return rows


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's rules, budget left, dates and the Apply button (or why not)."""
    programme = get_object_or_404(_programmes(_territory(request)), slug=slug)
    mine = None
    if request.user.is_authenticated:
        mine = Application.objects.filter(programme=programme, applicant=request.user).first()
    categories = load_catalogue().categories
    return TemplateResponse(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "refusal": _refusal(programme),
            "mine": mine,
            "amount_rows": _amount_rows(programme),
            "cooperatives": list(programme.cooperatives.order_by("name")),
            "categories": [categories[c].name for c in programme.categories if c in categories],
        },
    )


def _my_draft(request: HttpRequest, programme: Programme) -> Application | None:
    return Application.objects.filter(programme=programme, applicant=request.user).first()


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form: "Save draft" keeps it, "Continue" leads to the summary."""
    programme = get_object_or_404(_programmes(_territory(request)), slug=slug)
    application = _my_draft(request, programme)
    if application is not None and application.status != S.DRAFT:
        messages.info(request, _("You have already sent your application to this programme."))
        return redirect("programmes:my-application", application.pk)
    refusal = _refusal(programme)
    context = {"programme": programme, "refusal": refusal, "application": application}
    if refusal:
        return TemplateResponse(request, "programmes/apply.html", context)
    form = ApplicationForm(
        programme,
        application,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        if application is None:
            try:
                application = start(
                    programme,
                    request.user,
                    form.cleaned_data["tax_code"],
                    language=get_language() or "it",
                )
            except ProgrammeError as exc:
                form.add_error("tax_code" if "household" in str(exc) else None, str(exc))
                return TemplateResponse(request, "programmes/apply.html", context)
        _save_draft(application, form)
        if "continue" in request.POST:
            missing = form.missing(application)
            if not missing:
                return redirect("programmes:summary", programme.slug)
            context["missing"] = missing
            context["application"] = application
            return TemplateResponse(request, "programmes/apply.html", context)
        messages.success(request, _("Your draft is saved: you can come back to it later."))
        return redirect("programmes:apply", programme.slug)
    if application is not None:
        context["attachments"] = list(application.attachments.all())
    return TemplateResponse(request, "programmes/apply.html", context)


def _save_draft(application: Application, form: ApplicationForm) -> None:
    data = form.cleaned_data
    application.household_size = data.get("household_size")
    application.municipality = data.get("municipality") or ""
    application.income_band = data.get("income_band") or ""
    application.answers = form.answers()
    application.save(update_fields=["household_size", "municipality", "income_band", "answers"])
    for name, label in DOCUMENTS:
        if data.get(name):
            attach(application, str(label), data[name])


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    """What will be sent, then "Send": the protocol number and the receipt e-mail."""
    programme = get_object_or_404(_programmes(_territory(request)), slug=slug)
    application = _my_draft(request, programme)
    if application is None or application.status != S.DRAFT:
        return redirect("programmes:apply", programme.slug)
    form = ApplicationForm(programme, application)
    error = ""
    if request.method == "POST":
        missing = form.missing(application)
        if missing:
            return redirect("programmes:apply", programme.slug)
        try:
            submit(application, request.user)
        except ProgrammeError as exc:
            error = str(exc)
        else:
            send_receipt(application, request)
            messages.success(
                request,
                _("Your application is sent. Protocol number: %(protocol)s.")
                % {"protocol": application.protocol},
            )
            return redirect("programmes:my-application", application.pk)
    return TemplateResponse(
        request,
        "programmes/summary.html",
        {
            "programme": programme,
            "application": application,
            "answers": _answer_rows(application),
            "income_band": income_band_label(application.income_band),
            "attachments": list(application.attachments.all()),
            "amount": programme.amount_for(application.household_size or 0),
            "error": error,
        },
    )


def _answer_rows(application: Application) -> list[tuple[str, object]]:
    labels = {q["key"]: q["label"] for q in application.programme.questions}
    yes_no = {"yes": _("Yes"), "no": _("No")}
    return [
        (labels.get(key, key), yes_no.get(value, value))
        for key, value in application.answers.items()
    ]


def _mine(request: HttpRequest):
    return Application.objects.filter(
        applicant=request.user, programme__territory=_territory(request)
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        _mine(request).select_related("programme").annotate(last_change=Max("events__at"))
    )
    return TemplateResponse(
        request,
        "programmes/my_applications.html",
        {
            "page_title": _("My applications"),
            "active_tab": "applications",
            "applications": applications,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my applications: status, history, documents; the answer to a request for info."""
    application = get_object_or_404(_mine(request).select_related("programme"), pk=pk)
    form = None
    if application.status == S.MORE_INFO:
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data.get("document"):
                attach(application, _("Document"), form.cleaned_data["document"])
            move(application, request.user, S.IN_REVIEW, form.cleaned_data["note"], officer=False)
            messages.success(request, _("Your answer is sent to the office."))
            return redirect("programmes:my-application", application.pk)
    elif request.method == "POST":
        raise Http404("Nothing to answer.")
    events = ApplicationEvent.objects.filter(application=application).select_related("actor")
    return TemplateResponse(
        request,
        "programmes/my_application.html",
        {
            "page_title": _("My applications"),
            "active_tab": "applications",
            "application": application,
            "events": list(events),
            "attachments": list(application.attachments.all()),
            "answers": _answer_rows(application),
            "income_band": income_band_label(application.income_band),
            "form": form,
        },
    )


def is_officer_of(user, territory: Territory) -> bool:
    return user.is_superuser or user.groups.filter(office_of__territory=territory).exists()


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A private document, to its applicant or to the territory's officers; 404 to anyone else."""
    territory = _territory(request)
    found = get_object_or_404(
        Attachment.objects.select_related("application"),
        pk=attachment_pk,
        application_id=pk,
        application__programme__territory=territory,
    )
    if found.application.applicant_id != request.user.pk and not is_officer_of(
        request.user, territory
    ):
        raise Http404("Not yours.")
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_wallet(request: HttpRequest) -> HttpResponse:
    """My credit per programme of this portal: balance, what it buys, expiry, movements."""
    wallets = list(
        Wallet.objects.filter(owner=request.user, programme__territory=_territory(request))
        .select_related("programme", "account")
        .prefetch_related(
            Prefetch("programme__cooperatives"),
        )
    )
    accounts = [w.account_id for w in wallets]
    movements = account_movements(accounts)
    categories = load_catalogue().categories
    return TemplateResponse(
        request,
        "programmes/my_wallet.html",
        {
            "page_title": _("My wallet"),
            "active_tab": "wallet",
            "wallets": [
                {
                    "wallet": w,
                    "programme": w.programme,
                    "balance": w.account.balance,
                    "expired": w.programme.credit_expired(),
                    "movements": movements[w.account_id],
                    "cooperatives": list(w.programme.cooperatives.all()),
                    "categories": [
                        categories[c].name for c in w.programme.categories if c in categories
                    ],
                }
                for w in wallets
            ],
        },
    )
