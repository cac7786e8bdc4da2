"""The welfare managers' "Welfare" menu in the Wagtail admin: find a citizen, set their
verified band, read the log of band changes.

Scoped where the data is read: the territory comes from the manager's own territories and
the citizen from that territory's citizens (portal/welfare/citizens.py), so a manager of A
gets a 404 for B, B's citizens and B's log. The admin scope (default deny) lists these
views too, with the same checks (portal/territories/admin_scope/views.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.territories.models import Territory

from .bands import set_band
from .citizens import SEARCH_LIMIT, citizens_of, search, welfare_territories
from .forms import BandForm, CitizenSearchForm, SocialPointForm
from .models import BandChange, CitizenBand, SocialPoint

LOG_PAGE_SIZE = 50


def _territory(request: HttpRequest, territory_id: int) -> Territory:
    return get_object_or_404(welfare_territories(request.user), pk=territory_id)


def index(request: HttpRequest) -> HttpResponse:
    """The manager's portals; with one, straight to its citizens."""
    territories = list(welfare_territories(request.user).order_by("name"))
    if not territories:
        raise Http404("Not a welfare manager.")
    if len(territories) == 1:
        return redirect("welfare_admin_citizens", territory_id=territories[0].pk)
    return TemplateResponse(request, "welfare/admin/index.html", {"territories": territories})


@require_http_methods(["GET", "POST"])
def citizens(request: HttpRequest, territory_id: int) -> HttpResponse:
    """Find a citizen of the portal by name, e-mail or tax code.

    The search is posted, not put in the address: names and tax codes (and an ISEE figure
    typed by mistake) stay out of access logs and browser history.
    """
    territory = _territory(request, territory_id)
    form = CitizenSearchForm(request.POST if request.method == "POST" else None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = list(search(territory, form.cleaned_data["q"])[: SEARCH_LIMIT + 1])
        bands = {
            b.citizen_id: b
            for b in CitizenBand.objects.filter(
                territory=territory, citizen__in=[c.pk for c in found]
            ).select_related("band")
        }
        found = [(c, bands.get(c.pk)) for c in found]
    return TemplateResponse(
        request,
        "welfare/admin/citizens.html",
        {
            "territory": territory,
            "form": form,
            "found": found[:SEARCH_LIMIT] if found else found,
            "more": found is not None and len(found) > SEARCH_LIMIT,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def citizen(request: HttpRequest, territory_id: int, citizen_id: int) -> HttpResponse:
    """One citizen: their band here, the form to set it, its history here."""
    territory = _territory(request, territory_id)
    person = get_object_or_404(citizens_of(territory), pk=citizen_id)
    current = (
        CitizenBand.objects.filter(territory=territory, citizen=person)
        .select_related("band", "social_point")
        .first()
    )
    initial = {}
    if current is not None:
        initial = {
            "band": current.band_id,
            "expires_on": current.expires_on,
            "tax_code": current.tax_code,
            "social_point": current.social_point_id,
        }
    form = BandForm(territory, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_band(
                person,
                territory,
                data["band"],
                actor=request.user,
                expires_on=data["expires_on"],
                reference=data["reference"],
                social_point=data["social_point"],
                tax_code=data["tax_code"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The citizen's income band has been recorded."))
            return redirect(
                "welfare_admin_citizen", territory_id=territory.pk, citizen_id=person.pk
            )
    history = BandChange.objects.filter(territory=territory, citizen=person)
    return TemplateResponse(
        request,
        "welfare/admin/citizen.html",
        {
            "territory": territory,
            "person": person,
            "current": current,
            "expired": current is not None and current.expires_on < timezone.localdate(),
            "form": form,
            "history": history,
        },
        status=400 if form.errors else 200,
    )


def log_page(request: HttpRequest, rows, size: int = LOG_PAGE_SIZE) -> dict:
    """Page ``?p=`` of a log, newest first: its rows and the neighbouring pages' numbers
    (one query: a row more than the page tells whether there is a next one)."""
    try:
        page = max(int(request.GET.get("p", 1)), 1)
    except ValueError:
        page = 1
    start = (page - 1) * size
    found = list(rows[start : start + size + 1])
    return {
        "rows": found[:size],
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(found) > size else None,
    }


def log(request: HttpRequest, territory_id: int) -> HttpResponse:
    """Every band change made on the portal, newest first."""
    territory = _territory(request, territory_id)
    rows = BandChange.objects.filter(territory=territory).select_related("citizen")
    return TemplateResponse(
        request,
        "welfare/admin/log.html",
        {"territory": territory, **log_page(request, rows)},
    )


def social_points(request: HttpRequest, territory_id: int) -> HttpResponse:
    """The portal's Social Points, to correct their hours, address or phone."""
    territory = _territory(request, territory_id)
    return TemplateResponse(
        request,
        "welfare/admin/social_points.html",
        {"territory": territory, "points": SocialPoint.objects.filter(territory=territory)},
    )


@require_http_methods(["GET", "POST"])
def social_point(request: HttpRequest, territory_id: int, point_id: int) -> HttpResponse:
    """Change one Social Point: shown at once on the portal (its generation is bumped)."""
    territory = _territory(request, territory_id)
    point = get_object_or_404(SocialPoint, territory=territory, pk=point_id)
    form = SocialPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The Social Point has been saved."))
        return redirect("welfare_admin_social_points", territory_id=territory.pk)
    return TemplateResponse(
        request,
        "welfare/admin/social_point.html",
        {"territory": territory, "point": point, "form": form},
        status=400 if form.errors else 200,
    )
