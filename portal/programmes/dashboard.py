"""A programme's dashboard for its officers: figures, charts, live refresh and CSV exports.

Scoped like the queue (office.py): the programme is looked up among the programmes of the
territories the user is an officer of, so another territory's programme is a 404. The
figures come from :mod:`portal.programmes.figures` (the ledger); the live refresh answers the
same figures as JSON, which the ``charts`` script (portal/territories/assets/charts.js) puts
into the charts, their tables and the money figures while the page stays open.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from oscar.templatetags.currency_filters import currency

from .exports import DateRangeForm, applications_csv, movements_csv
from .figures import ProgrammeFigures, programme_figures
from .models import Programme
from .office import own_programmes

REFRESH_SECONDS = 30


def _programme(request: HttpRequest, programme_id: int) -> Programme:
    return get_object_or_404(
        own_programmes(request.user).select_related("territory", "budget_account"),
        pk=programme_id,
    )


def _live(programme: Programme) -> bool:
    """Refreshed while applications are taken or credit can still be spent."""
    today = timezone.localdate()
    last_day = max(filter(None, [programme.closes_on, programme.credit_expires_on]))
    return programme.opens_on <= today <= last_day


def _charts(programme: Programme, figures: ProgrammeFigures) -> list[dict]:
    url = reverse("programmes_admin_figures", args=[programme.pk]) if _live(programme) else ""
    return figures.charts(url, REFRESH_SECONDS)


def _money(figures: ProgrammeFigures) -> list[tuple[str, str, str]]:
    return [(key, label, currency(amount)) for key, label, amount in figures.money()]


@require_safe
def dashboard(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The figures and charts, and the export forms (a bad range is shown on the form)."""
    programme = _programme(request, programme_id)
    return _page(request, programme, DateRangeForm(), DateRangeForm(prefix="m"))


def _page(request, programme, applications_form, movements_form, status=200) -> HttpResponse:
    figures = programme_figures(programme)
    return TemplateResponse(
        request,
        "programmes/admin/dashboard.html",
        {
            "programme": programme,
            "figures": figures,
            "money": _money(figures),
            "charts": _charts(programme, figures),
            "live": _live(programme),
            "refresh_seconds": REFRESH_SECONDS,
            "applications_form": applications_form,
            "movements_form": movements_form,
        },
        status=status,
    )


@require_safe
def figures_json(request: HttpRequest, programme_id: int) -> JsonResponse:
    """The same figures as the page, for the live refresh."""
    programme = _programme(request, programme_id)
    figures = programme_figures(programme)
    response = JsonResponse(
        {
            "charts": {chart["id"]: chart for chart in _charts(programme, figures)},
            "figures": {key: text for key, _label, text in _money(figures)},
            "updated": timezone.localtime().strftime("%H:%M:%S"),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(request, programme, form, rows, what: str) -> HttpResponse:
    if not form.is_valid():
        forms = {"applications": form, "movements": DateRangeForm(prefix="m")}
        if what == "movements":
            forms = {"applications": DateRangeForm(), "movements": form}
        return _page(request, programme, forms["applications"], forms["movements"], status=400)
    response = StreamingHttpResponse(rows(programme, form), content_type="text/csv; charset=utf-8")
    since, until = (form.cleaned_data.get(k) for k in ("since", "until"))
    span = "".join(f"_{d.isoformat()}" for d in (since, until) if d)
    response["Content-Disposition"] = (
        f'attachment; filename="{programme.territory.slug}-{programme.slug}-{what}{span}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def export_applications(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    form = DateRangeForm(request.GET)
    return _csv(request, programme, form, applications_csv, "applications")


@require_safe
def export_movements(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    form = DateRangeForm(request.GET, prefix="m")
    return _csv(request, programme, form, movements_csv, "movements")
