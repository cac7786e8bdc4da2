"""The admin's campaign views: list, add, edit, duplicate, codes (generate, CSV), results
(chart, table, CSV). Superusers and communications staff only; anyone else gets a 404."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .access import may_run_campaigns
from .admin_forms import CampaignForm, CodesForm
from .models import Campaign
from .offers import codes_csv, generate_codes, remove_discount, set_discount
from .results import chart_data, measure_labels, results, results_csv
from .scheduling import create_landing_pages, duplicate


def _allowed(request: HttpRequest) -> None:
    if not may_run_campaigns(request.user):
        raise Http404("Campaigns are for communications staff.")


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    _allowed(request)
    return get_object_or_404(Campaign, pk=campaign_id)


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def index(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    campaigns = Campaign.objects.prefetch_related("territories").order_by("-starts_at")
    return TemplateResponse(request, "campaigns/admin/index.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    if campaign_id is None:
        _allowed(request)
        campaign = Campaign()
    else:
        campaign = _campaign(request, campaign_id)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = form.save()
            data = form.cleaned_data
            if campaign.discount:
                set_discount(
                    campaign, data["benefit_type"], data["benefit_value"], data["products"]
                )
            else:
                remove_discount(campaign)
            made = create_landing_pages(campaign, request.user)
        messages.success(
            request,
            _("Campaign “%(name)s” saved: %(count)d new landing page(s).")
            % {"name": campaign.name, "count": len(made)},
        )
        return redirect("campaigns_edit", campaign_id=campaign.pk)
    context = {
        "campaign": campaign if campaign.pk else None,
        "form": form,
        "codes_form": CodesForm(),
        "landings": campaign.landings.select_related("territory", "page") if campaign.pk else [],
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/admin/edit.html", context, status=status)


@require_POST
def duplicate_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    copy = duplicate(_campaign(request, campaign_id), request.user)
    messages.success(request, _("Campaign duplicated as “%(name)s”.") % {"name": copy.name})
    return redirect("campaigns_edit", campaign_id=copy.pk)


@require_POST
def codes(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    form = CodesForm(request.POST)
    if campaign.discount != Campaign.Discount.CODES or campaign.offer_id is None:
        messages.error(request, _("This campaign gives no codes: choose “Single-use codes”."))
    elif not form.is_valid():
        messages.error(request, " ".join(form.errors.get("count", [])))
    else:
        made = generate_codes(campaign, form.cleaned_data["count"])
        messages.success(request, _("%(count)d codes generated.") % {"count": made})
    return redirect("campaigns_edit", campaign_id=campaign.pk)


def codes_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    return _csv(codes_csv(campaign), f"codici-{campaign.slug}.csv")


def results_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    result = results(campaign)
    context = {
        "campaign": campaign,
        "result": result,
        "labels": measure_labels(),
        "chart": chart_data(result),
    }
    return TemplateResponse(request, "campaigns/admin/results.html", context)


def results_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    return _csv(results_csv(results(campaign)), f"risultati-{campaign.slug}.csv")
