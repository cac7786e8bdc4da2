"""The employer's area in the Wagtail admin: its plan's aggregates, its employees, the CSV
import, invitations and leavers; and, for platform admins, new employers, funding, crediting.

Scoped where the data is read: the employer comes from the user's own employers
(:func:`portal.employers.access.employers_of`), so an admin of A gets a 404 for B. The
figures are aggregates only (portal/employers/figures.py): no page here says who bought what.
"""

import csv

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.ledger.transfers import LedgerError

from . import funding, imports
from .access import employers_of
from .figures import plan_figures
from .forms import EmployerForm, FundingForm, LeaverForm, PlanForm, UploadForm
from .invitations import send_invitations
from .models import Employee, Employer, WelfarePlan

PAGE_SIZE = 50
SIGNED_FILE = "portal.employers.import-file"


def _employer(request: HttpRequest, employer_id: int) -> Employer:
    return get_object_or_404(employers_of(request.user).select_related("territory"), pk=employer_id)


def _platform_admin(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


def _plan(request: HttpRequest, employer: Employer) -> WelfarePlan | None:
    plans = employer.plans.all()
    wanted = request.GET.get("plan", "")
    if wanted.isdigit():
        return get_object_or_404(plans, pk=int(wanted))
    return plans.order_by("-year").first()


def index(request: HttpRequest) -> HttpResponse:
    employers = list(employers_of(request.user).order_by("name"))
    if not employers and not request.user.is_superuser:
        raise Http404("Not an employer's admin.")
    if len(employers) == 1 and not request.user.is_superuser:
        return redirect("employers_admin_dashboard", employer_id=employers[0].pk)
    return TemplateResponse(request, "employers/admin/index.html", {"employers": employers})


@require_http_methods(["GET", "POST"])
def new_employer(request: HttpRequest) -> HttpResponse:
    _platform_admin(request)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = funding.create_employer(**form.cleaned_data)
        messages.success(request, _("Employer %(name)s created.") % {"name": employer.name})
        return redirect("employers_admin_dashboard", employer_id=employer.pk)
    return TemplateResponse(
        request, "employers/admin/form.html", {"form": form, "title": _("New employer")}
    )


def dashboard(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    plan = _plan(request, employer)
    figures = plan_figures(plan) if plan else None
    return TemplateResponse(
        request,
        "employers/admin/dashboard.html",
        {
            "employer": employer,
            "plan": plan,
            "plans": list(employer.plans.order_by("-year")),
            "figures": figures,
            "charts": figures.charts() if figures else [],
            "funds": employer.funding_account.balance,
            "employees": employer.employees.count(),
        },
    )


def export(request: HttpRequest, employer_id: int) -> HttpResponse:
    """The dashboard's aggregates as CSV (the same small-count rule)."""
    employer = _employer(request, employer_id)
    plan = _plan(request, employer)
    if plan is None:
        raise Http404("No plan.")
    figures = plan_figures(plan)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="welfare-{employer.slug}-{plan.year}.csv"'
    )
    out = csv.writer(response)
    out.writerow([_("Figure"), _("Value")])
    for _key, label, shown in figures.money():
        out.writerow([label, shown])
    for label, shown in figures.category_rows():
        out.writerow([_("Spent: %(category)s") % {"category": label}, shown])
    for label, shown in figures.month_rows():
        out.writerow([_("Spent in %(month)s") % {"month": label}, shown])
    return response


def employees(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    rows = employer.employees.select_related("user").order_by("user__last_name", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "employers/admin/employees.html",
        {"employer": employer, "page": page, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def import_employees(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (all rows or none)."""
    employer = _employer(request, employer_id)
    context = {"employer": employer, "form": UploadForm()}
    if request.method == "POST" and "signed" in request.POST:
        try:
            text = signing.loads(
                request.POST["signed"], salt=f"{SIGNED_FILE}:{employer.pk}", max_age=3600
            )
        except signing.BadSignature:
            messages.error(request, _("The preview expired: upload the file again."))
            return redirect("employers_admin_import", employer_id=employer.pk)
        try:
            done = imports.apply(employer, text)
        except imports.ImportRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("employers_admin_import", employer_id=employer.pk)
        messages.success(
            request,
            _("%(added)s employee(s) added, %(updated)s updated, %(same)s unchanged.")
            % {"added": done.added, "updated": done.updated, "same": done.unchanged},
        )
        return redirect("employers_admin_employees", employer_id=employer.pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            text = form.cleaned_data["file"]
            shown = imports.preview(employer, text)
            context["preview"] = shown
            context.update(
                added=shown.count("add"), updated=shown.count("update"), same=shown.count("same")
            )
            if shown.ok:
                context["signed"] = signing.dumps(
                    text, salt=f"{SIGNED_FILE}:{employer.pk}", compress=True
                )
    return TemplateResponse(request, "employers/admin/import.html", context)


@require_POST
def invite(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    territory = employer.territory
    base = (
        territory.site.root_url
        if territory and territory.site_id
        else request.build_absolute_uri("/")
    )
    pending = employer.employees.filter(left_on__isnull=True).select_related("user", "employer")
    sent = send_invitations(pending.filter(invited_at__isnull=True), base)
    messages.success(request, _("%(n)s invitation(s) sent.") % {"n": sent})
    return redirect("employers_admin_employees", employer_id=employer.pk)


@require_http_methods(["GET", "POST"])
def leaver(request: HttpRequest, employer_id: int, employee_id: int) -> HttpResponse:
    employer = _employer(request, employer_id)
    employee = get_object_or_404(
        Employee.objects.select_related("user"), employer=employer, pk=employee_id
    )
    form = LeaverForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        returned = funding.mark_left(employee, form.cleaned_data["left_on"])
        messages.success(
            request,
            _("%(name)s marked as having left; %(amount)s € went back to the employer.")
            % {"name": employee.user.get_full_name() or employee.tax_code, "amount": returned},
        )
        return redirect("employers_admin_employees", employer_id=employer.pk)
    return TemplateResponse(
        request,
        "employers/admin/form.html",
        {
            "employer": employer,
            "form": form,
            "title": _("Mark as having left: %(name)s")
            % {"name": employee.user.get_full_name() or employee.tax_code},
        },
    )


@require_http_methods(["GET", "POST"])
def plan_form(request: HttpRequest, employer_id: int, plan_id: int | None = None) -> HttpResponse:
    employer = _employer(request, employer_id)
    plan = get_object_or_404(employer.plans, pk=plan_id) if plan_id else None
    form = PlanForm(request.POST or None, instance=plan, employer=employer)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Plan %(plan)s saved.") % {"plan": saved})
        return redirect(
            f"{redirect('employers_admin_dashboard', employer_id=employer.pk).url}?plan={saved.pk}"
        )
    return TemplateResponse(
        request,
        "employers/admin/form.html",
        {"employer": employer, "form": form, "title": _("Welfare plan")},
    )


@require_http_methods(["GET", "POST"])
def record_funding(request: HttpRequest, employer_id: int) -> HttpResponse:
    _platform_admin(request)
    employer = _employer(request, employer_id)
    form = FundingForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            made = funding.record_funding(employer, **form.cleaned_data)
        except LedgerError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Bank transfer %(reference)s recorded: %(amount)s €.")
                % {"reference": form.cleaned_data["reference"], "amount": made.amount},
            )
            return redirect("employers_admin_dashboard", employer_id=employer.pk)
    return TemplateResponse(
        request,
        "employers/admin/form.html",
        {"employer": employer, "form": form, "title": _("Record a bank transfer")},
    )


@require_POST
def credit(request: HttpRequest, employer_id: int, plan_id: int) -> HttpResponse:
    _platform_admin(request)
    employer = _employer(request, employer_id)
    plan = get_object_or_404(employer.plans.select_related("employer__funding_account"), pk=plan_id)
    try:
        done = funding.credit_all(plan)
    except LedgerError as refusal:
        messages.error(request, _("Nothing was credited: %(reason)s") % {"reason": refusal})
    else:
        messages.success(
            request,
            _("%(n)s employee(s) credited (%(amount)s €); %(already)s had been already.")
            % {"n": done.credited, "amount": done.amount, "already": done.already},
        )
    return redirect(
        f"{redirect('employers_admin_dashboard', employer_id=employer.pk).url}?plan={plan.pk}"
    )
